"""Masking: what a PAN, a code or a PIN block may look like on screen, paper or log.


Card data, PIN blocks and voucher codes never appear whole in a ``repr`` (DESIGN.md
§6): a dataclass holding one either leaves the field out of its ``repr``
(``field(repr=False)``) or builds its ``repr`` with :func:`masked_repr`, so that an
assertion message or a ``log.debug(obj)`` shows at most a masked value.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from xpos.model.textwidth import fit_width, text_width

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


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


_MASK_RUN = re.compile(r"\*{2,}(?=[^*\s])")


def fit_masked(text: str, cols: int) -> str:
    """Cut ``text`` to ``cols`` columns; a masked number keeps its end, losing ``*`` first.

    A line too wide for a display loses masking stars (down to one) from its longest
    run of ``*`` followed by a digit or letter, so that the last four digits of a
    masked PAN stay in view; only if that is not enough is the end of the line cut.

    >>> fit_masked("621234*********4567", 16), fit_masked("621234*********4567", 20)
    ('621234******4567', '621234*********4567')
    """
    over = text_width(text) - cols
    runs = sorted(_MASK_RUN.finditer(text), key=lambda m: m.end() - m.start())
    if over > 0 and runs:
        run = runs[-1]
        keep = max(1, run.end() - run.start() - over)
        text = text[: run.start()] + "*" * keep + text[run.end():]
    return fit_width(text, cols)


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

