"""Value types every layer shares: money in fen, card data, masking, documents, text width.

Everything here is a frozen dataclass, an enum or a pure function and does no I/O; the
package imports nothing of X-POS but :mod:`xpos.errors`.

Card data, PIN blocks and voucher codes never appear whole in a ``repr`` (DESIGN.md §6):
a dataclass holding one either leaves the field out of its ``repr``
(``field(repr=False)``) or builds its ``repr`` with :func:`masked_repr`.
"""

from __future__ import annotations

from xpos.model.cards import CardData, CardSource, Key
from xpos.model.documents import Align, DocElement, Document, Feed, QrCode, TextLine
from xpos.model.masking import fit_masked, mask_block, mask_code, mask_pan, masked_repr
from xpos.model.money import format_fen

__all__ = [
    "Align",
    "CardData",
    "CardSource",
    "DocElement",
    "Document",
    "Feed",
    "Key",
    "QrCode",
    "TextLine",
    "fit_masked",
    "format_fen",
    "mask_block",
    "mask_code",
    "mask_pan",
    "masked_repr",
]
