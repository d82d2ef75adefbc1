from __future__ import annotations

import asyncio

import pytest

from xpos.drivers.fake_cards import FakeCardReader, FakeRfidReader, FakeScanner
from xpos.drivers.fake_pinpad import FakePinPad
from xpos.drivers.fakes import FakeDisplay, FakeKeypad, FakePrinter
from xpos.errors import CardReadError, KeyMissingError, PaperOutError, SecurityError
from xpos.model import CardData, CardSource, Key
from xpos.model.textwidth import fit_width, text_width
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block

TRACK2 = "6212345678901234567=30121010000000000"
PAN = "6212345678901234567"
PIK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")


async def _read_keys(keypad: FakeKeypad, count: int) -> list[Key]:
    return [await keypad.read_key() for _ in range(count)]


def test_keypad_press_accepts_names_keys_and_text_in_order() -> None:
    keypad = FakeKeypad()
    keypad.press("1", "#", "ENTER", Key.CANCEL, "menu")
    keypad.press_text("20*")
    keys = asyncio.run(_read_keys(keypad, 8))
    assert keys == [Key.D1, Key.HASH, Key.ENTER, Key.CANCEL, Key.MENU, Key.D2, Key.D0, Key.STAR]
    assert keypad.pending == 0


def test_keypad_unknown_key_queues_nothing() -> None:
    keypad = FakeKeypad()
    with pytest.raises(ValueError, match="BOGUS"):
        keypad.press("1", "BOGUS")
    assert keypad.pending == 0


def test_text_width_counts_cjk_and_fullwidth_as_two() -> None:
    assert text_width("消费 SALE") == 9
    assert text_width("￥12.34") == 7
    assert fit_width("签购单 POS", 5) == "签购"
    assert fit_width("ABC", 10) == "ABC"


def test_display_truncates_cjk_lines_by_columns_and_drops_extra_rows() -> None:
    display = FakeDisplay(rows=3, cols=10)
    display.show(["请刷卡或插卡 SWIPE", "ABCDEFGHIJKL", "消费", "extra"])
    assert display.lines == ("请刷卡或插", "ABCDEFGHIJ", "消费")
    assert all(text_width(line) <= 10 for line in display.lines)


def test_display_never_splits_a_wide_character() -> None:
    display = FakeDisplay(rows=1, cols=5)
    display.show(["AB消费"])
    assert display.lines == ("AB消",)


def test_display_keeps_history_and_blanks_control_characters() -> None:
    display = FakeDisplay()
    display.show(["one"])
    display.show(["a\tb", "c\x1bd"])
    assert display.history == [("one",), ("a b", "c d")]
    assert display.text == "a b\nc d"


def test_display_given_a_plain_string_shows_its_lines() -> None:
    display = FakeDisplay()
    display.show("金额\n12.34")
    assert display.lines == ("金额", "12.34")


def test_printer_out_of_paper_raises_and_appends_nothing() -> None:
    printer = FakePrinter()
    printer.print_bytes(b"one\n")
    printer.paper_out()
    with pytest.raises(PaperOutError):
        printer.print_bytes(b"two\n")
    assert printer.output == b"one\n"
    assert not printer.paper_ok
    printer.reload()
    printer.print_bytes(b"three\n")
    assert printer.output == b"one\nthree\n"
    assert printer.jobs == [b"one\n", b"three\n"]


def test_card_reader_swipe_parses_track2() -> None:
    reader = FakeCardReader()
    reader.swipe(TRACK2)
    card = asyncio.run(reader.read_card())
    assert (card.source, card.pan, card.expiry, card.service_code) == (
        CardSource.SWIPE, PAN, "3012", "101")
    assert card.track2 == TRACK2
    assert TRACK2 not in repr(card)
    assert PAN not in repr(card)
    assert "621234*********4567" in repr(card)


def test_card_reader_swipe_of_card_data_passes_it_through() -> None:
    reader = FakeCardReader()
    card = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012", track2=TRACK2)
    reader.swipe(card)
    assert asyncio.run(reader.read_card()) is card


@pytest.mark.parametrize("bad", ["", "6212345678901234567", "62=3012101", "abc=30121010"])
def test_card_reader_bad_track_raises_card_read_error_on_read_without_the_data(bad: str) -> None:
    reader = FakeCardReader()
    reader.swipe(bad)
    reader.swipe(TRACK2)
    with pytest.raises(CardReadError) as info:
        asyncio.run(reader.read_card())
    if bad:
        assert bad not in str(info.value)
    assert asyncio.run(reader.read_card()).pan == PAN


def test_rfid_tap_gives_uppercase_uid_and_rejects_non_hex() -> None:
    reader = FakeRfidReader()
    reader.tap("04a1b2c3")
    reader.tap("xyz")
    card = asyncio.run(reader.read_card())
    assert (card.source, card.uid, card.pan) == (CardSource.TAP, "04A1B2C3", "")
    with pytest.raises(CardReadError):
        asyncio.run(reader.read_card())


def test_scanner_strips_line_end_and_rejects_empty_code() -> None:
    scanner = FakeScanner()
    scanner.scan("VC123456\r\n")
    scanner.scan("  ")
    card = asyncio.run(scanner.read_card())
    assert (card.source, card.code) == (CardSource.SCAN, "VC123456")
    with pytest.raises(CardReadError):
        asyncio.run(scanner.read_card())


def test_pinpad_gives_the_published_iso0_block_under_the_pik() -> None:
    pinpad = FakePinPad()
    pinpad.load_pik(PIK)
    pinpad.enter("123456")
    block = asyncio.run(pinpad.get_pin_block(PAN, 1234))
    assert block == bytes.fromhex("84615C0FB761528E")
    assert pin_from_clear_block(decrypt_pin_block(PIK, block), PAN) == "123456"
    assert pinpad.prompts == [("621234*********4567", 1234)]


def test_pinpad_cancel_gives_none() -> None:
    pinpad = FakePinPad()
    pinpad.load_pik(PIK)
    pinpad.cancel()
    assert asyncio.run(pinpad.get_pin_block(PAN, None)) is None


def test_pinpad_without_pik_raises_key_missing_without_consuming_entry() -> None:
    pinpad = FakePinPad()
    pinpad.enter("1234")
    with pytest.raises(KeyMissingError):
        asyncio.run(pinpad.get_pin_block(PAN, 100))
    pinpad.load_pik(PIK)
    assert asyncio.run(pinpad.get_pin_block(PAN, 100)) is not None


def test_pinpad_never_shows_the_pin_in_repr() -> None:
    pinpad = FakePinPad()
    pinpad.load_pik(PIK)
    pinpad.enter("987654")
    assert "987654" not in repr(pinpad)
    assert "987654" not in repr(pinpad._entries)


def test_pinpad_forgets_the_pin_after_the_call() -> None:
    pinpad = FakePinPad()
    pinpad.load_pik(PIK)
    pinpad.enter("987654")
    entry = pinpad._entries._queue[0]  # type: ignore[attr-defined]
    asyncio.run(pinpad.get_pin_block(PAN, 100))
    assert entry.pin is None
    assert pinpad._entries.qsize() == 0


def test_pinpad_rejects_bad_pin_without_echoing_it_and_bad_pik_length() -> None:
    pinpad = FakePinPad()
    with pytest.raises(ValueError) as info:
        pinpad.enter("12a4")
    assert "12a4" not in str(info.value)
    with pytest.raises(SecurityError):
        pinpad.load_pik(b"\x01" * 10)


def test_pinpad_is_asking_only_while_a_request_waits_for_an_entry() -> None:
    async def scenario() -> None:
        pinpad = FakePinPad()
        pinpad.load_pik(PIK)
        assert not pinpad.asking
        request = asyncio.create_task(pinpad.get_pin_block(PAN, 100))
        await asyncio.sleep(0)
        assert pinpad.asking
        pinpad.enter("123456")
        assert not pinpad.asking
        assert await request is not None
        assert not pinpad.asking

    asyncio.run(scenario())
