"""The wallet pane: test cards and codes by section, one click each.

The pane scrolls (at 80 × 24 it shares its column with the host pane); by keyboard the
keys ``s t b k`` open choosers instead (:mod:`xpos.emulator.app.widgets.chooser`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label

from xpos.emulator.app.texts import ui
from xpos.emulator.app.wallet import Section, WalletItem, in_section


class ItemButton(Button, can_focus=False):
    """One card or code (masked)."""

    def __init__(self, item: WalletItem) -> None:
        """A button presenting ``item``."""
        super().__init__(Content(item.short), id=item.ident, compact=True)
        self.item = item


class WalletPane(VerticalScroll, can_focus=False):
    """The wallet, section by section: bank cards, member card, RFID, vouchers, orders."""

    DEFAULT_CSS = """
    WalletPane {
        border: round $secondary;
        scrollbar-size-vertical: 1;
    }
    WalletPane Label {
        color: $text-accent;
        text-style: bold;
    }
    WalletPane ItemButton {
        width: 100%;
        min-width: 0;
        height: 1;
        content-align: left middle;
        text-align: left;
        padding: 0;
    }
    """

    class Presented(Message):
        """A wallet item was clicked."""

        def __init__(self, item: WalletItem) -> None:
            """Carry the item."""
            super().__init__()
            self.item = item

    def __init__(self, items: tuple[WalletItem, ...], *, lang: str = "zh",
                 id: str | None = None) -> None:
        """A pane listing ``items`` with headings in ``lang``."""
        super().__init__(id=id)
        self._items = items
        self._lang = lang
        self.border_title = ui("wallet", lang)

    def compose(self) -> ComposeResult:
        """A heading and the buttons of each section that has items."""
        for section in Section:
            items = in_section(section, self._items)
            if not items:
                continue
            yield Label(Content(ui(f"wallet.{section.value}", self._lang)))
            for item in items:
                yield ItemButton(item)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Turn a click into :class:`WalletPane.Presented`."""
        if isinstance(event.button, ItemButton):
            event.stop()
            self.post_message(self.Presented(event.button.item))
