"""Display geometry: 8 rows of 20 columns, where a CJK character takes two columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

ROWS = 8
"""Rows on the terminal display."""
COLS = 20
"""Columns per row (a wide character takes two)."""


def char_width(char: str) -> int:
    """Columns one character takes: 2 for East Asian wide/full-width, 0 for combining."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns a string takes on the display."""
    return sum(char_width(c) for c in text)


def truncate(text: str, cols: int = COLS) -> str:
    """Cut ``text`` to at most ``cols`` columns, never splitting a wide character."""
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > cols:
            return text[:index]
    return text


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


def fit(lines: Iterable[str]) -> tuple[str, ...]:
    """Make lines fit the display: split on newlines, at most 8 rows of 20 columns.

    Control characters are dropped so that a host-sent text cannot upset the display.
    """
    rows: list[str] = []
    for line in lines:
        rows.extend(line.split("\n"))
    return tuple(truncate(_printable(row)) for row in rows[:ROWS])


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cc")
