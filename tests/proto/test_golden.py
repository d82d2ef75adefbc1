from __future__ import annotations

import pytest

from xpos.model import mask_pan
from xpos.proto.codec import Message, decode_message, encode_message
from xpos.proto.messages import MacFunction, needs_mac, verify_mac
from xpos.security.keys import parse_signon_keys
from xpos.security.mac import MacAlgorithm, compute_mac

from .golden import (
    GOLDEN,
    KEY_BLOCK,
    MAK,
    MEMBER_PAN,
    PIK,
    SALE_0200,
    SIGN_ON_0810,
    TDK,
    TMK,
    VOUCHER_0100_MEMBER,
    Golden,
)

IDS = [g.name for g in GOLDEN]


@pytest.mark.parametrize("golden", GOLDEN, ids=IDS)
def test_golden_message_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", GOLDEN, ids=IDS)
def test_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", GOLDEN, ids=IDS)
def test_golden_mac_is_present_exactly_when_needed_and_verifies(
        golden: Golden, mac: MacFunction) -> None:
    assert needs_mac(golden.message) == (golden.message.get(64) is not None)
    if needs_mac(golden.message):
        assert verify_mac(golden.message, mac)


def test_mac_key_is_the_reference_vector_key() -> None:
    assert compute_mac(MacAlgorithm.CUP_ECB, MAK, bytes.fromhex("010203")) == b"F11F2C27"


def test_field2_of_19_digits_is_length_19_then_10_bytes_ending_70() -> None:
    msg = Message(mti="0200", fields={2: "6212345678901234567"})
    body = encode_message(msg)
    assert body[21:] == bytes.fromhex("19" "62123456789012345670")
    assert body[-1] == 0x70


def test_field22_021_is_sent_left_aligned_as_02_10() -> None:
    body = encode_message(Message(mti="0200", fields={22: "021"}))
    assert body[21:] == bytes.fromhex("0210")


def test_field23_is_right_aligned() -> None:
    body = encode_message(Message(mti="0200", fields={23: "001"}))
    assert body[21:] == bytes.fromhex("0001")


def test_field49_currency_is_ascii_not_bcd() -> None:
    body = encode_message(Message(mti="0200", fields={49: "156"}))
    assert body[21:] == b"156"


def test_sale_field60_is_the_reference_14_digit_example() -> None:
    body = encode_message(SALE_0200.message)
    assert bytes.fromhex("0014" "22000001000500") in body


def test_golden_sign_on_key_block_decrypts_under_the_tmk_with_valid_kcvs() -> None:
    keys = parse_signon_keys(bytes.fromhex(KEY_BLOCK), TMK, mode="004")
    assert (keys.pik, keys.mak, keys.tdk) == (PIK, MAK, TDK)
    assert SIGN_ON_0810.message.get(62) == KEY_BLOCK


def test_golden_member_request_carries_the_full_pan_only_in_field2() -> None:
    msg = VOUCHER_0100_MEMBER.message
    assert msg.get(2) == MEMBER_PAN
    tlv = bytes.fromhex(msg.fields[62])
    assert MEMBER_PAN.encode() not in tlv
    assert mask_pan(MEMBER_PAN).encode() in tlv


def test_void_builder_gives_the_golden_void(mac: MacFunction) -> None:
    from xpos.proto import messages as m

    from .golden import MID, PIN_BLOCK, TID, TRACK2, VOID_0200, VOID_0200_NO_RRN

    original = m.Original(batch=1, stan=2, rrn="250115000002", auth_code="123456")
    built = m.void_request(original=original, stan=7, tid=TID, mid=MID, batch=1,
                           amount=1234, track2=TRACK2, expiry="3012",
                           pin_block=bytes.fromhex(PIN_BLOCK))
    assert m.add_mac(built, mac) == VOID_0200.message
    bare = m.void_request(original=m.Original(batch=1, stan=2), stan=8, tid=TID, mid=MID,
                          batch=1, amount=1234, track2=TRACK2, expiry="3012", pin_block=None)
    assert m.add_mac(bare, mac) == VOID_0200_NO_RRN.message
    assert m.classify(built) is m.MessageKind.VOID
    assert m.parse_original(built) == (1, 2)


def test_the_reversal_of_a_void_keeps_61_and_drops_the_card(mac: MacFunction) -> None:
    from xpos.proto import messages as m

    from .golden import VOID_0200, VOID_REVERSAL_0400

    reversal = m.add_mac(m.reversal_request(VOID_0200.message, reason="98"), mac)
    assert reversal == VOID_REVERSAL_0400.message
    assert not {2, 35, 37, 52, 53} & set(reversal.fields)
