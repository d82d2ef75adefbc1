"""ECR frames and bodies: golden bytes both ways, and every kind of bad input refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.proto.ecr_golden import GOLDEN, SALE_REQUEST
from xpos.errors import DecodeError
from xpos.proto.ecr import (
    MAX_DATA,
    EcrRequest,
    EcrResponse,
    decode_frame,
    decode_request,
    decode_response,
    encode_fields,
    encode_frame,
    encode_request,
    encode_response,
    lrc,
)


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda g: g.name)
def test_golden_encodes_to_its_bytes_and_decodes_back(golden: object) -> None:
    value, wire = golden.value, golden.wire  # type: ignore[attr-defined]
    if isinstance(value, EcrRequest):
        assert encode_frame(encode_request(value)) == wire
        assert decode_request(decode_frame(wire)) == value
    else:
        assert encode_frame(encode_response(value)) == wire
        assert decode_response(decode_frame(wire)) == value


def test_lrc_is_the_xor_from_length_through_etx() -> None:
    wire = SALE_REQUEST.wire
    assert lrc(wire[1:-1]) == wire[-1] == 0x5B
    assert lrc(b"\x01\x02\x04") == 0x07


@pytest.mark.parametrize("wire, why", [
    (SALE_REQUEST.wire[:-1] + b"\x00", "LRC"),
    (SALE_REQUEST.wire[:-2] + b"\x04" + SALE_REQUEST.wire[-1:], "ETX"),
    (b"\x01" + SALE_REQUEST.wire[1:], "STX"),
    (SALE_REQUEST.wire[:10], "length says"),
    (b"\x02\x0a\x00\x03\x00", "BCD"),
    (b"\x02\x99\x99" + b"\x00" * 9999 + b"\x03\x00", "above"),
])
def test_bad_frames_are_refused_with_the_reason(wire: bytes, why: str) -> None:
    with pytest.raises(DecodeError, match=why):
        decode_frame(wire)


def test_frames_longer_than_the_limit_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="at most"):
        encode_frame(b"x" * (MAX_DATA + 1))


@pytest.mark.parametrize("data, why", [
    (b"CM004SALE", "RF"),
    (b"RF001A", "CM"),
    (b"CM004saleRF001A", "CM"),
    (b"CM004SALERF001AAM003X12", "AM"),
    (b"CM004SALERF001AOT0071234567", "OT"),
    (b"CM006REFUNDRF001AOR01125011510304", "OR"),
    (b"CM006REFUNDRF001AOD00401X5", "OD"),
    (b"CM004XPAYRF001AON033" + b"6" * 33, "ON"),
    (b"CM004SALERF001ARF001B", "twice"),
    (b"CM004SALERF009A", "cut short"),
    (b"CM04SALE", "3 digits"),
    (b"CM004SALERF002\xff\xfe", "UTF-8"),
    (b"CM004SALERF001\x07", "printable"),
    (b"CM004SALERF021" + b"A" * 21, "1-20"),
])
def test_bad_requests_are_one_decode_error(data: bytes, why: str) -> None:
    with pytest.raises(DecodeError, match=why):
        decode_request(data)


def test_unknown_tags_are_skipped_and_empty_values_left_out() -> None:
    data = encode_fields([("CM", "SALE"), ("ZZ", "future"), ("RF", "R1"), ("AM", "")])
    assert data == b"CM004SALEZZ006futureRF002R1"
    assert decode_request(data) == EcrRequest(command="SALE", reference="R1")


def test_a_response_with_an_unknown_result_is_refused() -> None:
    with pytest.raises(DecodeError, match="RC"):
        decode_response(b"CM004SALERC002XX")
    ok = decode_response(encode_response(EcrResponse(command="", reference="", result="NS")))
    assert ok.result == "NS" and ok.trace == 0


def test_the_golden_frames_in_docs_drivers_md_are_the_real_bytes() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "drivers.md").read_text("utf-8")
    blocks = re.findall(r"```\n(02 0[0-9]{3}[^`]*)```", doc)
    wires = {g.wire for g in GOLDEN}
    assert len(blocks) == 6
    for block in blocks:
        assert bytes.fromhex(block.replace(" ", "").replace("\n", "")) in wires, block
