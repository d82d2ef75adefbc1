from __future__ import annotations

import pytest

from xpos.errors import DecodeError, EncodeError, RemoteProtocolError
from xpos.proto.codec import Message, encode_message, mac_input
from xpos.proto.messages import (
    MacFunction,
    MessageKind,
    add_mac,
    classify,
    needs_mac,
    parse_voucher_request,
    parse_voucher_response,
    request_mti,
    response_check,
    response_mti,
    swap_tpdu,
    verify_mac,
)

from . import golden as g

KINDS = [
    (g.SIGN_ON_0800, MessageKind.SIGN_ON), (g.SIGN_ON_0810, MessageKind.SIGN_ON),
    (g.SALE_0200, MessageKind.SALE), (g.SALE_0210, MessageKind.SALE),
    (g.REVERSAL_0400, MessageKind.REVERSAL), (g.REVERSAL_0410, MessageKind.REVERSAL),
    (g.VOUCHER_0100, MessageKind.VOUCHER_VERIFY), (g.VOUCHER_0110, MessageKind.VOUCHER_VERIFY),
]


@pytest.mark.parametrize(("golden", "kind"), KINDS, ids=[k[0].name for k in KINDS])
def test_classify_names_each_golden_message(golden: g.Golden, kind: MessageKind) -> None:
    assert classify(golden.message) is kind


@pytest.mark.parametrize("msg", [
    Message(mti="0820", fields={11: "000001"}),
    Message(mti="0200", fields={3: "990000"}),
    Message(mti="0100", fields={3: "030000"}),
    Message(mti="0200", fields={}),
])
def test_classify_rejects_messages_outside_the_catalogue(msg: Message) -> None:
    with pytest.raises(RemoteProtocolError):
        classify(msg)
    assert needs_mac(msg) is False


def test_sign_on_carries_no_mac_and_financial_and_voucher_messages_do() -> None:
    assert [needs_mac(k[0].message) for k in KINDS] == [False, False] + [True] * 6


def test_mti_helpers() -> None:
    assert response_mti("0200") == "0210"
    assert response_mti("0400") == "0410"
    assert request_mti("0810") == "0800"
    assert request_mti("0100") == "0100"
    assert swap_tpdu("6000030000") == "6000000003"


def test_mac_input_runs_from_the_mti_to_before_field64_with_bit64_set() -> None:
    msg = g.SALE_0200.message
    data = mac_input(msg.replace(drop=[64]))
    assert data == g.SALE_0200.wire[11:-8]
    assert data.startswith(bytes.fromhex("0200" "302404C020C09813"))


def test_mac_input_ignores_an_existing_field64() -> None:
    assert mac_input(g.SALE_0200.message) == mac_input(g.SALE_0200.message.replace(drop=[64]))


def test_verify_mac_fails_on_a_tampered_field(mac: MacFunction) -> None:
    tampered = g.SALE_0210.message.replace(set={4: "000000009999"})
    assert verify_mac(tampered, mac) is False


def test_verify_mac_fails_without_field64(mac: MacFunction) -> None:
    assert verify_mac(g.SALE_0200.message.replace(drop=[64]), mac) is False


def test_verify_mac_fails_with_another_key() -> None:
    def other(data: bytes) -> bytes:
        return b"00000000"
    assert verify_mac(g.SALE_0200.message, other) is False


def test_add_mac_rejects_a_mac_function_of_the_wrong_size() -> None:
    with pytest.raises(EncodeError) as info:
        add_mac(g.SALE_0200.message, lambda data: b"1234")
    assert info.value.field == "64"


def test_add_mac_result_encodes_to_the_golden_bytes(mac: MacFunction) -> None:
    unsigned = g.VOUCHER_0100.message.replace(drop=[64])
    assert encode_message(add_mac(unsigned, mac)) == g.VOUCHER_0100.wire


REQ = g.SALE_0200.message
RSP = g.SALE_0210.message


def test_response_check_accepts_the_golden_pairs() -> None:
    assert response_check(REQ, RSP) is None
    assert response_check(REQ, g.SALE_0210_DECLINED.message) is None
    assert response_check(g.SIGN_ON_0800.message, g.SIGN_ON_0810.message) is None
    assert response_check(g.REVERSAL_0400.message, g.REVERSAL_0410.message) is None
    assert response_check(g.VOUCHER_0100.message, g.VOUCHER_0110_USED.message) is None


@pytest.mark.parametrize(("response", "reason_part"), [
    (RSP.replace(mti="0110"), "MTI"),
    (RSP.replace(drop=[39]), "39"),
    (RSP.replace(set={3: "200000"}), "field 3"),
    (RSP.replace(set={11: "000003"}), "field 11"),
    (RSP.replace(set={41: "87654321"}), "field 41"),
    (RSP.replace(set={42: "999999999999999"}), "field 42"),
    (RSP.replace(set={4: "000000001000"}), "field 4"),
    (RSP.replace(drop=[4]), "field 4"),
])
def test_response_check_rejects_inconsistent_responses(response: Message,
                                                       reason_part: str) -> None:
    reason = response_check(REQ, response)
    assert reason is not None
    assert reason_part in reason


def test_response_check_ignores_field42_when_declined() -> None:
    declined = g.SALE_0210_DECLINED.message.replace(set={42: "999999999999999"})
    assert response_check(REQ, declined) is None


def test_response_check_allows_another_amount_for_partial_approval_10() -> None:
    partial = RSP.replace(set={39: "10", 4: "000000001000"})
    assert response_check(REQ, partial) is None


def _with_tlv(hex_tlv: str) -> Message:
    return g.VOUCHER_0110.message.replace(set={62: hex_tlv})


@pytest.mark.parametrize("tlv", [
    "DF1101",                                  # value overruns
    "DF120131DF130170",                        # title missing
    "DF110174DF120141DF130170",                # quantity not digits ("A")
    "DF1101FFDF120131DF130170",                # title not UTF-8
    "DF110174DF110174DF120131DF130170",        # duplicate tag
], ids=["overrun", "no-title", "qty", "utf8", "dup"])
def test_parse_voucher_response_rejects_bad_tlv(tlv: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_voucher_response(_with_tlv(tlv))
    assert info.value.field == "62"


def test_parse_voucher_request_rejects_missing_field62_or_method() -> None:
    with pytest.raises(DecodeError):
        parse_voucher_request(g.VOUCHER_0100.message.replace(drop=[62]))
    with pytest.raises(DecodeError):
        parse_voucher_request(g.VOUCHER_0100.message.replace(set={62: "DF020158"}))
