"""A modal chooser of wallet items, for the keyboard (``s``, ``t``, ``b``, ``k``).

Items are numbered ``1`` … ``9``, then ``a`` … ``z`` (the scan chooser has more than
nine); typing an item's mark picks it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from xpos.emulator.app.texts import ui
from xpos.emulator.app.wallet import WalletItem

MARKS = "123456789abcdefghijklmnopqrstuvwxyz"
"""The keys that pick the first, second … item of a chooser."""


class Chooser(ModalScreen[WalletItem | None]):
    """Pick an item with ↑↓ and Enter, or its mark (1-9, a-z); Escape closes without one."""

    DEFAULT_CSS = """
    Chooser {
        align: center middle;
    }
    Chooser > Vertical {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: heavy $accent;
        background: $surface;
        padding: 0 1;
    }
    Chooser OptionList {
        height: auto;
        max-height: 14;
    }
    Chooser .hint {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "close")]

    def __init__(self, title: str, items: tuple[WalletItem, ...], *, lang: str = "zh") -> None:
        """A chooser titled ``title`` over ``items``."""
        super().__init__()
        self._title = title
        self._items = items
        self._lang = lang

    def compose(self) -> ComposeResult:
        """Title, numbered options, hint."""
        with Vertical():
            yield Label(Content(self._title))
            yield OptionList(*(Option(Content(f"{mark}. {item.long}"), id=item.ident)
                               for mark, item in zip(MARKS, self._items, strict=False)))
            yield Label(Content(ui("choose.hint", self._lang)), classes="hint")

    def on_mount(self) -> None:
        """Focus the list on its first item."""
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) picks the highlighted item."""
        event.stop()
        self.dismiss(self._items[event.option_index])

    def on_key(self, event: events.Key) -> None:
        """A digit or a letter picks the item with that mark."""
        index = MARKS.find(event.key) if len(event.key) == 1 else -1
        if 0 <= index < len(self._items):
            event.stop()
            self.dismiss(self._items[index])

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
