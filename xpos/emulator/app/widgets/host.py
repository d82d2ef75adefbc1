"""The host pane: every message to and from the host, decoded and masked.

The rig's traffic is :func:`xpos.proto.transcript.describe` text: a head line, then one
line per field (number, name padded to 28 columns, value). A pane narrower than
:data:`COMPACT_BELOW` puts each value before its name so that the values stay in view.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import events
from textual.widgets import Log

from xpos.emulator.app.texts import ui

COMPACT_BELOW = 70
"""Content width under which field lines are shown value first."""

_FIELD = re.compile(r"^  ([ \d]\d) (.{28}) (.*)$")


def compact_line(line: str) -> str:
    """A field line with its value first (``" 39 00  response code"``); others as they are.

    >>> compact_line("  39 response code                00")
    ' 39 00  response code'
    """
    match = _FIELD.match(line)
    if match is None:
        return line
    number, name, value = match.groups()
    return f"{number.strip():>3} {value}  {name.rstrip()}"


class HostPane(Log, can_focus=False):
    """The rig's traffic (PAN masked, no PIN block, no track), newest at the bottom."""

    DEFAULT_CSS = """
    HostPane {
        height: 1fr;
        border: round $secondary;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 0;
    }
    """

    def __init__(self, *, lang: str = "zh", id: str | None = None) -> None:
        """An empty pane labelled in ``lang``."""
        super().__init__(id=id, auto_scroll=True)
        self._lang = lang
        self._messages: list[str] = []
        self._compact = False
        self.border_title = ui("host", lang)

    def set_host(self, address: str) -> None:
        """Name the host in the title."""
        self.border_title = f"{ui('host', self._lang)} {address}"

    @property
    def text(self) -> str:
        """Every message shown so far, as the rig described it."""
        return "\n".join(self._messages)

    def show(self, traffic: Sequence[str]) -> None:
        """Append the messages not shown yet."""
        new = traffic[len(self._messages):]
        self._messages.extend(new)
        for message in new:
            self._write(message)

    def on_resize(self, event: events.Resize) -> None:
        """Switch between the full and the compact form when the width crosses the limit."""
        compact = event.size.width < COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            self.clear()
            for message in self._messages:
                self._write(message)

    def scroll_page(self, pages: int) -> None:
        """Scroll by ``pages`` pages (negative: up)."""
        self.scroll_to(y=self.scroll_y + pages * max(1, self.size.height - 1), animate=False)

    def _write(self, message: str) -> None:
        lines = message.split("\n")
        self.write_lines([compact_line(line) for line in lines] if self._compact else lines)
