"""Value types shared by the core, the drivers and the receipts.

Everything here is a frozen dataclass or an enum and does no I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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


def mask_pan(pan: str) -> str:
    """Mask a PAN to first 6 / last 4 (PCI DSS 3.3); short numbers keep only the last 4.

    >>> mask_pan("6212345678901234567")
    '621234*********4567'
    """
    if len(pan) <= 10:
        return "*" * max(0, len(pan) - 4) + pan[-4:]
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


@dataclass(frozen=True, kw_only=True)
class CardData:
    """What a card read produced.

    ``track2`` is sensitive: it stays inside the terminal process, is used only to build
    the request (optionally TDK-encrypted) and is never logged, journaled or shown.
    ``repr`` hides it.

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


class Align(enum.Enum):
    """Horizontal alignment of a printed line."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, kw_only=True)
class TextLine:
    """One printed line of text."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False


@dataclass(frozen=True, kw_only=True)
class QrCode:
    """A QR code to print."""

    data: str


@dataclass(frozen=True, kw_only=True)
class Feed:
    """Blank lines."""

    lines: int = 1


DocElement = TextLine | QrCode | Feed


@dataclass(frozen=True, kw_only=True)
class Document:
    """A printable document; the receipts layer renders it to printer bytes.

    Attributes:
        name: What it is (``"sale-merchant"``, ``"voucher"``…), for the print record.
        elements: The content, top to bottom.
        cut: Cut the paper at the end.
    """

    name: str
    elements: tuple[DocElement, ...]
    cut: bool = True


def format_fen(amount: int) -> str:
    """Format an integer amount in fen as yuan with two decimals, e.g. ``1234 -> '12.34'``.

    Raises:
        ValueError: for a negative amount.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    return f"{amount // 100}.{amount % 100:02d}"
