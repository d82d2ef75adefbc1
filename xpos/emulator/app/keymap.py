"""The computer keyboard → terminal keypad map, and the keypad's button layout (data).

:data:`KEYBOARD` maps Textual key names to terminal keys. It avoids the letters the
emulator uses for itself (``s t b k p r h e``), Textual's own ``ctrl+q`` / ``ctrl+c`` /
``tab``, and the tmux prefix ``ctrl+b``. ``docs/emulator.md`` lists the same table.

The two deleting keys do the same everywhere, as on the terminal: Backspace is the
terminal's ``*`` (delete one digit of an amount, a code or the PIN), Delete is 清除
CLEAR (clear the whole amount, code or PIN).
"""

from __future__ import annotations

from xpos.model import Key

KEYBOARD: dict[str, Key] = {
    **{str(d): Key(str(d)) for d in range(10)},
    "asterisk": Key.STAR,
    "number_sign": Key.HASH,
    "enter": Key.ENTER,
    "escape": Key.CANCEL,
    "backspace": Key.STAR,
    "delete": Key.CLEAR,
    "m": Key.MENU,
    "f1": Key.F1,
    "f2": Key.F2,
    "up": Key.UP,
    "down": Key.DOWN,
}
"""Textual key name → terminal key (digits are ``"0"``…``"9"``)."""

APP_KEYS: dict[str, str] = {
    "s": "swipe",
    "t": "tap",
    "b": "scan",
    "p": "paper_out",
    "r": "paper_reload",
    "h": "host_zoom",
    "pageup": "roll_up",
    "pagedown": "roll_down",
    "left_square_bracket": "host_up",
    "right_square_bracket": "host_down",
    "e": "till",
    "k": "key_in",
}
"""Keys of the emulator itself → action names (``ctrl+q`` quits; Textual owns it)."""

KEYPAD_ROWS: tuple[tuple[Key, ...], ...] = (
    (Key.D1, Key.D2, Key.D3, Key.CANCEL),
    (Key.D4, Key.D5, Key.D6, Key.CLEAR),
    (Key.D7, Key.D8, Key.D9, Key.ENTER),
    (Key.STAR, Key.D0, Key.HASH, Key.MENU),
    (Key.F1, Key.F2, Key.UP, Key.DOWN),
)
"""The keypad's buttons, row by row, as on a typical POS."""


def terminal_key(key_name: str, character: str | None = None) -> Key | None:
    """The terminal key for a Textual key event, or ``None`` when it is not one.

    Args:
        key_name: Textual's key name (``"enter"``, ``"5"``, ``"asterisk"``…).
        character: The printable character of the event, if any (``"*"``, ``"#"``).

    >>> terminal_key("enter"), terminal_key("x", "#"), terminal_key("x", "x")
    (<Key.ENTER: 'ENTER'>, <Key.HASH: '#'>, None)
    """
    key = KEYBOARD.get(key_name)
    if key is None and character in ("*", "#"):
        key = Key(character)
    return key
