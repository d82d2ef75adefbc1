"""The keypad: one clickable button per terminal key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from xpos.emulator.app.keymap import KEYPAD_ROWS
from xpos.emulator.app.texts import ui
from xpos.model import Key


def key_id(key: Key) -> str:
    """The widget id of a key's button: ``key-1``, ``key-star``, ``key-enter``…"""
    return "key-" + (key.value if key.is_digit else key.name.lower())


def key_label(key: Key, lang: str) -> str:
    """The text on a key: the digit or symbol, or the key's name in ``lang``."""
    if key.is_digit or key in (Key.STAR, Key.HASH, Key.F1, Key.F2):
        return key.value
    return ui(f"key.{key.value}", lang)


class KeyButton(Button, can_focus=False):
    """A key of the keypad (mouse only: the keyboard goes through the key map)."""

    def __init__(self, key: Key, lang: str) -> None:
        """A button for ``key`` labelled in ``lang``."""
        super().__init__(Content(key_label(key, lang)), id=key_id(key), compact=True)
        self.key = key


class Keypad(Grid):
    """The 4 × 5 keypad."""

    DEFAULT_CSS = """
    Keypad {
        grid-size: 4 5;
        grid-columns: 1fr 1fr 1fr 8;
        height: 7;
        width: 24;
        border: round $secondary;
        padding: 0 0;
    }
    Keypad KeyButton {
        width: 1fr;
        min-width: 0;
        height: 1;
        padding: 0;
    }
    Keypad KeyButton.-fn {
        background: $primary-darken-2;
    }
    """

    class Pressed(Message):
        """A key of the keypad was clicked."""

        def __init__(self, key: Key) -> None:
            """Carry the key."""
            super().__init__()
            self.key = key

    def __init__(self, *, lang: str = "zh", id: str | None = None) -> None:
        """A keypad labelled in ``lang``."""
        super().__init__(id=id)
        self._lang = lang

    def compose(self) -> ComposeResult:
        """The buttons, row by row."""
        for row in KEYPAD_ROWS:
            for key in row:
                button = KeyButton(key, self._lang)
                if not (key.is_digit or key in (Key.STAR, Key.HASH)):
                    button.add_class("-fn")
                yield button

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn a button press into :class:`Keypad.Pressed`."""
        if isinstance(event.button, KeyButton):
            event.stop()
            self.post_message(self.Pressed(event.button.key))
