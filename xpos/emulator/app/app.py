"""The emulator app: a :class:`TerminalRig` inside Textual's event loop.

Theory of operation
-------------------
The app is handed a rig that has not started (the launcher, :mod:`.launch`, builds it:
reference host unless ``--host``, terminal on fake devices, sign-on). On mount a worker
enters it through an :class:`~contextlib.AsyncExitStack`, in the app's event loop;
quitting (``ctrl+q``) or unmounting closes that stack, so the journal, key store and
host database are shut properly and the next run on the same data directory carries on.

Inputs (keypad buttons and keyboard, wallet, paper buttons) go straight to the fake
devices; then a worker awaits :meth:`Terminal.settle` and repaints. Nothing polls: the
display, the printer and the PIN pad call back when they change (``on_change``) and the
rig when a host message passes (``on_traffic``), so what changes with time (a timeout,
a slow host) shows as it happens. A callback only asks for a repaint, scheduled on the
app's loop with ``call_soon_threadsafe`` and coalesced (a burst of changes paints
once). While the PIN pad asks, terminal keys go to the :class:`PinEntry` instead of the
keypad.

A key that changes nothing (the display, the PIN entry, the printer and the host
messages are as before once the terminal has settled) rings the bell, flashes the
display and says so in the help line; so do ``s``/``t``/``b`` and the wallet when the
terminal is not reading that kind of card, and ``k`` (key a code in: its digits and
``#`` pressed on the keypad) when the terminal asks for no code. At start, once the rig
runs, the app opens the host link (status ◌ 正在连接主机…) so that the status line
shows the real state, 联机 or 脱机, also after a restart that needs no sign-on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from textual.app import App
from textual.screen import Screen

from xpos.emulator.app.pinentry import PinEntry
from xpos.emulator.app.screen import MainScreen, TerminalKey
from xpos.emulator.app.texts import ui
from xpos.emulator.app.till import TillDesk
from xpos.emulator.app.tillconsole import TillConsole
from xpos.emulator.app.wallet import Presentation, WalletItem, items_for, keyable, wallet
from xpos.emulator.app.widgets import Chooser, HostPane, Keypad, PrinterPane, WalletPane
from xpos.emulator.app.widgets.keypad import key_label
from xpos.errors import XposError
from xpos.model import Key
from xpos.proto.ecr import EcrRequest
from xpos.testing.rig import RigStatus, TerminalRig


class EmulatorApp(App[None]):
    """The emulated POS terminal.

    Attributes:
        rig: The running rig (``None`` before it started and after it stopped).
        started: Set once the rig runs (or failed to start: see :attr:`error`).
        error: Why the rig could not start.
    """

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, rig: TerminalRig, *, lang: str = "zh") -> None:
        """Describe the emulator; ``rig`` starts when the app is mounted.

        Args:
            rig: A rig not started yet (the app enters and leaves it in its own loop).
            lang: ``"zh"`` or ``"en"``, for the emulator's labels (the terminal's
                language is the rig's configuration).
        """
        super().__init__()
        self.lang = lang
        self.title = ui("title", lang)
        self.rig: TerminalRig | None = None
        self.started = asyncio.Event()
        self.error: BaseException | None = None
        self.items = wallet(lang=lang)
        self.pin_entry = PinEntry()
        self.probed = asyncio.Event()
        self.connecting = False
        self._pending: tuple[Key, tuple[object, ...]] | None = None
        self._handed = rig
        self._stack = contextlib.AsyncExitStack()
        self._paint_due = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self.till_desk = TillDesk()

    def get_default_screen(self) -> Screen[None]:
        """The emulator's screen."""
        return MainScreen(self.items, lang=self.lang)

    @property
    def main(self) -> MainScreen:
        """The emulator's screen (under any open chooser)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    # -- lifecycle ---------------------------------------------------------------------

    def on_mount(self) -> None:
        """Start the rig in a worker so the screen shows at once."""
        self.run_worker(self._start(), name="start", exit_on_error=False)

    async def _start(self) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            rig = await self._stack.enter_async_context(self._handed)
        except (XposError, OSError) as exc:
            self.error = exc
            self.started.set()
            self.probed.set()
            self.exit(return_code=1)
            return
        self.rig = rig
        self._watch(rig)
        self.main.attach(rig)
        self.connecting = True
        self.paint()
        self.started.set()
        await self._probe(rig)

    async def _probe(self, rig: TerminalRig) -> None:
        """Open the host link now, so that the status line says 联机 or 脱机 for real."""
        try:
            with contextlib.suppress(XposError, OSError):
                await rig.terminal.link.connect()
        finally:
            self.connecting = False
            self.probed.set()
            self.paint()

    def _watch(self, rig: TerminalRig) -> None:
        """Repaint when a watched device changes or a host message passes, until stopped."""
        stops: list[Callable[[], None]] = [
            rig.display.on_change(self.request_paint),
            rig.printer.on_change(self.request_paint),
            rig.pinpad.on_change(self.request_paint),
            rig.on_traffic(self.request_paint),
        ]
        for stop in stops:
            self._stack.callback(stop)

    def request_paint(self) -> None:
        """Ask for a repaint soon, from any thread; many requests before it paint once."""
        loop = self._loop
        if loop is None or self._paint_due or loop.is_closed():
            return
        self._paint_due = True
        loop.call_soon_threadsafe(self._paint_requested)

    def _paint_requested(self) -> None:
        self._paint_due = False
        self.paint()

    async def stop_rig(self) -> None:
        """Stop the terminal and the embedded host (safe to call twice)."""
        self.rig = None
        self.probed.set()
        await self._stack.aclose()

    async def action_quit(self) -> None:
        """Stop the rig properly, then leave."""
        await self.stop_rig()
        self.exit()

    async def on_unmount(self) -> None:
        """Make sure the rig is stopped however the app ends."""
        await self.stop_rig()

    # -- painting ----------------------------------------------------------------------

    def status(self) -> RigStatus | None:
        """The rig's status (``None`` while it is not running)."""
        if self.rig is None:
            return None
        return self.rig.status()

    def paint(self) -> None:
        """Show the rig's state now."""
        rig, status = self.rig, self.status()
        if rig is None or status is None or not self.is_running:
            return  # not started, stopped, or shutting down (the panes may be gone)
        if not rig.pinpad.asking:
            self.pin_entry.reset()
        self.main.paint(rig, status, self.pin_entry, connecting=self.connecting)

    async def settle(self) -> None:
        """Wait until the terminal waits for input, then repaint (tests use this too).

        Then, if the last key changed nothing, say so (:meth:`nothing_happened`).
        """
        if self.rig is not None:
            await self.probed.wait()
            with contextlib.suppress(TimeoutError):
                await self.rig.terminal.settle()
        self.paint()
        pending, self._pending = self._pending, None
        if pending is not None and self.rig is not None and pending[1] == self._fingerprint():
            label = key_label(pending[0], self.lang)
            self.nothing_happened(ui("hint.key", self.lang, key=label))

    def _fingerprint(self) -> tuple[object, ...]:
        """What a key can change: display, PIN entry, printer, host messages."""
        rig = self.rig
        if rig is None:
            return ()
        return (rig.display.lines, rig.pinpad.asking, self.pin_entry.stars,
                self.pin_entry.error, len(rig.printer.jobs), len(rig.traffic))

    def nothing_happened(self, hint: str) -> None:
        """A key or a card did nothing: bell, a flash of the display, ``hint`` below."""
        self.bell()
        self.main.flash()
        self.main.hint(hint)

    def _after_input(self) -> None:
        self.paint()
        self.run_worker(self.settle(), group="settle", exclusive=True, exit_on_error=False)

    # -- inputs ------------------------------------------------------------------------

    def press(self, key: Key) -> None:
        """A terminal key: to the PIN pad while it asks, else to the keypad."""
        rig = self.rig
        if rig is None:
            return
        self.main.hint("")
        self._pending = (key, self._fingerprint())
        if rig.pinpad.asking:
            self.pin_entry.key(key, rig.pinpad)
        else:
            rig.keypad.press(key)
        self._after_input()

    def present(self, item: WalletItem) -> None:
        """Swipe, tap or scan a wallet item."""
        rig = self.rig
        if rig is None:
            return
        self.main.hint("")
        if not self._reads(item.how):
            self.nothing_happened(ui(f"hint.{item.how.value}", self.lang))
        if item.how is Presentation.SWIPE:
            rig.reader.swipe(item.data)
        elif item.how is Presentation.TAP:
            rig.rfid.tap(item.data)
        else:
            rig.scanner.scan(item.data)
        self._after_input()

    def on_terminal_key(self, message: TerminalKey) -> None:
        """A key typed on the computer keyboard."""
        self.press(message.key)

    def on_keypad_pressed(self, message: Keypad.Pressed) -> None:
        """A keypad button clicked."""
        self.press(message.key)

    def on_wallet_pane_presented(self, message: WalletPane.Presented) -> None:
        """A wallet item clicked."""
        self.present(message.item)

    def on_printer_pane_paper_out(self, message: PrinterPane.PaperOut) -> None:
        """The paper-out button."""
        self.action_paper_out()

    def on_printer_pane_reload(self, message: PrinterPane.Reload) -> None:
        """The reload button."""
        self.action_paper_reload()

    # -- actions (keys s t b p r, PageUp/PageDown, [ ]) -----------------------------------

    def action_swipe(self) -> None:
        """Choose a card to swipe."""
        self._choose(Presentation.SWIPE)

    def action_tap(self) -> None:
        """Choose an RFID card to tap."""
        self._choose(Presentation.TAP)

    def action_scan(self) -> None:
        """Choose a code to scan."""
        self._choose(Presentation.SCAN)

    def action_key_in(self) -> None:
        """Choose a code to key in: its digits and ``#`` are pressed on the keypad (``k``)."""
        if self.rig is None or self.screen is not self.main:
            return
        if not self._reads(Presentation.SCAN):  # a code prompt (it takes a scan too)
            self.nothing_happened(ui("hint.key_in", self.lang))
            return
        self.main.hint("")
        chooser = Chooser(ui("choose.key_in", self.lang), keyable(self.items), lang=self.lang)
        self.push_screen(chooser, self._key_in)

    def _key_in(self, item: WalletItem | None) -> None:
        rig = self.rig
        if item is None or rig is None:
            return
        rig.keypad.press(*(Key(digit) for digit in item.data), Key.HASH)
        self._after_input()

    def _reads(self, how: Presentation) -> bool:
        """Whether the terminal listens to cards presented this way now."""
        rig = self.rig
        return rig is not None and how.value in {s.value for s in rig.terminal.sources}

    def _choose(self, how: Presentation) -> None:
        if self.rig is None or self.screen is not self.main:
            return
        if not self._reads(how):
            self.nothing_happened(ui(f"hint.{how.value}", self.lang))
            return
        self.main.hint("")
        chooser = Chooser(ui(f"choose.{how.value}", self.lang), items_for(how, self.items),
                          lang=self.lang)
        self.push_screen(chooser, self._chosen)

    def _chosen(self, item: WalletItem | None) -> None:
        if item is not None:
            self.present(item)

    def action_paper_out(self) -> None:
        """The printer runs out of paper."""
        if self.rig is not None:
            self.rig.printer.paper_out()
            self._after_input()

    def action_paper_reload(self) -> None:
        """A new paper roll."""
        if self.rig is not None:
            self.rig.printer.reload()
            self._after_input()

    def action_roll_up(self) -> None:
        """Scroll the printer roll up a page."""
        self.main.query_one(PrinterPane).scroll_page(-1)

    def action_roll_down(self) -> None:
        """Scroll the printer roll down a page."""
        self.main.query_one(PrinterPane).scroll_page(1)

    def action_host_zoom(self) -> None:
        """Zoom the host pane over the printer and the wallet (key ``h``), or back."""
        self.main.toggle_host_zoom()

    def action_host_up(self) -> None:
        """Scroll the host pane up a page."""
        self.main.query_one(HostPane).scroll_page(-1)

    def action_host_down(self) -> None:
        """Scroll the host pane down a page."""
        self.main.query_one(HostPane).scroll_page(1)

    # -- the till (ECR console, key e) ----------------------------------------------------

    def action_till(self) -> None:
        """Open the till console: send a sale, void, refund, settlement or order payment."""
        if self.rig is None or self.rig.till_port is None or self.screen is not self.main:
            return
        self.push_screen(TillConsole(self.till_desk), self._till_request)

    def _till_request(self, request: EcrRequest | None) -> None:
        rig = self.rig
        if request is None or rig is None:
            return
        self.run_worker(self.till_desk.exchange(rig.till(), request, self.main.hint),
                        group="till", exit_on_error=False)
        self._after_input()
