import re
from pathlib import Path

import pytest

from xpos.core.screen import truncate
from xpos.drivers.fakes import FakeDisplay
from xpos.emulator.app.keymap import APP_KEYS, KEYBOARD, KEYPAD_ROWS, terminal_key
from xpos.emulator.app.pinentry import PinEntry
from xpos.emulator.app.texts import UI_TEXTS, note, ui
from xpos.emulator.app.wallet import (
    DEMO_RFID_UIDS,
    Presentation,
    Section,
    in_section,
    items_for,
    keyable,
    wallet,
)
from xpos.emulator.app.widgets.host import compact_line, wrapped
from xpos.model import Key, fit_masked, mask_pan
from xpos.model.textwidth import text_width
from xpos.refhost.seed import DEMO
from xpos.testing.host import DEMO_ORDERS, J1_COUPON

DOC = Path(__file__).resolve().parents[2] / "docs" / "emulator.md"


class Pad:
    def __init__(self) -> None:
        self.asking = True
        self.entered: list[str] = []
        self.cancelled = 0

    def enter(self, pin: str) -> None:
        self.entered.append(pin)

    def cancel(self) -> None:
        self.cancelled += 1


def _keys(entry: PinEntry, pad: Pad, text: str) -> None:
    for char in text:
        entry.key(Key(char), pad)


def test_every_terminal_key_is_on_the_keypad_and_on_the_keyboard() -> None:
    assert sorted(k.name for row in KEYPAD_ROWS for k in row) == sorted(k.name for k in Key)
    assert set(KEYBOARD.values()) == set(Key)


def test_keyboard_map_avoids_the_emulator_keys_and_textual_bindings() -> None:
    assert not set(KEYBOARD) & set(APP_KEYS)
    assert not set(KEYBOARD) & {"ctrl+q", "ctrl+c", "ctrl+b", "tab", "shift+tab"}


def test_terminal_key() -> None:
    assert terminal_key("7") is Key.D7
    assert terminal_key("asterisk", "*") is Key.STAR
    assert terminal_key("number_sign", "#") is Key.HASH
    assert terminal_key("escape") is Key.CANCEL
    assert terminal_key("backspace") is Key.STAR  # delete one digit, as `*` does
    assert terminal_key("delete") is Key.CLEAR  # clear all, as 清除 does
    assert terminal_key("s", "s") is None


def test_pin_entry_submits_4_to_12_digits_and_forgets_them() -> None:
    entry, pad = PinEntry(), Pad()
    _keys(entry, pad, "123")
    entry.key(Key.ENTER, pad)
    assert entry.error and pad.entered == [] and entry.stars == "***"
    _keys(entry, pad, "4567")
    entry.key(Key.STAR, pad)
    assert entry.stars == "******" and not entry.error
    assert "123456" not in repr(entry) and "123456" not in repr(vars(entry).keys())
    entry.key(Key.ENTER, pad)
    assert pad.entered == ["123456"] and entry.stars == ""


def test_pin_entry_clear_empties_it_as_for_an_amount() -> None:
    entry, pad = PinEntry(), Pad()
    _keys(entry, pad, "1234")
    entry.key(Key.CLEAR, pad)
    assert entry.stars == "" and pad.entered == []
    _keys(entry, pad, "5678")
    entry.key(Key.ENTER, pad)
    assert pad.entered == ["5678"]


def test_pin_entry_stops_at_12_digits_and_ignores_other_keys() -> None:
    entry, pad = PinEntry(), Pad()
    _keys(entry, pad, "1234567890123")
    entry.key(Key.F1, pad)
    entry.key(Key.HASH, pad)
    assert entry.stars == "*" * 12
    entry.key(Key.STAR, pad)
    assert entry.stars == "*" * 11


def test_pin_entry_cancel() -> None:
    entry, pad = PinEntry(), Pad()
    _keys(entry, pad, "12")
    entry.key(Key.CANCEL, pad)
    assert pad.cancelled == 1 and entry.stars == "" and pad.entered == []


def test_wallet_has_every_demo_card_voucher_order_and_the_coupon_and_shows_nothing_in_clear(
        ) -> None:
    items = wallet()
    assert len(items_for(Presentation.SWIPE, items)) == len(DEMO.cards)
    orders = [o.order_no for o in DEMO_ORDERS]
    assert [i.data for i in in_section(Section.ORDER, items)] == [*orders, J1_COUPON]
    assert len(items_for(Presentation.SCAN, items)) == len(DEMO.vouchers) + len(orders) + 1
    assert items_for(Presentation.TAP, items)[0].data == "04A1B2C3"
    assert [i.ident for i in in_section(Section.MEMBER, items)] == ["swipe-member"]
    assert [i.section for i in items] == sorted((i.section for i in items),
                                                key=list(Section).index)
    assert keyable(items) == items_for(Presentation.SCAN, items)
    secrets = [c.pan for c in DEMO.cards] + [c.track2 for c in DEMO.cards]
    secrets += [v.code for v in DEMO.vouchers] + orders + [J1_COUPON]
    for item in items:
        for text in (item.short, item.long, repr(item)):
            assert not any(secret in text for secret in secrets), text
        assert item.data in secrets or item.how is Presentation.TAP


def test_compact_host_line_puts_the_value_first() -> None:
    assert compact_line("   4 amount (fen)                 000000001234") == \
        "  4 000000001234  amount (fen)"
    assert compact_line("→host 0200 sale 消费 · TPDU 6000030000") == \
        "→host 0200 sale 消费 · TPDU 6000030000"


def test_every_demo_note_is_shown_in_chinese_and_in_english() -> None:
    notes = [c.note for c in DEMO.cards] + [v.note for v in DEMO.vouchers]
    notes += [n for _, n in DEMO_RFID_UIDS]
    for text in notes:
        zh, en = note(text, "zh"), note(text, "en")
        assert zh != text and not re.search(r"[a-z]{3,}", zh), (text, zh)
        assert en and zh != en
    chinese = [item.long for item in wallet(lang="zh")]
    assert not any(re.search(r"approved|balance|valid|used|expired|order", t) for t in chinese)
    assert "批准 00" in chinese[0] and "approved" in wallet(lang="en")[0].long
    assert "应付2000.00 定金 20%" in "".join(chinese) and "J1 订单8折, k 输入" in "".join(chinese)
    assert "due 2000.00 (定金 20%)" in "".join(item.long for item in wallet(lang="en"))


def test_host_lines_wrap_instead_of_being_cut() -> None:
    line = "  62 TLV                          title='冰淇淋蛋糕' qty=1 expires=2099-12-31"
    rows = wrapped(compact_line(line), 40)
    assert all(text_width(row) <= 40 for row in rows) and len(rows) > 1
    assert wrapped(line, 39) == [line]  # too narrow: cut on screen, readable zoomed
    assert "".join(row.strip() for row in rows).replace(" ", "") == \
        compact_line(line).replace(" ", "")


def test_ui_texts_exist_in_both_languages() -> None:
    for key, (zh, en) in UI_TEXTS.items():
        assert zh and en, key
    assert ui("no.such.key") == "no.such.key"


@pytest.mark.parametrize("word", ["Enter", "Esc", "Backspace", "Delete", "F1", "F2", "Ctrl+Q",
                                  "PageUp", "`[`", "`m`", "`s`", "`t`", "`b`", "`p`", "`r`",
                                  "`h`"])
def test_the_docs_list_the_keys(word: str) -> None:
    assert word in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize(("cols", "shown"), [(20, "621234*********4567"),
                                             (16, "621234******4567"),
                                             (11, "621234*4567"),
                                             (10, "621234*456")])
def test_a_masked_pan_loses_stars_before_its_last_digits(cols: int, shown: str) -> None:
    assert fit_masked(mask_pan(DEMO.card("alice").pan), cols) == shown
    display = FakeDisplay(rows=2, cols=cols)
    display.show(["卡号", mask_pan(DEMO.card("alice").pan)])
    assert display.lines[1] == shown


def test_only_a_line_too_wide_loses_stars_and_other_lines_are_cut_as_before() -> None:
    assert fit_masked("金额: 12.34", 6) == "金额: "
    assert fit_masked("密码: ******", 8) == "密码: **"  # stars at the end: cut, not squeezed
    assert fit_masked("卡 ****1234 END", 9) == "卡 *1234 "  # the stars go first
    assert truncate("621234*********4567", 16) == "621234******4567"
