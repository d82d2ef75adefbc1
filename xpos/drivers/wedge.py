"""Keyboard-wedge input: evdev key events -> text lines (pure, no I/O).

Theory of operation
-------------------
A USB keyboard-wedge device (magstripe reader, barcode/QR scanner, RFID UID reader)
"types" its data: for every character it sends ``EV_KEY`` events (value 1 = down,
0 = up, 2 = autorepeat), holding Shift around shifted characters, and ends with Enter
(scanners may be set to Tab). :class:`WedgeDecoder` turns that stream into
:class:`WedgeLine` objects: characters come from a layout table (``code -> (plain,
shifted)``, :data:`US_LAYOUT` by default), produced on key *down*; Shift (left or right)
and Caps Lock (letters only) are tracked; autorepeat is ignored. A key that has no
character in the layout makes the whole line a read error (never half a card); so does
a line longer than ``max_line`` (dropped up to the next terminator).

Key codes are the Linux ``input-event-codes.h`` numbers that ``evdev.ecodes`` names
(``KEY_A`` = 30, ``KEY_ENTER`` = 28 …). The decoder takes plain ``(code, value)`` pairs
(:meth:`WedgeDecoder.feed_key`) or event objects with ``type``, ``code`` and ``value``
such as ``evdev.InputEvent`` (:meth:`WedgeDecoder.feed_event`; non-key events ignored).
What a line *means* is :mod:`xpos.drivers.wedge_formats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_HOLD = 0, 1, 2
KEY_TAB, KEY_ENTER, KEY_KPENTER = 15, 28, 96
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK = 42, 54, 58
SHIFT_KEYS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
#: Keys that never type anything and never spoil a line (Ctrl, Alt, Meta, Num Lock).
IGNORED_KEYS = frozenset({29, 56, 69, 97, 100, 125, 126})
MAX_LINE = 512

_ROWS = (
    (2, "1234567890-=", "!@#$%^&*()_+"),
    (16, "qwertyuiop[]", "QWERTYUIOP{}"),
    (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
)
_KEYPAD = {71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+",
           79: "1", 80: "2", 81: "3", 82: "0", 83: ".", 55: "*", 98: "/"}


def _us_layout() -> dict[int, tuple[str, str]]:
    table: dict[int, tuple[str, str]] = {57: (" ", " ")}
    for first, plain, shifted in _ROWS:
        for offset, (low, high) in enumerate(zip(plain, shifted, strict=True)):
            table[first + offset] = (low, high)
    table.update({code: (char, char) for code, char in _KEYPAD.items()})
    return table


#: US layout: key code -> (character, character with Shift).
US_LAYOUT: Mapping[int, tuple[str, str]] = _us_layout()
#: Layouts selectable by name (``layout=`` URL parameter).
LAYOUTS: Mapping[str, Mapping[int, tuple[str, str]]] = {"us": US_LAYOUT}


class KeyEvent(Protocol):
    """An input event as ``evdev.InputEvent`` has it."""

    @property
    def type(self) -> int:
        """Event type (``EV_KEY`` = 1)."""
        ...

    @property
    def code(self) -> int:
        """Key code."""
        ...

    @property
    def value(self) -> int:
        """0 up, 1 down, 2 autorepeat."""
        ...


@dataclass(frozen=True)
class WedgeLine:
    """One typed line without its terminator, or the reason it is unusable.

    Attributes:
        text: The characters typed (not in ``repr``: it may be card data).
        error: Why the line is unusable, ``""`` if it is good.
    """

    text: str = field(default="", repr=False)
    error: str = ""


class WedgeDecoder:
    """Sans-IO decoder: key events in, :class:`WedgeLine` out.

    Args:
        layout: Key code -> (plain, shifted) character.
        terminators: Key codes ending a line (default Enter and keypad Enter).
        max_line: Longest line accepted.
    """

    def __init__(
        self,
        layout: Mapping[int, tuple[str, str]] = US_LAYOUT,
        *,
        terminators: Iterable[int] = (KEY_ENTER, KEY_KPENTER),
        max_line: int = MAX_LINE,
    ) -> None:
        self._layout = layout
        self._terminators = frozenset(terminators)
        self._max = max_line
        self._shift: set[int] = set()
        self._caps = False
        self._chars: list[str] = []
        self._error = ""

    def feed_events(self, events: Iterable[KeyEvent]) -> list[WedgeLine]:
        """Feed events (non-key events are ignored); return the lines they complete."""
        return [line for event in events for line in self.feed_event(event)]

    def feed_event(self, event: KeyEvent) -> list[WedgeLine]:
        """Feed one event; return the line it completes, if any."""
        if event.type != EV_KEY:
            return []
        return self.feed_key(event.code, event.value)

    def feed_key(self, code: int, value: int) -> list[WedgeLine]:
        """Feed one key event ``(code, value)``; return the line it completes, if any."""
        if code in SHIFT_KEYS:
            (self._shift.add if value else self._shift.discard)(code)
            return []
        if value != KEY_DOWN or code in IGNORED_KEYS:
            return []
        if code == KEY_CAPSLOCK:
            self._caps = not self._caps
            return []
        if code in self._terminators:
            return self._end_line()
        self._type(code)
        return []

    def _type(self, code: int) -> None:
        if self._error:
            return
        chars = self._layout.get(code)
        if chars is None:
            self._error = f"unexpected key {code} in the input"
        elif len(self._chars) >= self._max:
            self._error = f"input line longer than {self._max} characters"
        else:
            char = chars[1] if self._shift else chars[0]
            if self._caps and char.isalpha():
                char = char.swapcase()
            self._chars.append(char)

    def _end_line(self) -> list[WedgeLine]:
        text, error = "".join(self._chars), self._error
        self._chars.clear()
        self._error = ""
        if error:
            return [WedgeLine(error=error)]
        return [WedgeLine(text=text)] if text else []


def type_text(
    text: str,
    *,
    layout: Mapping[int, tuple[str, str]] = US_LAYOUT,
    terminator: int = KEY_ENTER,
    shift: int = KEY_LEFTSHIFT,
) -> list[tuple[int, int]]:
    """The ``(code, value)`` events a wedge device sends to type ``text`` + terminator.

    The inverse of :class:`WedgeDecoder` (tests, emulated devices): down/up per key, Shift
    held around each shifted character.

    Raises:
        ValueError: if a character is not on the layout.
    """
    reverse = _reverse(layout)
    events: list[tuple[int, int]] = []
    for char in text:
        if char not in reverse:
            raise ValueError(f"character {char!r} is not on the keyboard layout")
        code, shifted = reverse[char]
        keys = [(code, KEY_DOWN), (code, KEY_UP)]
        events += [(shift, KEY_DOWN), *keys, (shift, KEY_UP)] if shifted else keys
    return [*events, (terminator, KEY_DOWN), (terminator, KEY_UP)]


def _reverse(layout: Mapping[int, tuple[str, str]]) -> dict[str, tuple[int, bool]]:
    reverse: dict[str, tuple[int, bool]] = {}
    for code, (plain, shifted) in sorted(layout.items(), reverse=True):
        reverse[shifted] = (code, shifted != plain)
        reverse[plain] = (code, False)
    return reverse


def lines_of(decoder: WedgeDecoder, keys: Iterable[tuple[int, int]]) -> Iterator[WedgeLine]:
    """Feed ``(code, value)`` pairs to ``decoder``, yielding the completed lines."""
    for code, value in keys:
        yield from decoder.feed_key(code, value)
