"""The mark of a slip rebuilt without the host's time (pure).

A slip laid out again from the journal after a lost receipt
(:mod:`xpos.terminal.slip_rebuild`) shows the host's date and time when the journal kept
them; a row without them shows its commit time instead, and :func:`mark_terminal_time`
puts :data:`TERMINAL_TIME` right under that date/time line to say so.
"""

from __future__ import annotations

from dataclasses import replace

from xpos.model import Document, TextLine

__all__ = ["DATE_LABEL", "TERMINAL_TIME", "mark_terminal_time"]

TERMINAL_TIME = "(终端时间 TERMINAL TIME)"
"""Printed under the date/time of a slip rebuilt without the host's time (see
:func:`mark_terminal_time`)."""
DATE_LABEL = "日期/时间 DATE/TIME:"


def mark_terminal_time(document: Document) -> Document:
    """The same document with :data:`TERMINAL_TIME` right under its date/time line.

    A slip laid out again from the journal after a lost receipt shows the host's date
    and time when the journal kept them; a row without them (written before the journal
    kept them) shows the terminal's commit time instead, and this mark says so. A
    document without a date/time line, or already marked, is returned unchanged.
    """
    elements = document.elements
    if any(isinstance(e, TextLine) and e.text == TERMINAL_TIME for e in elements):
        return document
    labels = [i for i, e in enumerate(elements)
              if isinstance(e, TextLine) and e.text == DATE_LABEL]
    if not labels or labels[0] + 1 >= len(elements):
        return document
    at = labels[0] + 2  # the label, then the date/time itself
    marked = (*elements[:at], TextLine(text=TERMINAL_TIME), *elements[at:])
    return replace(document, elements=marked)
