"""The status line: online, signed on, batch, pending reversal, paper."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from xpos.emulator.app.texts import ui
from xpos.testing.rig import RigStatus


def status_text(status: RigStatus | None, lang: str, *, connecting: bool = False) -> Text:
    """The status line for ``status`` (``None``: the rig is still starting).

    ``connecting``: the link to the host is being tried (at start), so neither online
    nor offline is known yet.
    """
    if status is None:
        return Text(ui("status.starting", lang), style="dim")
    parts = [
        _link(status, lang, connecting),
        (ui("status.signed_on", lang), "green") if status.signed_on
        else (ui("status.not_signed_on", lang), "bold red"),
        (ui("status.batch", lang, batch=status.batch), ""),
        (ui("status.reversal", lang), "bold yellow") if status.pending_reversal
        else (ui("status.no_reversal", lang), ""),
        (ui("status.paper", lang), "") if status.paper
        else (ui("status.no_paper", lang), "bold red"),
    ]
    text = Text()
    for index, (part, style) in enumerate(parts):
        if index:
            text.append(" │ ", style="dim")
        text.append(part, style=style)
    return text


def _link(status: RigStatus, lang: str, connecting: bool) -> tuple[str, str]:
    if status.online:
        return "● " + ui("status.online", lang), "bold green"
    if connecting:
        return "◌ " + ui("status.connecting", lang), "bold yellow"
    return "○ " + ui("status.offline", lang), "bold red"


class StatusLine(Static):
    """One line at the bottom of the screen."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, *, lang: str = "zh", id: str | None = None) -> None:
        """A status line that says it is starting."""
        super().__init__(status_text(None, lang), id=id)
        self._lang = lang
        self._status: RigStatus | None = None
        self._connecting = False

    def show(self, status: RigStatus, *, connecting: bool = False) -> None:
        """Show ``status`` (repainted only when it changed); see :func:`status_text`."""
        if (status, connecting) != (self._status, self._connecting):
            self._status, self._connecting = status, connecting
            self.update(status_text(status, self._lang, connecting=connecting))

    @property
    def text(self) -> str:
        """The line as plain text."""
        return status_text(self._status, self._lang, connecting=self._connecting).plain
