"""Display geometry: 8 rows of 20 columns, where a CJK character takes two columns."""

from __future__ import annotations

from collections.abc import Iterable

from xpos.model.masking import fit_masked
from xpos.model.textwidth import char_width, printable, text_width

__all__ = ["COLS", "ROWS", "center", "char_width", "fit", "right", "tail", "text_width", "truncate"]

ROWS = 8
"""Rows on the terminal display."""
COLS = 20
"""Columns per row (a wide character takes two; see :mod:`xpos.model.textwidth`)."""


def truncate(text: str, cols: int = COLS) -> str:
    """Cut ``text`` to at most ``cols`` columns, never splitting a wide character.

    A masked card number that does not fit loses masking ``*`` rather than its last
    digits (:func:`~xpos.model.masking.fit_masked`).
    """
    return fit_masked(text, cols)


def tail(text: str, cols: int = COLS) -> str:
    """The end of ``text`` that fits in ``cols`` columns (for long input fields)."""
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += char_width(text[index])
        if used > cols:
            return text[index + 1 :]
    return text


def center(text: str, cols: int = COLS) -> str:
    """Center ``text`` in ``cols`` columns (truncated first if too wide)."""
    text = truncate(text, cols)
    return " " * ((cols - text_width(text)) // 2) + text


def right(text: str, cols: int = COLS) -> str:
    """Right-align ``text`` in ``cols`` columns (truncated first if too wide)."""
    text = truncate(text, cols)
    return " " * (cols - text_width(text)) + text


def fit(lines: Iterable[str], *, rows: int = ROWS, cols: int = COLS) -> tuple[str, ...]:
    """Make lines fit the display: split on line breaks, at most ``rows`` of ``cols`` columns.

    Control and format characters are dropped (:func:`~xpos.model.textwidth.printable`)
    so that a host-sent text cannot upset the display; every kind of line break
    (``\n``, ``\r``, U+2028 …) starts a new row.
    """
    split: list[str] = []
    for line in lines:
        split.extend(line.splitlines() or [""])
    return tuple(truncate(printable(row), cols) for row in split[:rows])
