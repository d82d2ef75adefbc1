"""X3 hidden input values on the wire (DF4E): golden bytes both ways, the seal checked by an
independent TDES-CBC, malformed seals refused, the transcript never shows the value."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, modes

from xpos.errors import DecodeError, EncodeError
from xpos.proto.codec import Message, decode_message, encode_message
from xpos.proto.interactive import StepReport, parse_session_request, result_request
from xpos.proto.messages import add_mac
from xpos.proto.transcript import describe
from xpos.proto.x3_values import TAG_SEALED
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.platform_value import open_value, seal_value

from .golden import MAK, MID, TID
from .golden.common import TDK
from .golden_x3 import SEALED_PASSWORD, SESSION, X3_RESULT_HIDDEN

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - cryptography < 43
    from cryptography.hazmat.primitives.ciphers.algorithms import (  # type: ignore[assignment,no-redef,unused-ignore]
        TripleDES,
    )

MEMBER, PASSWORD = "8868000000000001", "666666"


def _mac(data: bytes) -> bytes:
    return compute_mac(MacAlgorithm.CUP_ECB, MAK, data)


def test_the_builder_gives_the_golden_bytes() -> None:
    sealed = seal_value(PASSWORD, TDK, session=SESSION, number=1, position=2)
    message = result_request(stan=4, tid=TID, mid=MID, batch=1, session=SESSION, number=1,
                             report=StepReport(result="00", values=(MEMBER, ""),
                                               sealed=((2, sealed),)))
    built = add_mac(message.replace(tpdu="6000080000"), _mac)
    assert built == X3_RESULT_HIDDEN.message
    assert encode_message(built) == X3_RESULT_HIDDEN.wire


def test_the_golden_bytes_decode_to_the_member_number_and_a_seal_that_opens() -> None:
    request = parse_session_request(decode_message(X3_RESULT_HIDDEN.wire))
    assert request.report is not None
    assert request.report.values == (MEMBER, "")
    ((position, cipher),) = request.report.sealed
    assert position == 2 and cipher.hex().upper() == SEALED_PASSWORD
    assert open_value(cipher, TDK, session=SESSION, number=1, position=2) == PASSWORD
    assert PASSWORD.encode() not in X3_RESULT_HIDDEN.wire


def test_the_seal_is_tdes_cbc_with_a_zero_iv_of_the_labelled_plaintext() -> None:
    plain = b"\x1f".join((b"XV1", SESSION.encode(), b"1", b"2", PASSWORD.encode())) + b"\x80"
    plain += b"\x00" * (-len(plain) % 8)
    encryptor = Cipher(TripleDES(TDK + TDK[:8]), modes.CBC(bytes(8))).encryptor()
    assert (encryptor.update(plain) + encryptor.finalize()).hex().upper() == SEALED_PASSWORD


def _with_tlv(tlv: str) -> Message:
    return X3_RESULT_HIDDEN.message.replace(set={62: tlv}, drop=(64,))


@pytest.mark.parametrize("seal", ["", "00" + SEALED_PASSWORD, "02" + SEALED_PASSWORD[:-2],
                                  "41" + SEALED_PASSWORD, "02"])
def test_a_malformed_seal_is_refused(seal: str) -> None:
    head = X3_RESULT_HIDDEN.message.get(62) or ""
    head = head[:head.index("DF4E")]
    tlv = head + f"DF4E{len(seal) // 2:02X}{seal}"
    with pytest.raises(DecodeError) as caught:
        parse_session_request(_with_tlv(tlv))
    assert caught.value.field == "62"


def test_a_repeated_position_is_refused_and_a_bad_one_is_not_built() -> None:
    tlv = (X3_RESULT_HIDDEN.message.get(62) or "") + "DF4E2902" + SEALED_PASSWORD
    with pytest.raises(DecodeError):
        parse_session_request(_with_tlv(tlv))
    for bad in ((0, bytes(8)), (2, bytes(7)), (2, b"")):
        with pytest.raises(EncodeError):
            result_request(stan=1, tid=TID, mid=MID, batch=1, session=SESSION, number=1,
                           report=StepReport(result="00", values=("",), sealed=(bad,)))


def test_the_transcript_shows_sealed_and_never_the_cipher() -> None:
    text = describe(X3_RESULT_HIDDEN.message, one_line=True)
    assert "sealed[2]=<sealed>" in text and f"value='{MEMBER}'" in text
    assert SEALED_PASSWORD[:16] not in text.upper() and PASSWORD not in text
    assert "sealed[2]=<sealed>" in describe(X3_RESULT_HIDDEN.message)


def test_the_protocol_doc_names_the_sealed_value_tag() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(
        encoding="utf-8")
    assert f"`{TAG_SEALED:X}`" in doc and "XV1" in doc
