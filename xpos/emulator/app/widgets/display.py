"""The terminal's display: its real rows × columns in an LCD-looking box."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from xpos.model.textwidth import fit_width, ljust_width

_BORDER_AND_PADDING = 4
FLASH_S = 0.3
"""How long the display flashes (the emulator's beep)."""


class LcdDisplay(Static):
    """Shows the display's lines exactly as the device does (a CJK character is 2 columns).

    Attributes:
        rows: Lines of the display.
        cols: Columns per line.
    """

    DEFAULT_CSS = """
    LcdDisplay {
        background: #b4c99a;
        color: #17240f;
        border: heavy #4a5e36;
        border-title-color: #f0f0f0;
        border-title-background: #4a5e36;
        padding: 0 1;
        text-style: bold;
    }
    LcdDisplay.-flash {
        background: #e3c565;
        border: heavy $error;
    }
    """

    def __init__(self, *, rows: int = 8, cols: int = 20, id: str | None = None) -> None:
        """Make an empty display of ``rows`` × ``cols``."""
        super().__init__(id=id)
        self._lines: tuple[str, ...] = ()
        self.rows = rows
        self.cols = cols
        self._resize()

    def set_geometry(self, rows: int, cols: int) -> None:
        """Take the device's size (the rig's display may not be 8 × 20)."""
        self.rows, self.cols = rows, cols
        self._resize()
        self._paint()

    def show(self, lines: Sequence[str]) -> None:
        """Show these lines (repainted only when they changed)."""
        lines = tuple(lines)
        if lines != self._lines:
            self._lines = lines
            self._paint()

    def flash(self) -> None:
        """Flash for a moment, as a terminal beeps at a key that does nothing."""
        self.add_class("-flash")
        self.set_timer(FLASH_S, lambda: self.remove_class("-flash"))

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines on the display now."""
        return self._lines

    @property
    def text(self) -> str:
        """The display as one string, one line per row."""
        return "\n".join(self._lines)

    def _resize(self) -> None:
        self.styles.width = self.cols + _BORDER_AND_PADDING
        self.styles.height = self.rows + 2

    def _paint(self) -> None:
        rows = [ljust_width(fit_width(line, self.cols), self.cols)
                for line in self._lines[: self.rows]]
        rows += [" " * self.cols] * (self.rows - len(rows))
        self.update(Text("\n".join(rows), no_wrap=True, overflow="crop"))
