"""Value types shared by the core, the drivers and the receipts.

Everything here is a frozen dataclass or an enum and does no I/O.

Card data, PIN blocks and voucher codes never appear whole in a ``repr`` (DESIGN.md
§6): a dataclass holding one either leaves the field out of its ``repr``
(``field(repr=False)``) or builds its ``repr`` with :func:`masked_repr`, so that an
assertion message or a ``log.debug(obj)`` shows at most a masked value.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


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


def mask_code(code: str) -> str:
    """Mask a voucher or scanned code, keeping its last 4 characters (all if 4 or fewer).

    >>> mask_code("8888123456785678"), mask_code("1234")
    ('************5678', '****')
    """
    if len(code) <= 4:
        return "*" * len(code)
    return "*" * (len(code) - 4) + code[-4:]


def mask_block(block: bytes | None) -> str:
    """What a ``repr`` shows instead of a PIN block: its length only.

    >>> mask_block(bytes(8)), mask_block(None)
    ('<8 bytes>', 'None')
    """
    return "None" if block is None else f"<{len(block)} bytes>"


def masked_repr(obj: DataclassInstance, **shown: str) -> str:
    """The dataclass ``repr`` of ``obj``, with the named fields shown as the given text.

    Fields declared with ``repr=False`` are left out, as in the generated ``repr``;
    ``shown`` values are inserted as they are (quote them with ``repr()`` if wanted).

    Args:
        obj: A dataclass instance.
        **shown: Field name -> the text to show instead of the value.
    """
    parts = [
        f"{f.name}={shown[f.name] if f.name in shown else repr(getattr(obj, f.name))}"
        for f in dataclasses.fields(obj)
        if f.repr
    ]
    return f"{type(obj).__qualname__}({', '.join(parts)})"


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
