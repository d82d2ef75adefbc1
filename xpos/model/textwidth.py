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


# -- outside text: text only, never control bytes ----------------------------------------

#: Unicode categories dropped from outside text: controls (C0, DEL, C1), format characters
#: (bidi overrides, zero-width characters), surrogates and private use.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def printable(text: str) -> str:
    """``text`` with every control, format, surrogate and private-use character removed.

    Text from a host, a provider or a file is data: after this no byte of it can act as
    a printer or display command (ESC, GS, FS, DLE …), reorder text (bidi overrides) or
    break a line.

    >>> printable("A\\x1b@B\\x1dV\\x00C\\u202eD")
    'A@BVCD'
    """
    return "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)


def wrap_width(text: str, cols: int) -> list[str]:
    """Outside text as lines of at most ``cols`` columns.

    Every line break (``\\n``, ``\\r\\n``, ``\\r``, VT, FF, the separators ``\\x1c``–``\\x1e``,
    NEL, U+2028/U+2029) starts a new line; other control characters are removed
    (:func:`printable`); long lines wrap at ``cols`` columns, never splitting a wide
    character. Empty text gives one empty line.

    >>> wrap_width("消费成功\\nAPPROVED", 6)
    ['消费成', '功', 'APPROV', 'ED']
    """
    if cols < 2:
        raise ValueError("cols must be at least 2 (a wide character takes two)")
    lines: list[str] = []
    for raw in text.splitlines() or [""]:
        rest = printable(raw)
        while text_width(rest) > cols:
            head = fit_width(rest, cols)
            lines.append(head)
            rest = rest[len(head):]
        lines.append(rest)
    return lines
