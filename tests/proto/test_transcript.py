from __future__ import annotations

import pytest

from xpos.proto.codec import Message
from xpos.proto.transcript import describe

from . import golden as g

SECRETS = [g.PAN, g.TRACK2, g.TRACK2[20:], g.PIN_BLOCK, g.MEMBER_PAN, g.KEY_BLOCK,
           g.KEY_BLOCK[:32], g.VOUCHER_CODE]


@pytest.mark.parametrize("one_line", [False, True], ids=["multi-line", "one-line"])
@pytest.mark.parametrize("golden", g.GOLDEN, ids=[x.name for x in g.GOLDEN])
def test_describe_never_shows_pan_track_pin_block_keys_or_voucher_code(
        golden: g.Golden, one_line: bool) -> None:
    text = describe(golden.message, one_line=one_line)
    for secret in SECRETS:
        assert secret not in text
    assert golden.message.mti in text


def test_describe_masks_the_pan_inside_track2_and_the_pin_block() -> None:
    text = describe(g.SALE_0200.message)
    assert "<track masked 621234*********4567>" in text
    assert "<PIN block>" in text
    assert "3738464231393734" in text
    assert "sale" in text


def test_describe_masks_field2_and_shows_sign_on_keys_as_keys() -> None:
    assert "622202*********0123" in describe(g.VOUCHER_0100_MEMBER.message)
    assert "<keys>" in describe(g.SIGN_ON_0810.message)


def test_describe_shows_the_voucher_code_masked_and_the_response_text() -> None:
    assert "************4444" in describe(g.VOUCHER_0100.message)
    assert "生日蛋糕券 8寸" in describe(g.VOUCHER_0110.message)


def test_describe_hides_tracks_it_cannot_parse_and_track3() -> None:
    msg = Message(mti="0200", fields={3: "000000", 35: "62123456789AB1C2D3E4F5",
                                      36: "996212345678901234567D1561560000"})
    text = describe(msg)
    assert "<track>" in text
    assert "6212345678" not in text


def test_describe_survives_unknown_messages_and_bad_tlv() -> None:
    msg = Message(mti="0100", fields={3: "700000", 2: "12AB", 55: "9F0201", 62: "DF"})
    text = describe(msg)
    assert "<bad TLV, 1 bytes>" in text
    assert "<ICC data, 3 bytes>" in text
    assert "<PAN>" in text
    assert "unknown message" in describe(Message(mti="0820", fields={}))


def test_message_repr_hides_pan_track_and_pin_block() -> None:
    text = repr(g.SALE_0200.message) + repr(g.VOUCHER_0100_MEMBER.message)
    for secret in (g.PAN, g.TRACK2, g.PIN_BLOCK, g.MEMBER_PAN):
        assert secret not in text


def test_x2_order_tlv_is_named_and_masked() -> None:
    from . import golden as g
    from .golden_x2 import ORDER_PAID_0100_COMBO, PARTY_DEBIT_0210_BALANCE

    query = describe(g.ORDER_QUERY_0100.message, one_line=True)
    assert "keyed='******0020'" in query and "6688000020" not in query
    found = describe(g.ORDER_QUERY_0110.message, one_line=True)
    assert "title='SUV租赁2天'" in found and "due='40000'" in found
    paid = describe(ORDER_PAID_0100_COMBO.message, one_line=True)
    assert "bank_amount='40000'" in paid and "party_amount='20000'" in paid
    low = describe(PARTY_DEBIT_0210_BALANCE.message, one_line=True)
    assert "balance=<5 bytes>" in low and "20000" not in low
    debit = describe(g.PARTY_DEBIT_0200.message, one_line=True)
    assert "6222021234567890123" not in debit and "order='6600000007'" in debit
