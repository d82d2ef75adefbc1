"""The emulator's one screen: layout, the keyboard map, and painting the rig's state."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from xpos.emulator.app.hostwords import describe_words
from xpos.emulator.app.keymap import APP_KEYS, terminal_key
from xpos.emulator.app.pinentry import PinEntry
from xpos.emulator.app.texts import ui
from xpos.emulator.app.wallet import WalletItem
from xpos.emulator.app.widgets import (
    HostPane,
    Keypad,
    LcdDisplay,
    PinPadPane,
    PrinterPane,
    StatusLine,
    WalletPane,
)
from xpos.model import Key
from xpos.testing.rig import RigStatus, TerminalRig


class TerminalKey(Message):
    """A terminal key was typed on the computer keyboard."""

    def __init__(self, key: Key) -> None:
        """Carry the key."""
        super().__init__()
        self.key = key


MIN_SIZE = (80, 24)
"""The smallest window everything fits in; a smaller one gets a warning line."""


class MainScreen(Screen[None]):
    """Display, keypad and PIN pad | printer | wallet and host; status and help below.

    Fits 80 × 24: the left column is 24 wide (a 20-column display), the printer 37
    (32 columns of 58 mm paper), the right column takes the rest: the wallet (at most
    64 % of the column; it scrolls, and the keys ``s t b k`` reach every item), and the
    host pane below it (at least 5 rows). ``h`` zooms the host pane over the printer and the
    wallet (class ``-host-zoom``). In a window lower than 24 rows the keypad gives way
    (the keyboard still works) so that the PIN pad stays whole, and the help line
    says the window is too small.
    """

    DEFAULT_CSS = """
    MainScreen #body {
        height: 1fr;
    }
    MainScreen #left {
        width: 24;
    }
    MainScreen #right {
        width: 1fr;
    }
    MainScreen #wallet {
        height: auto;
        max-height: 64%;
    }
    MainScreen #host {
        height: 1fr;
        min-height: 5;
    }
    MainScreen.-host-zoom #printer, MainScreen.-host-zoom #wallet {
        display: none;
    }
    MainScreen.-short #keypad {
        display: none;
    }
    MainScreen.-short #wallet {
        height: 1fr;
    }
    MainScreen #help {
        height: 1;
        color: $text-muted;
        padding: 0 1;
    }
    MainScreen #help.-hint {
        color: $warning;
        text-style: bold;
    }
    MainScreen #help.-small {
        color: $error;
        text-style: bold;
    }
    """

    def __init__(self, items: tuple[WalletItem, ...], *, lang: str = "zh") -> None:
        """A screen showing ``items`` in the wallet, labelled in ``lang``."""
        super().__init__()
        self._items = items
        self._lang = lang
        self._hint = ""
        self._small = ""
        self._words: list[str] = []

    def compose(self) -> ComposeResult:
        """The panes."""
        with Horizontal(id="body"):
            with Vertical(id="left"):
                display = LcdDisplay(id="display")
                display.border_title = ui("display", self._lang)
                yield display
                keypad = Keypad(lang=self._lang, id="keypad")
                keypad.border_title = ui("keypad", self._lang)
                yield keypad
                yield PinPadPane(lang=self._lang, id="pinpad")
            yield PrinterPane(lang=self._lang, id="printer")
            with Vertical(id="right"):
                yield WalletPane(self._items, lang=self._lang, id="wallet")
                yield HostPane(lang=self._lang, id="host")
        yield StatusLine(lang=self._lang, id="status")
        yield Static(Content(ui("help", self._lang)), id="help")

    def on_resize(self, event: events.Resize) -> None:
        """Below 80 × 24: the keypad gives way if too low, and the help line warns."""
        cols, rows = event.size
        self.set_class(rows < MIN_SIZE[1], "-short")
        small = cols < MIN_SIZE[0] or rows < MIN_SIZE[1]
        self._small = ui("hint.small", self._lang, cols=cols, rows=rows) if small else ""
        self._show_help()

    @property
    def help_text(self) -> str:
        """What the help line says now: the keys, a hint, or the size warning."""
        return self._small or self._hint or ui("help", self._lang)

    def hint(self, text: str) -> None:
        """Say ``text`` in the help line until the next input (empty: the keys again)."""
        self._hint = text
        self._show_help()

    def _show_help(self) -> None:
        if not self.is_mounted:
            return
        line = self.query_one("#help", Static)
        line.set_class(bool(self._small), "-small")
        line.set_class(bool(self._hint) and not self._small, "-hint")
        line.update(Content(self.help_text))

    def flash(self) -> None:
        """Flash the display (a key that did nothing)."""
        self.query_one(LcdDisplay).flash()

    def toggle_host_zoom(self) -> bool:
        """Zoom the host pane over the printer and the wallet, or back; returns zoomed."""
        zoomed = not self.has_class("-host-zoom")
        self.set_class(zoomed, "-host-zoom")
        self.query_one(HostPane).zoom(zoomed)
        return zoomed

    async def on_key(self, event: events.Key) -> None:
        """Terminal keys become :class:`TerminalKey`; the emulator's own keys run actions."""
        key = terminal_key(event.key, event.character)
        if key is not None:
            event.stop()
            event.prevent_default()
            self.post_message(TerminalKey(key))
            return
        action = APP_KEYS.get(event.key)
        if action is not None:
            event.stop()
            await self.app.run_action(action)

    def attach(self, rig: TerminalRig) -> None:
        """Size the display like the rig's and name the host."""
        self.query_one(LcdDisplay).set_geometry(rig.display.rows, rig.display.cols)
        self.query_one(HostPane).set_host(rig.status().host)

    def paint(self, rig: TerminalRig, status: RigStatus, entry: PinEntry, *,
              connecting: bool = False) -> None:
        """Show the rig's state in every pane (``connecting``: the link is being tried)."""
        self.query_one(LcdDisplay).show(rig.display.lines)
        pinpad = rig.pinpad
        prompt = pinpad.prompts[-1][0] if pinpad.prompts else ""
        self.query_one(PinPadPane).show(asking=pinpad.asking, entry=entry, prompt=prompt)
        self.query_one(PrinterPane).show(rig.printer.jobs, paper=status.paper)
        new = rig.messages[len(self._words):]  # X-menu TLV in words (hostwords)
        self._words.extend(describe_words(way, message, self._lang) for way, message in new)
        self.query_one(HostPane).show(self._words)
        self.query_one(StatusLine).show(status, connecting=connecting)
