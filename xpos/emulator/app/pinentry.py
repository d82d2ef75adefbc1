"""PIN entry for the emulated PIN pad: digits in, ``FakePinPad.enter`` / ``cancel`` out.

While the PIN pad asks (:attr:`FakePinPad.asking`), the emulator routes the keypad
here. The digits live only in this object until ENTER hands them to the PIN pad (which
turns them into an encrypted PIN block); then they are forgotten. Nothing here logs
or shows a digit, and ``repr`` gives only the length: the pane shows one ``*`` per digit.
"""

from __future__ import annotations

from typing import Protocol

from xpos.model import Key
from xpos.security.pinblock import MAX_PIN, MIN_PIN


class PinPad(Protocol):
    """The test side of a PIN pad the entry talks to (``FakePinPad``)."""

    @property
    def asking(self) -> bool:
        """True while a PIN request waits for an entry."""
        ...

    def enter(self, pin: str) -> None:
        """The cardholder keyed ``pin`` and pressed ENTER."""
        ...

    def cancel(self) -> None:
        """The cardholder pressed CANCEL."""
        ...


class PinEntry:
    """The PIN being keyed; what the PIN pane shows.

    Attributes:
        error: True after ENTER with too few digits (until the next key).
    """

    def __init__(self) -> None:
        self._digits = ""
        self.error = False

    def __repr__(self) -> str:
        return f"PinEntry(length={len(self._digits)})"

    @property
    def stars(self) -> str:
        """One ``*`` per digit keyed."""
        return "*" * len(self._digits)

    def reset(self) -> None:
        """Forget the digits (the request ended or was answered)."""
        self._digits = ""
        self.error = False

    def key(self, key: Key, pinpad: PinPad) -> None:
        """Handle one key while the PIN pad asks.

        Digits add (up to 12), ``*`` removes the last one and CLEAR all of them (as
        both keys do for an amount or a code), ENTER submits 4–12 digits, CANCEL
        cancels the request; other keys do nothing.
        """
        self.error = False
        if key.is_digit:
            if len(self._digits) < MAX_PIN:
                self._digits += key.value
        elif key is Key.STAR:
            self._digits = self._digits[:-1]
        elif key is Key.CLEAR:
            self._digits = ""
        elif key is Key.ENTER:
            self._submit(pinpad)
        elif key is Key.CANCEL:
            self.reset()
            pinpad.cancel()

    def _submit(self, pinpad: PinPad) -> None:
        if len(self._digits) < MIN_PIN:
            self.error = True
            return
        pin, self._digits = self._digits, ""
        pinpad.enter(pin)
