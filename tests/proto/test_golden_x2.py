"""X2 combined-payment goldens, both directions; the builders give exactly these messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import DecodeError
from xpos.proto import messages as m
from xpos.proto.codec import decode_message, encode_message
from xpos.proto.messages import MacFunction, needs_mac, verify_mac
from xpos.proto.order import (
    BankLeg,
    PartyLeg,
    order_paid_request,
    parse_order_message,
    parse_order_paid_request,
    parse_party_balance,
    party_debit_request,
    party_debit_response,
)

from .docgen import hexdump
from .golden import MEMBER_PAN, MID, PIN_BLOCK, TID, WHEN, Golden
from .golden_x2 import GOLDEN_X2, ORDER_PAID_0100_COMBO, PARTY_DEBIT_0210_BALANCE

IDS = [g.name for g in GOLDEN_X2]
DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
BANK = BankLeg(batch=1, stan=14, rrn="250115000014", amount=40_000)
PARTY = PartyLeg(batch=1, stan=12, amount=20_000)


@pytest.mark.parametrize("golden", GOLDEN_X2, ids=IDS)
def test_golden_message_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", GOLDEN_X2, ids=IDS)
def test_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", GOLDEN_X2, ids=IDS)
def test_golden_mac_is_present_and_verifies(golden: Golden, mac: MacFunction) -> None:
    assert needs_mac(golden.message) and verify_mac(golden.message, mac)


@pytest.mark.parametrize("golden", GOLDEN_X2, ids=IDS)
def test_protocol_doc_shows_each_golden_as_a_hex_dump(golden: Golden) -> None:
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in DOC


def test_the_combined_notice_builder_gives_the_golden(mac: MacFunction) -> None:
    built = order_paid_request(stan=11, tid=TID, mid=MID, batch=1, order_no="6600000001",
                               bank=BANK, party=PARTY)
    assert m.add_mac(built, mac) == ORDER_PAID_0100_COMBO.message


def test_the_host_reads_both_legs_and_their_sum() -> None:
    paid = parse_order_paid_request(decode_message(ORDER_PAID_0100_COMBO.wire))
    assert (paid.order_no, paid.amount, paid.bank, paid.party) == ("6600000001", 60_000,
                                                                   BANK, PARTY)


def test_a_bad_party_leg_in_a_combined_notice_is_refused() -> None:
    bad = ORDER_PAID_0100_COMBO.message.replace(
        set={62: (ORDER_PAID_0100_COMBO.message.get(62) or "").replace(
            "DF2B0C303030303031303030303132", "DF2B0C303030303031303030303158")})
    with pytest.raises(DecodeError):
        parse_order_paid_request(bad)


def test_the_balance_answer_builder_gives_the_golden_and_reads_back(mac: MacFunction) -> None:
    debit = party_debit_request(stan=12, tid=TID, mid=MID, batch=1, order_no="6600000001",
                                amount=60_000, pan=MEMBER_PAN,
                                pin_block=bytes.fromhex(PIN_BLOCK))
    built = party_debit_response(debit, rc="51", auth_code=None, message="余额 200.00",
                                 when=WHEN, rrn="250115000012", balance=20_000)
    assert m.add_mac(built, mac) == PARTY_DEBIT_0210_BALANCE.message
    answer = decode_message(PARTY_DEBIT_0210_BALANCE.wire)
    assert parse_party_balance(answer) == 20_000
    assert parse_order_message(answer) == "余额 200.00"


def test_an_answer_without_df2d_has_no_balance() -> None:
    answer = PARTY_DEBIT_0210_BALANCE.message.replace(drop=(62,))
    assert parse_party_balance(answer) is None
