"""The host pane's X-menu words (xpos/emulator/app/hostwords.py): every TLV item on its own
line, in words, masked; card data sealed, PIN block and balance by size; bad input is data."""

from xpos.emulator.app.hostwords import describe_words, has_x_tlv, tlv_lines
from xpos.proto import interactive as x3
from xpos.proto import order
from xpos.proto import voucher as vc
from xpos.proto.codec import Message
from xpos.proto.tlv import encode_tlv

TRACK = b"\x11" * 32
PIN = b"\x22" * 8


def x_message(processing: str, items: list[tuple[int, bytes]], mti: str = "0200") -> Message:
    return Message(mti=mti, fields={3: processing, 11: "000007",
                                    62: encode_tlv(items).hex().upper()})


def test_a_third_party_step_result_shows_card_masked_track_sealed_and_no_pin() -> None:
    msg = x_message("790000", [(x3.TAG_SESSION, b"S1"), (x3.TAG_NUMBER, b"3"),
                               (x3.TAG_RESULT, b"00"), (x3.TAG_AMOUNT, b"5000"),
                               (x3.TAG_CARD, b"886800******0001"), (x3.TAG_TRACK, TRACK),
                               (x3.TAG_PIN, PIN)], mti="0100")
    text = describe_words("→host", msg, "en")
    assert "      result: 00 ok" in text and "      amount: ¥50.00" in text
    assert "      card: 886800******0001" in text
    assert "      track (sealed): <sealed> (32 bytes)" in text
    assert "      PIN: <PIN block> (8 bytes)" in text
    assert TRACK.hex() not in text.lower() and PIN.hex() not in text.lower()
    assert "X-menu TLV" in text and "TLV session=" not in text


def test_order_codes_keep_their_last_4_and_amounts_are_in_yuan() -> None:
    msg = x_message("710000", [(order.TAG_KEYED, b"6688000020"), (order.TAG_DUE, b"40000"),
                               (order.TAG_BALANCE, b"20000"),
                               (vc.TAG_CODE, b"883300112233"),
                               (vc.TAG_MEMBER, b"8868000000000001")])
    lines = tlv_lines(msg.fields[62], "zh")
    assert lines == ["      输入的订单号/券号: ******0020", "      应付金额: ¥400.00",
                     "      第三方卡余额: <balance> (5 bytes)", "      券码: ********2233",
                     "      会员卡号: 886800******0001"]


def test_platform_text_is_data_and_a_step_reads_in_words() -> None:
    items = [(x3.S_TYPE, b"SEL"), (x3.S_TEXT, "缴费\n\x1b[2J请选择".encode()),
             (x3.S_ITEM, "bills\x1f水电缴费".encode()),
             (x3.S_FIELD, "户号\x1f8\x1f8\x1fdigits\x1f1".encode()), (0xDF7F, b"xyz")]
    lines = tlv_lines(encode_tlv(items).hex(), "en")
    assert lines == ["      step type: SEL select", "      text: 缴费 / [2J请选择",
                     "      item: bills: 水电缴费", "      field: 户号 8-8 digits hidden",
                     "      DF7F: <3 bytes>"]


def test_bad_tlv_is_one_line_and_other_messages_are_left_as_the_transcript_has_them() -> None:
    assert tlv_lines("DF", "zh") == ["      <bad TLV, 1 bytes>"]
    assert tlv_lines("zz", "zh") == ["      <bad TLV, 1 bytes>"]
    keys = Message(mti="0810", fields={3: "780000", 62: "DF0101"})
    sale = Message(mti="0200", fields={3: "000000", 62: "DF0101"})
    assert not has_x_tlv(keys) and not has_x_tlv(sale)
    assert "<keys>" in describe_words("←host", keys) and "X菜单" not in describe_words(
        "→host", sale)
