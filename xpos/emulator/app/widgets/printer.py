"""The printer roll: the printer's ESC/POS bytes decoded, as on 58 mm paper."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Log

from xpos.emulator.app.texts import ui
from xpos.receipts.decode import CUT_LINE, decode_escpos

PAPER_COLUMNS = 32
"""Characters per line on 58 mm paper: where the decoder wraps, as the printer does."""


PAPER_CUT = "✂" + "-" * (PAPER_COLUMNS - 1)
"""Where the paper is cut, drawn across the whole width of the paper."""


def roll_lines(job: bytes) -> list[str]:
    """A print job as lines of the roll: decoded, the cut drawn across the paper."""
    lines = decode_escpos(job, columns=PAPER_COLUMNS).split("\n")
    return [PAPER_CUT if line == CUT_LINE else line for line in lines]


class Roll(Log, can_focus=False):
    """The printed paper, newest job at the bottom."""


class PaperButton(Button, can_focus=False):
    """Paper out / reload (keys ``p`` / ``r`` do the same)."""


class PrinterPane(Vertical):
    """The roll and the paper buttons."""

    DEFAULT_CSS = """
    PrinterPane {
        width: 37;
        border: round $secondary;
    }
    PrinterPane.-no-paper {
        border: heavy $error;
    }
    PrinterPane Roll {
        height: 1fr;
        background: #f4f1e8;
        color: #202020;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        padding: 0 1;
    }
    PrinterPane Horizontal {
        height: 1;
    }
    PrinterPane PaperButton {
        width: 1fr;
        min-width: 0;
        height: 1;
        margin: 0 1;
    }
    """

    class PaperOut(Message):
        """The paper-out button was clicked."""

    class Reload(Message):
        """The reload button was clicked."""

    def __init__(self, *, lang: str = "zh", id: str | None = None) -> None:
        """An empty roll labelled in ``lang``."""
        super().__init__(id=id)
        self._lang = lang
        self._jobs = 0
        self._text: list[str] = []
        self.border_title = ui("printer", lang)

    def compose(self) -> ComposeResult:
        """The roll above the two buttons."""
        yield Roll(id="roll", auto_scroll=False)
        with Horizontal():
            yield PaperButton(Content(ui("printer.out", self._lang)), id="paper-out", compact=True)
            yield PaperButton(Content(ui("printer.reload", self._lang)), id="paper-reload",
                              compact=True)

    @property
    def text(self) -> str:
        """Everything on the roll, decoded."""
        return "\n".join(self._text)

    def show(self, jobs: Sequence[bytes], *, paper: bool) -> None:
        """Decode the print jobs not shown yet; scroll to the top of the newest one."""
        self.set_class(not paper, "-no-paper")
        if len(jobs) < self._jobs:  # torn off: start a new roll
            self._jobs, self._text = 0, []
            self.query_one(Roll).clear()
        if len(jobs) == self._jobs:
            return
        roll = self.query_one(Roll)
        top = 0
        for job in jobs[self._jobs:]:
            top = roll.line_count
            lines = roll_lines(job)
            roll.write_lines(lines)
            self._text.extend(lines)
        self._jobs = len(jobs)
        roll.scroll_to(y=top, animate=False, immediate=True)

    def scroll_page(self, pages: int) -> None:
        """Scroll the roll by ``pages`` pages (negative: up)."""
        roll = self.query_one(Roll)
        roll.scroll_to(y=roll.scroll_y + pages * max(1, roll.size.height - 1), animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn the buttons into :class:`PaperOut` / :class:`Reload`."""
        event.stop()
        self.post_message(self.PaperOut() if event.button.id == "paper-out" else self.Reload())
