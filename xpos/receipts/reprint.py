"""Printed bytes back to a :class:`~xpos.model.Document`, for reprints (B2/B3).

The journal keeps the ESC/POS bytes of every receipt (``record_print``). A reprint
decodes them (:func:`~xpos.receipts.decode.decode_lines`, no wrapping) into the elements
that :func:`~xpos.receipts.escpos.render` turns into the same bytes again: a styled line
becomes a :class:`TextLine` with its alignment, emphasis and size, an empty line a
:class:`Feed`, a QR code a :class:`QrCode`, the final feed and cut ``cut=True``. So the core can
add its REPRINT mark as one more line and everything else prints as it did.
"""

from __future__ import annotations

import functools

from xpos.model import Document, Feed, QrCode, TextLine
from xpos.model.documents import DocElement
from xpos.receipts.decode import PrintedLine, decode_lines
from xpos.receipts.escpos import render

_QR = ("[QR:", "]")


def document_from_bytes(name: str, data: bytes) -> Document:
    """The document that renders to ``data`` (a receipt as recorded in the journal).

    Args:
        name: The print record's name (``"sale-merchant"``…).
        data: The recorded ESC/POS bytes.
    """
    lines = decode_lines(data)
    tail = _cut_lines()
    cut = len(lines) >= len(tail) and [x.text for x in lines[-len(tail):]] == tail
    if cut:
        lines = lines[:-len(tail)]
    elements: list[DocElement] = []
    for line in lines:
        if not line.text and elements and isinstance(elements[-1], QrCode):
            continue  # the line feed that ends a QR code, not a line of its own
        elements.append(_element(line))
    return Document(name=name, elements=tuple(elements), cut=cut)


@functools.cache
def _cut_lines() -> list[str]:
    """What the cut at the end of a document decodes to (its feed lines and the cut)."""
    return [line.text for line in decode_lines(render(Document(name="", elements=())))]


def _element(line: PrintedLine) -> DocElement:
    if not line.text:
        return Feed(lines=1)
    if line.text.startswith(_QR[0]) and line.text.endswith(_QR[1]):
        return QrCode(data=line.text[len(_QR[0]):-len(_QR[1])])
    return TextLine(text=line.text, align=line.align, bold=line.bold,
                    double=line.double_width or line.double_height)
