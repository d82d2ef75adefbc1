"""Refund and balance goldens, both directions; the builders give exactly these messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import EncodeError, LocalProtocolError
from xpos.proto import messages as m
from xpos.proto.codec import decode_message, encode_message
from xpos.proto.messages import MacFunction, needs_mac, response_check, verify_mac
from xpos.proto.refund import (
    RefundOriginal,
    balance_field,
    balance_request,
    balance_response,
    parse_balance,
    parse_refund_original,
    refund_request,
)

from .docgen import hexdump
from .golden import MID, PIN_BLOCK, TID, TRACK2, WHEN, Golden
from .golden_refund import (
    BALANCE_0200,
    BALANCE_0210,
    BALANCE_0210_PIN,
    GOLDEN_REFUND,
    REFUND_0220,
    REFUND_0220_EARLIER,
    REFUND_0230,
    REFUND_0230_OVER,
)

IDS = [g.name for g in GOLDEN_REFUND]
DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("golden", GOLDEN_REFUND, ids=IDS)
def test_golden_message_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", GOLDEN_REFUND, ids=IDS)
def test_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", GOLDEN_REFUND, ids=IDS)
def test_golden_mac_is_present_and_verifies(golden: Golden, mac: MacFunction) -> None:
    assert needs_mac(golden.message) and verify_mac(golden.message, mac)


@pytest.mark.parametrize("golden", GOLDEN_REFUND, ids=IDS)
def test_protocol_doc_shows_each_golden_as_a_hex_dump(golden: Golden) -> None:
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in DOC


def test_refund_builder_gives_the_golden_refunds(mac: MacFunction) -> None:
    known = RefundOriginal(rrn="250115000002", date="0115", batch=1, stan=2)
    built = refund_request(original=known, stan=9, tid=TID, mid=MID, batch=1, amount=500,
                           track2=TRACK2, expiry="3012", pin_block=None)
    assert m.add_mac(built, mac) == REFUND_0220.message
    earlier = RefundOriginal(rrn="250110000042", date="0110")
    built = refund_request(original=earlier, stan=10, tid=TID, mid=MID, batch=1, amount=500,
                           track2=TRACK2, expiry="3012", pin_block=None)
    assert m.add_mac(built, mac) == REFUND_0220_EARLIER.message
    assert m.classify(built) is m.MessageKind.REFUND
    assert parse_refund_original(REFUND_0220.message) == known


def test_refund_responses_are_the_golden_ones_and_pass_the_terminal_check(
        mac: MacFunction) -> None:
    request = REFUND_0220.message
    approved = m.sale_response(request, rc="00", auth_code="654322", rrn="250115000010",
                               when=WHEN)
    assert m.add_mac(approved, mac) == REFUND_0230.message
    over = m.sale_response(request, rc="61", auth_code=None, rrn="250115000010", when=WHEN)
    assert m.add_mac(over, mac) == REFUND_0230_OVER.message
    assert response_check(request, REFUND_0230.message) is None


def test_a_refund_is_never_reversible() -> None:
    with pytest.raises(LocalProtocolError, match="cannot be reversed"):
        m.reversal_request(REFUND_0220.message, reason="98")


def test_balance_builders_give_the_golden_messages(mac: MacFunction) -> None:
    built = balance_request(stan=11, tid=TID, mid=MID, batch=1, track2=TRACK2, expiry="3012",
                            pin_block=bytes.fromhex(PIN_BLOCK))
    assert m.add_mac(built, mac) == BALANCE_0200.message
    assert m.classify(built) is m.MessageKind.BALANCE and built.get(4) is None
    answer = balance_response(BALANCE_0200.message, rc="00", balance=98766,
                              rrn="250115000011", when=WHEN)
    assert m.add_mac(answer, mac) == BALANCE_0210.message
    refused = balance_response(BALANCE_0200.message, rc="55", balance=None,
                               rrn="250115000011", when=WHEN)
    assert m.add_mac(refused, mac) == BALANCE_0210_PIN.message
    assert response_check(BALANCE_0200.message, BALANCE_0210.message) is None
    with pytest.raises(LocalProtocolError, match="cannot be reversed"):
        m.reversal_request(BALANCE_0200.message, reason="98")


@pytest.mark.parametrize(("value", "fen"), [
    ("1002156C000000098766", 98766), ("1002156D000000000150", -150),
    ("1002156C00000009876", None), ("1002156X000000098766", None), ("", None),
    ("1002156C00000009876A", None),
])
def test_field_54_is_read_strictly(value: str, fen: int | None) -> None:
    assert parse_balance(BALANCE_0210.message.replace(set={54: value})) == fen


def test_field_54_round_trips_both_signs() -> None:
    for fen in (0, 1, 98766, -150):
        assert parse_balance(BALANCE_0210.message.replace(set={54: balance_field(fen)})) == fen


@pytest.mark.parametrize("original", [
    RefundOriginal(rrn="250115000002", date="1301x"),
    RefundOriginal(rrn="250115000002", date="011"),
    RefundOriginal(rrn="2501150000", date="0115"),
])
def test_a_bad_original_is_an_encode_error(original: RefundOriginal) -> None:
    with pytest.raises(EncodeError):
        refund_request(original=original, stan=9, tid=TID, mid=MID, batch=1, amount=500,
                       track2=TRACK2, expiry="3012", pin_block=None)


def test_the_transcript_never_shows_the_balance() -> None:
    from xpos.proto.transcript import describe

    text = describe(BALANCE_0210.message)
    assert "<balance>" in text and "98766" not in text and "987.66" not in text
    assert "<PIN block>" in describe(BALANCE_0200.message)
