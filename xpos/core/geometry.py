"""The display's geometry as the core sees it: rows and columns, handed in by the shell.

The core never asks a device how big it is. The shell reads the display driver's size
once (:func:`xpos.terminal.display_size.display_geometry`) and hands a
:class:`Geometry` to the flows (``FlowContext.geometry``) and to the step machines
(:func:`xpos.core.engine.machine_for`). Everything that pages a list (the ``Select``
machine, totals, X records) derives its page size from it, so that no item is ever drawn
below the last row of a small display (a 4-row device shows 3 menu items a page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from xpos.core.screen import COLS, ROWS

__all__ = ["DEFAULT_GEOMETRY", "MAX_PICK", "Geometry", "pages", "squeeze"]

MAX_PICK = 9
"""Most items one page of a list may hold: each is picked with one digit key, 1-9."""

T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class Geometry:
    """Rows and columns of the terminal display (a wide character takes two columns).

    Attributes:
        rows: Lines of the display (at least 1).
        cols: Columns per line (at least 1).
    """

    rows: int = ROWS
    cols: int = COLS

    def __post_init__(self) -> None:
        """Refuse a display with no room at all."""
        if self.rows < 1 or self.cols < 1:
            raise ValueError(f"display geometry {self.rows}x{self.cols}: need at least 1x1")

    @property
    def titled(self) -> bool:
        """Whether a list page has a title row (not on a one-line display)."""
        return self.rows >= 2

    @property
    def pick_rows(self) -> int:
        """Items per page of a pick list: every row but the title, one digit key each."""
        return max(1, min(MAX_PICK, self.rows - 1 if self.titled else 1))

    @property
    def body_rows(self) -> int:
        """Text rows per page of a read-only list: the page title and a key hint take two."""
        return max(1, self.rows - 2)


DEFAULT_GEOMETRY = Geometry()
"""The standard 8 x 20 display."""


def pages(rows: Sequence[T], size: int) -> list[Sequence[T]]:
    """``rows`` cut into pages of ``size`` (the last may be shorter; none if ``rows`` is empty)."""
    step = max(1, size)
    return [rows[i:i + step] for i in range(0, len(rows), step)]


def squeeze(lines: Sequence[str], room: int) -> list[str]:
    """At most ``room`` of ``lines``; when they do not fit, blank spacer lines go first."""
    if len(lines) > room:
        lines = [line for line in lines if line.strip()]
    return list(lines[: max(0, room)])
