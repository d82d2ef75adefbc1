"""Keypad keys and card data: what input devices hand the core."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from xpos.model.masking import mask_code, mask_pan, masked_repr


class Key(enum.Enum):
    """A key on the terminal keypad. Digit keys carry their character as value."""

    D0 = "0"
    D1 = "1"
    D2 = "2"
    D3 = "3"
    D4 = "4"
    D5 = "5"
    D6 = "6"
    D7 = "7"
    D8 = "8"
    D9 = "9"
    STAR = "*"
    HASH = "#"
    ENTER = "ENTER"
    CANCEL = "CANCEL"
    CLEAR = "CLEAR"
    MENU = "MENU"
    F1 = "F1"
    F2 = "F2"
    UP = "UP"
    DOWN = "DOWN"

    @property
    def is_digit(self) -> bool:
        """True for 0-9."""
        return self.value.isdigit()

    @classmethod
    def parse(cls, name: str) -> Key:
        """Turn ``"1"``, ``"#"``, ``"ENTER"`` (any case) into a :class:`Key`.

        Raises:
            ValueError: if the name is not a key.
        """
        try:
            return cls(name.upper() if len(name) > 1 else name)
        except ValueError:
            raise ValueError(f"unknown key {name!r}") from None


class CardSource(enum.Enum):
    """How card data reached the terminal."""

    SWIPE = "swipe"
    TAP = "tap"
    SCAN = "scan"
    MANUAL = "manual"



@dataclass(frozen=True, kw_only=True, repr=False)
class CardData:
    """What a card read produced.

    ``track2`` is sensitive: it stays inside the terminal process, is used only to build
    the request (optionally TDK-encrypted) and is never logged, journaled or shown.
    ``repr`` leaves it out and shows the PAN masked (first 6 / last 4), the expiry as
    ``****`` and a scanned code masked to its last 4 characters.

    Attributes:
        source: swipe, tap, scan or manual.
        pan: Primary account number (digits); empty for a scanned code.
        expiry: YYMM, or empty.
        track2: Track 2 equivalent data with ``=`` as separator, or empty.
        service_code: Three digits from track 2, or empty.
        uid: RFID UID (hex) for a tap, else empty.
        code: Scanned barcode/QR text for a scan, else empty.
    """

    source: CardSource
    pan: str = ""
    expiry: str = ""
    track2: str = field(default="", repr=False)
    service_code: str = ""
    uid: str = ""
    code: str = ""

    @property
    def masked_pan(self) -> str:
        """The PAN as it may be shown or stored."""
        return mask_pan(self.pan) if self.pan else ""

    def __repr__(self) -> str:
        """Masked: PAN first 6 / last 4, expiry hidden, code last 4, no track 2."""
        return masked_repr(
            self,
            pan=repr(self.masked_pan),
            expiry=repr("*" * len(self.expiry)),
            code=repr(mask_code(self.code)),
        )

