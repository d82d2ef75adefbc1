"""Golden tests of the keyboard-wedge decoder: recorded evdev key sequences -> lines."""

from __future__ import annotations

import pytest

from xpos.drivers.wedge import (
    KEY_DOWN,
    KEY_HOLD,
    KEY_UP,
    US_LAYOUT,
    WedgeDecoder,
    WedgeLine,
    lines_of,
    type_text,
)

evdev = pytest.importorskip(
    "evdev", reason="optional extra evdev (needs a C compiler): pip install evdev==2.0.0")
InputEvent, ecodes = evdev.InputEvent, evdev.ecodes

SYN, MSC = ecodes.EV_SYN, ecodes.EV_MSC

# A USB RFID reader typing the UID 0x12345678 as "0305419896" + Enter, as recorded with
# `evtest`: (code, value) pairs, key codes from input-event-codes.h.
RFID_DEC_KEYS = [
    (11, 1), (11, 0), (4, 1), (4, 0), (11, 1), (11, 0), (6, 1), (6, 0), (5, 1), (5, 0),
    (2, 1), (2, 0), (10, 1), (10, 0), (9, 1), (9, 0), (10, 1), (10, 0), (7, 1), (7, 0),
    (28, 1), (28, 0),
]
# "%B1^" with Shift held around % (KEY_5), B (KEY_B) and ^ (KEY_6); right Shift for B.
SHIFTED_KEYS = [
    (42, 1), (6, 1), (6, 0), (42, 0), (54, 1), (48, 1), (48, 0), (54, 0),
    (2, 1), (2, 0), (42, 1), (7, 1), (7, 0), (42, 0), (28, 1), (28, 0),
]


def _recorded(keys: list[tuple[int, int]]) -> list[InputEvent]:
    """How the kernel delivers them: MSC_SCAN, EV_KEY, SYN_REPORT per key."""
    events: list[InputEvent] = []
    for n, (code, value) in enumerate(keys):
        sec, usec = 1700000000 + n // 1000, n % 1000
        events += [InputEvent(sec, usec, MSC, ecodes.MSC_SCAN, 0x70000 + code),
                   InputEvent(sec, usec, ecodes.EV_KEY, code, value),
                   InputEvent(sec, usec, SYN, ecodes.SYN_REPORT, 0)]
    return events


def test_layout_codes_are_evdevs_key_codes() -> None:
    names = {"KEY_A": ("a", "A"), "KEY_SEMICOLON": (";", ":"), "KEY_5": ("5", "%"),
             "KEY_SLASH": ("/", "?"), "KEY_EQUAL": ("=", "+"), "KEY_6": ("6", "^"),
             "KEY_KP7": ("7", "7"), "KEY_SPACE": (" ", " "), "KEY_GRAVE": ("`", "~"),
             "KEY_BACKSLASH": ("\\", "|"), "KEY_M": ("m", "M"), "KEY_0": ("0", ")")}
    for name, chars in names.items():
        assert US_LAYOUT[getattr(ecodes, name)] == chars, name


def test_recorded_rfid_uid_stream_gives_one_line() -> None:
    lines = WedgeDecoder().feed_events(_recorded(RFID_DEC_KEYS))
    assert [line.text for line in lines] == ["0305419896"]


def test_shift_left_and_right_give_shifted_characters() -> None:
    assert WedgeDecoder().feed_events(_recorded(SHIFTED_KEYS)) == [WedgeLine(text="%B1^")]


def test_autorepeat_is_ignored_and_caps_lock_swaps_letters_only() -> None:
    keys = [(30, KEY_DOWN), (30, KEY_HOLD), (30, KEY_HOLD), (30, KEY_UP),
            (58, 1), (58, 0), (30, 1), (30, 0), (2, 1), (2, 0), (42, 1), (30, 1), (30, 0),
            (42, 0), (28, 1), (28, 0)]
    assert [line.text for line in lines_of(WedgeDecoder(), keys)] == ["aA1a"]


def test_a_key_without_character_spoils_only_its_line() -> None:
    f5 = ecodes.KEY_F5
    keys = [(2, 1), (2, 0), (f5, 1), (f5, 0), (3, 1), (3, 0), (28, 1), (28, 0),
            *RFID_DEC_KEYS]
    lines = list(lines_of(WedgeDecoder(), keys))
    assert lines[0].error == f"unexpected key {f5} in the input"
    assert lines[0].text == ""
    assert lines[1] == WedgeLine(text="0305419896")


def test_an_overlong_line_is_one_error_then_decoding_goes_on() -> None:
    keys = type_text("1" * 20) + type_text("22")
    lines = list(lines_of(WedgeDecoder(max_line=10), keys))
    assert [(line.text, bool(line.error)) for line in lines] == [("", True), ("22", False)]


def test_tab_suffix_ends_lines_and_enter_is_then_an_unexpected_key() -> None:
    decoder = WedgeDecoder(terminators=[ecodes.KEY_TAB])
    keys = type_text("VC2024", terminator=ecodes.KEY_TAB)
    assert [line.text for line in lines_of(decoder, keys)] == ["VC2024"]
    assert list(lines_of(decoder, type_text("X"))) == []  # Enter does not end the line
    tab = [(ecodes.KEY_TAB, 1), (ecodes.KEY_TAB, 0)]
    assert list(lines_of(decoder, tab)) == [WedgeLine(error="unexpected key 28 in the input")]


def test_empty_lines_are_skipped_and_repr_hides_the_text() -> None:
    lines = list(lines_of(WedgeDecoder(), [(28, 1), (28, 0), *type_text(";6212?")]))
    assert lines == [WedgeLine(text=";6212?")]
    assert "6212" not in repr(lines[0])


def test_type_text_is_the_inverse_of_the_decoder() -> None:
    text = "%B6212345678901234567^ZHANG/SAN^3012101?;6212=3012?"
    assert [line.text for line in lines_of(WedgeDecoder(), type_text(text))] == [text]
    with pytest.raises(ValueError, match="not on the keyboard layout"):
        type_text("刷卡")


def test_custom_layout_table() -> None:
    azerty_like = {16: ("a", "A"), 30: ("q", "Q"), 11: ("à", "0")}
    keys = [(16, 1), (16, 0), (30, 1), (30, 0), (42, 1), (11, 1), (11, 0), (42, 0), (28, 1)]
    assert [line.text for line in lines_of(WedgeDecoder(azerty_like), keys)] == ["aq0"]
