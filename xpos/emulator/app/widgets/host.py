"""The host pane: every message to and from the host, decoded and masked.

The rig's traffic is :func:`xpos.proto.transcript.describe` text: a head line, then one
line per field (number, name padded to 28 columns, value). A pane narrower than
:data:`COMPACT_BELOW` puts each value before its name so that the values stay in view,
and a line wider than the pane wraps (indented) instead of being cut. The key ``h``
zooms the pane over the printer and the wallet (:meth:`MainScreen.toggle_host_zoom`),
wide enough to read every field at 80 × 24.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import events
from textual.widgets import Log

from xpos.emulator.app.texts import ui
from xpos.model.textwidth import fit_width

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


WRAP_FROM = 40
"""Content width from which long lines wrap; a narrower pane cuts them (``h`` zooms)."""


def wrapped(line: str, cols: int) -> list[str]:
    """``line`` in rows of at most ``cols`` columns, continuation rows indented by 6.

    Rows break at a space when there is one in the second half of the row. A pane
    narrower than :data:`WRAP_FROM` gets the line as it is (cut on screen).

    >>> wrapped("  62 TLV title='冰淇淋蛋糕' quantity=1 expires 2099-12-31", 40)
    ["  62 TLV title='冰淇淋蛋糕' quantity=1", '      expires 2099-12-31']
    """
    if cols < WRAP_FROM:
        return [line]
    rows = [_cut(line, cols)]
    rest = line[len(rows[0]):].lstrip(" ")
    while rest:
        row = _cut(rest, cols - 6)
        rows.append("      " + row)
        rest = rest[len(row):].lstrip(" ")
    return [row.rstrip(" ") for row in rows]


def _cut(text: str, cols: int) -> str:
    head = fit_width(text, cols)
    if len(head) < len(text):
        space = head.rfind(" ")
        if space > len(head) // 2:
            return head[:space]
    return head


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
        self._cols = 0
        self._address = ""
        self.zoomed = False
        self._title()

    def set_host(self, address: str) -> None:
        """Name the host in the title (shown when the pane is zoomed)."""
        self._address = address
        self._title()

    def zoom(self, zoomed: bool) -> None:
        """Say in the title whether the pane is zoomed (the screen does the layout)."""
        self.zoomed = zoomed
        self._title()

    def _title(self) -> None:
        if self.zoomed:
            title = f"{ui('host', self._lang)} {self._address} · {ui('host.unzoom', self._lang)}"
        else:
            title = f"{ui('host.short', self._lang)} {ui('host.zoom', self._lang)}"
        self.border_title = title

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
        """Rewrite the messages for the new width (compact form below the limit)."""
        width = self.scrollable_content_region.width
        if width != self._cols:
            self._cols = width
            self._compact = width < COMPACT_BELOW
            self.clear()
            for message in self._messages:
                self._write(message)
            self.scroll_end(animate=False, immediate=True)

    def scroll_page(self, pages: int) -> None:
        """Scroll by ``pages`` pages (negative: up)."""
        self.scroll_to(y=self.scroll_y + pages * max(1, self.size.height - 1), animate=False)

    def _write(self, message: str) -> None:
        lines = message.split("\n")
        if self._compact:
            lines = [compact_line(line) for line in lines]
        if self._cols:
            lines = [row for line in lines for row in wrapped(line, self._cols)]
        self.write_lines(lines)
