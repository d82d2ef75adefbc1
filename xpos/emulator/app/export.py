"""The app's screen as plain text (for snapshot tests and the QA runner's evidence).

Like Textual's ``App.export_screenshot`` (which makes SVG), but through a recording Rich
console exported as text: one line per screen row, wide characters as themselves. It
makes the same (private) compositor call as Textual 8.2.8's ``export_screenshot``.
"""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def screen_text(app: App[object]) -> str:
    """What the running app's screen shows now, one line per row, without styles."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False,
                      safe_box=False)
    update = app.screen._compositor.render_update(full=True,
                                                  screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)
