"""Documents: what the core asks to print, before the receipts layer renders it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


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
