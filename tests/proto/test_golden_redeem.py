"""X1 redemption goldens (query, N of M, X void), both directions; the builders give
exactly these messages and the parsers read them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import DecodeError, EncodeError
from xpos.proto import messages as m
from xpos.proto.codec import decode_message, encode_message
from xpos.proto.messages import MacFunction, needs_mac, verify_mac
from xpos.proto.routing import is_x_class
from xpos.proto.voucher import (
    VOUCHER_RESPONSE_CODES,
    VoucherInfo,
    parse_voucher_request,
    parse_voucher_response,
    voucher_request,
    voucher_response,
)
from xpos.proto.voucher_x import (
    TAG_ORIGINAL_BATCH,
    TAG_ORIGINAL_STAN,
    VoucherVoidOriginal,
    parse_voucher_void_request,
    voucher_query_request,
    voucher_void_request,
)

from .docgen import hexdump
from .golden import MID, TID, WHEN, Golden
from .golden_redeem import (
    GOLDEN_REDEEM,
    VOUCHER_QUERY_0100,
    VOUCHER_QUERY_0110,
    VOUCHER_QUERY_0110_V3,
    VOUCHER_REDEEM_0100,
    VOUCHER_REDEEM_0110,
    VOUCHER_VOID_0100,
    VOUCHER_VOID_0110,
    VOUCHER_VOID_0110_V7,
    VOUCHER_VOID_0400,
)

IDS = [g.name for g in GOLDEN_REDEEM]
DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
CODE = "883300112239"
ORIGINAL = VoucherVoidOriginal(batch=1, stan=4)


@pytest.mark.parametrize("golden", GOLDEN_REDEEM, ids=IDS)
def test_golden_message_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", GOLDEN_REDEEM, ids=IDS)
def test_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", GOLDEN_REDEEM, ids=IDS)
def test_golden_mac_is_present_and_verifies(golden: Golden, mac: MacFunction) -> None:
    assert needs_mac(golden.message) and verify_mac(golden.message, mac)


@pytest.mark.parametrize("golden", GOLDEN_REDEEM, ids=IDS)
def test_every_redemption_message_goes_to_the_platform(golden: Golden) -> None:
    assert is_x_class(golden.message)
    tpdu = golden.message.tpdu
    platform = tpdu[6:10] if m.is_response(golden.message.mti) else tpdu[2:6]
    assert platform == "0008"  # destination out, source back (docs/protocol.md §5)


@pytest.mark.parametrize("golden", GOLDEN_REDEEM, ids=IDS)
def test_protocol_doc_shows_each_golden_as_a_hex_dump(golden: Golden) -> None:
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in DOC


def test_the_builders_give_the_goldens(mac: MacFunction) -> None:
    query = voucher_query_request(stan=3, tid=TID, mid=MID, batch=1, code=CODE, method="keyed")
    redeem = voucher_request(stan=4, tid=TID, mid=MID, batch=1, code=CODE, method="keyed",
                             units=2)
    void = voucher_void_request(stan=5, tid=TID, mid=MID, batch=1, original=ORIGINAL)
    assert m.add_mac(query, mac) == VOUCHER_QUERY_0100.message
    assert m.add_mac(redeem, mac) == VOUCHER_REDEEM_0100.message
    assert m.add_mac(void, mac) == VOUCHER_VOID_0100.message
    reversal = m.reversal_request(void, reason="98")
    assert m.add_mac(reversal, mac) == VOUCHER_VOID_0400.message


def test_the_answer_builder_gives_the_goldens(mac: MacFunction) -> None:
    info = VoucherInfo(title="健身次卡", quantity=5, provider="团购演示", value=3000,
                       expires="2099-12-31")
    built = voucher_response(VOUCHER_QUERY_0100.message, rc="00", info=info, when=WHEN,
                             rrn="250115000003")
    assert m.add_mac(built.replace(drop=(64,)), mac) == VOUCHER_QUERY_0110.message
    info = VoucherInfo(title="健身次卡", quantity=5, provider="团购演示", units=2)
    built = voucher_response(VOUCHER_VOID_0100.message, rc="00", info=info, when=WHEN,
                             rrn="250115000005")
    assert m.add_mac(built.replace(drop=(64,)), mac) == VOUCHER_VOID_0110.message


def test_the_terminal_reads_items_left_value_validity_and_items_redeemed() -> None:
    found = parse_voucher_response(decode_message(VOUCHER_QUERY_0110.wire))
    assert found == VoucherInfo(title="健身次卡", quantity=5, provider="团购演示", value=3000,
                                expires="2099-12-31")
    done = parse_voucher_response(decode_message(VOUCHER_REDEEM_0110.wire))
    assert done is not None and (done.quantity, done.units) == (3, 2)
    back = parse_voucher_response(decode_message(VOUCHER_VOID_0110.wire))
    assert back is not None and (back.quantity, back.units) == (5, 2)


def test_the_platforms_words_come_with_a_refusal() -> None:
    v3 = parse_voucher_response(decode_message(VOUCHER_QUERY_0110_V3.wire))
    v7 = parse_voucher_response(decode_message(VOUCHER_VOID_0110_V7.wire))
    assert v3 is not None and v3.message == "2099-12-24起可用"
    assert v7 is not None and v7.message == "超过24小时不能撤销"
    assert {"V3", "V7"} <= set(VOUCHER_RESPONSE_CODES)


def test_the_host_reads_the_items_asked_and_the_voided_original() -> None:
    asked = parse_voucher_request(decode_message(VOUCHER_REDEEM_0100.wire))
    assert (asked.code, asked.method, asked.units) == (CODE, "keyed", 2)
    assert parse_voucher_request(decode_message(VOUCHER_QUERY_0100.wire)).units is None
    assert parse_voucher_void_request(decode_message(VOUCHER_VOID_0100.wire)) == ORIGINAL


@pytest.mark.parametrize("units", [0, 1_000_000])
def test_items_out_of_range_are_not_sent(units: int) -> None:
    with pytest.raises(EncodeError):
        voucher_request(stan=4, tid=TID, mid=MID, batch=1, code=CODE, method="keyed",
                        units=units)


def test_zero_items_asked_is_a_format_error() -> None:
    bad = VOUCHER_REDEEM_0100.message.replace(set={62: (VOUCHER_REDEEM_0100.message.get(62)
                                                       or "").replace("DF330132", "DF330130")})
    with pytest.raises(DecodeError):
        parse_voucher_request(bad)


@pytest.mark.parametrize("tlv", ["", "DF3406303030303034", "DF3406303030303034DF35023031",
                                 "DF3406303030303041DF3506303030303031", "DF34"])
def test_a_void_without_a_readable_original_is_a_format_error(tlv: str) -> None:
    bad = VOUCHER_VOID_0100.message.replace(set={62: tlv}) if tlv else \
        VOUCHER_VOID_0100.message.replace(drop=(62,))
    with pytest.raises(DecodeError):
        parse_voucher_void_request(bad)


def test_protocol_doc_names_the_redemption_tags() -> None:
    for tag in (0xDF30, 0xDF31, 0xDF33, TAG_ORIGINAL_STAN, TAG_ORIGINAL_BATCH):
        assert f"`{tag:X}`" in DOC
