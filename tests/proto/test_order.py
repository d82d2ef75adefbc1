"""X2 order messages: the builders make the golden messages, the parsers read them back."""

from __future__ import annotations

import pytest

from xpos.errors import DecodeError, EncodeError
from xpos.proto.codec import Message
from xpos.proto.messages import MacFunction, MessageKind, add_mac, classify, reversal_request
from xpos.proto.order import (
    BankLeg,
    OrderInfo,
    PartyLeg,
    order_paid_request,
    order_paid_response,
    order_query_request,
    order_query_response,
    parse_order_message,
    parse_order_paid_request,
    parse_order_query_request,
    parse_order_query_response,
    parse_party_debit_request,
    party_debit_request,
    party_debit_response,
)

from . import golden as g

INFO = OrderInfo(order_no="6600000002", title="SUV租赁2天", total=50_000, due=40_000,
                 reason="优惠券8折 -100.00")
LEG = BankLeg(batch=1, stan=10, rrn="250115000010", amount=40_000)


def _framed(msg: Message, *, response: bool = False) -> Message:
    """As the wire has it: X-class messages are addressed to the platform (0008)."""
    return msg.replace(tpdu="6000000008" if response else "6000080000",
                       header="603100310000")


def test_the_builders_make_the_golden_requests(mac: MacFunction) -> None:
    query = order_query_request(stan=8, tid=g.TID, mid=g.MID, batch=1, code="6688000020")
    paid = order_paid_request(stan=9, tid=g.TID, mid=g.MID, batch=1, order_no="6600000002",
                              bank=LEG)
    assert add_mac(_framed(query), mac) == g.ORDER_QUERY_0100.message
    assert add_mac(_framed(paid), mac) == g.ORDER_PAID_0100.message


def test_the_builders_make_the_golden_responses(mac: MacFunction) -> None:
    request = g.ORDER_QUERY_0100.message
    found = order_query_response(request, rc="00", info=INFO, message="", when=g.WHEN,
                                 rrn="250115000008")
    paid = order_query_response(request, rc="P1", info=None, message="已于2024-05-01支付",
                                when=g.WHEN, rrn="250115000008")
    done = order_paid_response(g.ORDER_PAID_0100.message, rc="00", message="", when=g.WHEN,
                               rrn="250115000011")
    assert add_mac(found, mac) == g.ORDER_QUERY_0110.message
    assert add_mac(paid, mac) == g.ORDER_QUERY_0110_PAID.message
    assert add_mac(done, mac) == g.ORDER_PAID_0110.message


def test_the_parsers_read_the_golden_messages() -> None:
    assert parse_order_query_request(g.ORDER_QUERY_0100.message) == "6688000020"
    assert parse_order_query_response(g.ORDER_QUERY_0110.message) == INFO
    assert parse_order_query_response(g.ORDER_QUERY_0110_PAID.message) is None
    assert parse_order_message(g.ORDER_QUERY_0110_PAID.message) == "已于2024-05-01支付"
    assert parse_order_message(g.ORDER_PAID_0110.message) == ""
    paid = parse_order_paid_request(g.ORDER_PAID_0100.message)
    assert (paid.order_no, paid.amount, paid.bank) == ("6600000002", 40_000, LEG)


def test_the_catalogue_tells_the_two_apart_from_voucher_verification() -> None:
    assert classify(g.ORDER_QUERY_0100.message) is MessageKind.ORDER_QUERY
    assert classify(g.ORDER_PAID_0110.message) is MessageKind.ORDER_PAID
    assert classify(g.VOUCHER_0100.message) is MessageKind.VOUCHER_VERIFY


@pytest.mark.parametrize("code", ["", "9" * 33, "订单"])
def test_a_bad_order_code_is_refused_before_sending(code: str) -> None:
    with pytest.raises(EncodeError):
        order_query_request(stan=8, tid=g.TID, mid=g.MID, batch=1, code=code)


def test_a_bank_leg_without_a_12_character_rrn_is_refused() -> None:
    with pytest.raises(EncodeError):
        order_paid_request(stan=9, tid=g.TID, mid=g.MID, batch=1, order_no="1",
                           bank=BankLeg(batch=1, stan=2, rrn="short", amount=1))


@pytest.mark.parametrize("tlv", [
    "DF2103414243",                         # no order number: not an order
])
def test_a_response_without_an_order_number_has_no_order(tlv: str) -> None:
    assert parse_order_query_response(Message(mti="0110", fields={62: tlv})) is None


@pytest.mark.parametrize("tlv", [
    "DF2501" "31",                          # order number without title, total, due
    "DF2501" "31" "DF2101" "41" "DF2201" "41" "DF2301" "31",   # total not digits
    "DF25",                                 # truncated
    "DF2501" "31" "DF2501" "31",            # duplicate tag
    "DF2501" "31" "DF2102" "C328" "DF2201" "31" "DF2301" "31",  # title not UTF-8
])
def test_a_malformed_order_answer_is_one_decode_error(tlv: str) -> None:
    with pytest.raises(DecodeError):
        parse_order_query_response(Message(mti="0110", fields={62: tlv}))


@pytest.mark.parametrize("tlv", [
    "DF2501" "31" "DF2705" "3132333435" "DF2801" "31",   # bank leg too short
    "DF2501" "31" "DF2801" "31",                          # no bank leg
])
def test_a_malformed_notice_is_one_decode_error(tlv: str) -> None:
    with pytest.raises(DecodeError):
        parse_order_paid_request(Message(mti="0100", fields={62: tlv}))


def test_the_third_party_builders_make_the_golden_messages(mac: MacFunction) -> None:
    debit = party_debit_request(stan=11, tid=g.TID, mid=g.MID, batch=1, order_no="6600000007",
                                amount=15_000, pan=g.MEMBER_PAN,
                                pin_block=bytes.fromhex(g.PIN_BLOCK))
    assert add_mac(_framed(debit), mac) == g.PARTY_DEBIT_0200.message
    refused = party_debit_response(g.PARTY_DEBIT_0200.message, rc="51", auth_code=None,
                                   message="余额 100.00", when=g.WHEN, rrn="250115000011")
    assert add_mac(refused, mac) == g.PARTY_DEBIT_0210_NO_FUNDS.message
    paid = order_paid_request(stan=12, tid=g.TID, mid=g.MID, batch=1, order_no="6600000007",
                              bank=PartyLeg(batch=1, stan=11, amount=15_000))
    assert add_mac(_framed(paid), mac) == g.ORDER_PAID_0100_PARTY.message


def test_the_third_party_messages_parse_back() -> None:
    assert parse_party_debit_request(g.PARTY_DEBIT_0200.message) == "6600000007"
    assert parse_order_message(g.PARTY_DEBIT_0210_NO_FUNDS.message) == "余额 100.00"
    paid = parse_order_paid_request(g.ORDER_PAID_0100_PARTY.message)
    assert (paid.bank, paid.party) == (None, PartyLeg(batch=1, stan=11, amount=15_000))
    assert classify(g.PARTY_DEBIT_0200.message) is MessageKind.PARTY_DEBIT


def test_a_third_party_debit_reversal_drops_the_card_number_and_the_password() -> None:
    reversal = reversal_request(g.PARTY_DEBIT_0200.message, reason="98")
    assert reversal.mti == "0400" and reversal.get(3) == "730000"
    assert all(reversal.get(n) is None for n in (2, 52, 62, 64))


@pytest.mark.parametrize("pan", ["", "12345", "62220212345678901234", "6222O21234567890"])
def test_a_bad_third_party_card_number_is_refused_before_sending(pan: str) -> None:
    with pytest.raises(EncodeError):
        party_debit_request(stan=11, tid=g.TID, mid=g.MID, batch=1, order_no="1", amount=1,
                            pan=pan, pin_block=None)
