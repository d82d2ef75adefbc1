from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpos.errors import DecodeError, EncodeError
from xpos.proto.tlv import TlvItem, decode_tlv, encode_tlv, tag_bytes


def test_encode_uses_short_and_long_length_forms() -> None:
    assert encode_tlv([(0xDF01, b"A")]) == bytes.fromhex("DF010141")
    assert encode_tlv([(0x5A, b"\x01" * 0x80)]).startswith(bytes.fromhex("5A8180"))
    assert encode_tlv([(0x5A, b"\x01" * 0x100)]).startswith(bytes.fromhex("5A820100"))


def test_decode_reads_items_in_order() -> None:
    data = bytes.fromhex("DF010141" "9F0203000001" "5A00")
    assert decode_tlv(data) == [TlvItem(tag=0xDF01, value=b"A"),
                                TlvItem(tag=0x9F02, value=b"\x00\x00\x01"),
                                TlvItem(tag=0x5A, value=b"")]


def test_decode_of_nothing_is_no_items() -> None:
    assert decode_tlv(b"") == []


@pytest.mark.parametrize(("hex_data", "position"), [
    ("DF", 0),               # multi-byte tag truncated
    ("DF8181", 0),           # tag longer than 3 bytes
    ("00", 0),               # padding byte instead of a tag
    ("FF0100", 0),           # 0xFF is not a tag
    ("DF01", 2),             # length missing
    ("DF0180", 2),           # indefinite length
    ("DF0183000001", 2),     # 3-byte length form
    ("DF018105", 2),         # non-minimal long form
    ("DF0182", 2),           # long length truncated
    ("DF010341", 2),         # value overruns
    ("DF010141" "5A02", 5),  # second item overruns (at its length)
])
def test_decode_rejects_malformed_tlv_with_position(hex_data: str, position: int) -> None:
    with pytest.raises(DecodeError) as info:
        decode_tlv(bytes.fromhex(hex_data))
    assert (info.value.field, info.value.position) == ("tlv", position)


@pytest.mark.parametrize("tag", [0, 0xFF, 0x1F, 0xDF81, 0xDF8181, 1 << 24])
def test_tag_bytes_rejects_malformed_tags(tag: int) -> None:
    with pytest.raises(EncodeError):
        tag_bytes(tag)


def test_encode_rejects_an_oversized_value() -> None:
    with pytest.raises(EncodeError):
        encode_tlv([(0xDF01, bytes(0x10000))])


tags = st.one_of(
    st.integers(0x01, 0xFE).filter(lambda t: t & 0x1F != 0x1F),
    st.integers(0x00, 0x7F).flatmap(
        lambda low: st.sampled_from([0x1F, 0x5F, 0x9F, 0xDF]).map(lambda hi: hi << 8 | low)),
)


@given(st.lists(st.tuples(tags, st.binary(max_size=300)), max_size=8))
def test_tlv_round_trips(items: list[tuple[int, bytes]]) -> None:
    decoded = decode_tlv(encode_tlv(items))
    assert [(i.tag, i.value) for i in decoded] == items


@given(st.binary(max_size=64))
def test_decode_of_arbitrary_bytes_raises_only_decode_error(data: bytes) -> None:
    try:
        decode_tlv(data)
    except DecodeError as exc:
        assert 0 <= exc.position <= len(data)
