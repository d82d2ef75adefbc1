from __future__ import annotations

import iso8583
import pytest

from xpos.errors import CodecError, DecodeError, EncodeError
from xpos.proto.codec import Message, decode_message, encode_message

from . import golden as g

SIGN_ON = g.SIGN_ON_0800.wire      # 11@21 41@24 42@32 60: len@47 data@49 63: len@55 data@57
SALE = g.SALE_0200.wire            # 3@21 4@24 11@30 14@33 22@35 25@37 26@38 35: len@39 data@40
KEYS = g.SIGN_ON_0810.wire         # 62: len@74 data@76, 60 bytes, ends at 136


def _patch(wire: bytes, at: int, new: str) -> bytes:
    raw = bytes.fromhex(new)
    return wire[:at] + raw + wire[at + len(raw):]


def _or(wire: bytes, at: int, bits: int) -> bytes:
    return wire[:at] + bytes([wire[at] | bits]) + wire[at + 1:]


DECODE_ERRORS = [
    ("empty", b"", "tpdu", 0),
    ("tpdu truncated", SIGN_ON[:3], "tpdu", 0),
    ("header truncated", SIGN_ON[:8], "h", 5),
    ("header not BCD", _patch(SIGN_ON, 5, "6031003100AA"), "h", 5),
    ("MTI truncated", SIGN_ON[:12], "t", 11),
    ("MTI not BCD", _patch(SIGN_ON, 11, "08A0"), "t", 11),
    ("bitmap truncated", SIGN_ON[:15], "p", 13),
    ("secondary bitmap", _or(SIGN_ON, 13, 0x80), "p", 13),
    ("field 5 not in dialect", _or(SIGN_ON, 13, 0x08), "5", 13),
    ("no fields after bitmap", SIGN_ON[:21], "11", 21),
    ("fixed field truncated", SIGN_ON[:40], "42", 32),
    ("n field holds hex letter", _patch(SALE, 30, "00000A"), "11", 30),
    ("amount holds hex letters", _patch(SALE, 24, "0000000012BC"), "4", 24),
    ("field 22 pad nibble not 0", _patch(SALE, 35, "0211"), "22", 35),
    ("LL length above maximum", _patch(SALE, 39, "38"), "35", 39),
    ("LL length not BCD", _patch(SALE, 39, "3A"), "35", 39),
    ("LLL length not BCD", _patch(SIGN_ON, 55, "00A3"), "63", 55),
    ("LLL data holds hex letter", _patch(SIGN_ON, 49, "A0"), "60", 49),
    ("LLL length overruns the body", _patch(KEYS, 79, "0061"), "62", 81),
    ("LLL length short: bytes left over", _patch(KEYS, 79, "0059"), "62", 140),
    ("trailing garbage", SIGN_ON + b"\x00", "63", 60),
    ("text not ASCII", _patch(SIGN_ON, 24, "FF"), "41", 24),
    ("text control character", _patch(SIGN_ON, 24, "01"), "41", 24),
    ("GB18030 text invalid", _patch(SIGN_ON, 57, "80"), "63", 57),
    ("GB18030 text control character", _patch(SIGN_ON, 57, "07"), "63", 57),
]


@pytest.mark.parametrize(("data", "field", "position"), [c[1:] for c in DECODE_ERRORS],
                         ids=[c[0] for c in DECODE_ERRORS])
def test_decode_error_names_field_and_position(data: bytes, field: str,
                                               position: int) -> None:
    with pytest.raises(DecodeError) as info:
        decode_message(data)
    assert (info.value.field, info.value.position) == (field, position)


def test_odd_field2_with_a_nonzero_pad_nibble_is_rejected() -> None:
    wire = encode_message(Message(mti="0200", fields={2: "6212345678901234567"}))
    bad = wire[:-1] + b"\x71"
    with pytest.raises(DecodeError) as info:
        decode_message(bad)
    assert (info.value.field, info.value.position) == ("2", 22)


def test_pyiso8583_errors_are_mapped_with_their_cause() -> None:
    with pytest.raises(DecodeError) as info:
        decode_message(SIGN_ON[:40])
    assert isinstance(info.value.__cause__, iso8583.DecodeError)
    assert isinstance(info.value, CodecError) and isinstance(info.value, ValueError)


def _msg(**fields: str) -> Message:
    return Message(mti="0200", fields={int(k[1:]): v for k, v in fields.items()})


ENCODE_ERRORS = [
    ("tpdu too short", Message(mti="0200", fields={}, tpdu="60000300"), "tpdu"),
    ("tpdu lower case", Message(mti="0200", fields={}, tpdu="6000a30000"), "tpdu"),
    ("header not digits", Message(mti="0200", fields={}, header="6031003100AB"), "h"),
    ("MTI with letter", Message(mti="02A0", fields={}), "t"),
    ("MTI too long", Message(mti="02000", fields={}), "t"),
    ("field outside dialect", Message(mti="0200", fields={5: "1"}), "5"),
    ("secondary bitmap field", Message(mti="0200", fields={70: "001"}), "70"),
    ("n with hex letter", _msg(f11="00000A"), "11"),
    ("n fixed too short", _msg(f11="00001"), "11"),
    ("n fixed too long", _msg(f4="0000000012345"), "4"),
    ("n variable too long", _msg(f2="1" * 20), "2"),
    ("z with equals sign", _msg(f35="6212=3012"), "35"),
    ("z lower case", _msg(f35="6212d3012"), "35"),
    ("b lower case", _msg(f52="84615c0fb761528e"), "52"),
    ("b odd length", _msg(f52="84615C0FB761528"), "52"),
    ("b wrong size", _msg(f64="00"), "64"),
    ("b too long", _msg(f62="00" * 513), "62"),
    ("an not ASCII", _msg(f39="好的"), "39"),
    ("an control character", _msg(f41="1234567\n"), "41"),
    ("an fixed length", _msg(f41="1234"), "41"),
    ("ans GB18030 control character", _msg(f63="01\x07"), "63"),
    ("ans too long", _msg(f63="x" * 164), "63"),
]


@pytest.mark.parametrize(("msg", "field"), [c[1:] for c in ENCODE_ERRORS],
                         ids=[c[0] for c in ENCODE_ERRORS])
def test_encode_error_names_the_field(msg: Message, field: str) -> None:
    with pytest.raises(EncodeError) as info:
        encode_message(msg)
    assert info.value.field == field


def test_encode_rejects_a_non_text_value() -> None:
    with pytest.raises(EncodeError) as info:
        encode_message(Message(mti="0200", fields={4: 1234}))  # type: ignore[dict-item]
    assert info.value.field == "4"


def test_field63_accepts_chinese_text_as_gb18030() -> None:
    msg = _msg(f63="CUP银联")
    body = encode_message(msg)
    assert body.endswith(bytes.fromhex("0007") + "CUP银联".encode("gb18030"))
    assert decode_message(body) == msg
