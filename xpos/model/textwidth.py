"""Display width of text in fixed-pitch columns: the one implementation.

A CJK (East Asian wide or full-width) character takes two columns, a combining mark
none, anything else one. The terminal display (:mod:`xpos.core.screen`), the display
fakes and the conformance kit (:mod:`xpos.drivers`), the receipt layouts and decoder
(:mod:`xpos.receipts`) and the demo all measure text with these functions.
"""

from __future__ import annotations

import unicodedata


def char_width(char: str) -> int:
    """Columns one character takes: 2 for East Asian wide/full-width, 0 for combining.

    >>> char_width("消"), char_width("￥"), char_width("A")
    (2, 2, 1)
    """
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns ``text`` takes.

    >>> text_width("消费 SALE")
    9
    """
    return sum(char_width(c) for c in text)


def fit_width(text: str, cols: int) -> str:
    """Cut ``text`` to at most ``cols`` columns, never splitting a wide character.

    >>> fit_width("签购单 POS", 5)
    '签购'
    """
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > cols:
            return text[:index]
    return text


def ljust_width(text: str, cols: int) -> str:
    """Pad ``text`` with spaces on the right to ``cols`` columns (like ``str.ljust``).

    Text already ``cols`` columns or wider is returned unchanged.

    >>> ljust_width("签到", 6) + "|"
    '签到  |'
    """
    return text + " " * max(0, cols - text_width(text))
