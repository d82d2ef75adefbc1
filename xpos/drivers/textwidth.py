"""Display width of text on a fixed-pitch screen: CJK (wide/full-width) characters take 2."""

from __future__ import annotations

import unicodedata


def char_width(char: str) -> int:
    """Columns taken by one character: 2 for East Asian wide/full-width, 0 for combining."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns taken by ``text``.

    >>> text_width("消费 SALE")
    9
    """
    return sum(char_width(c) for c in text)


def clean(text: str) -> str:
    """Replace control characters (newline, tab, escape …) by spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def fit_width(text: str, cols: int) -> str:
    """Truncate ``text`` to at most ``cols`` columns, never splitting a wide character.

    >>> fit_width("签购单 POS", 5)
    '签购'
    """
    out: list[str] = []
    used = 0
    for char in text:
        width = char_width(char)
        if used + width > cols:
            break
        out.append(char)
        used += width
    return "".join(out)
