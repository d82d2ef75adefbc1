"""A terminal on fake devices joined to a reference host over TLS on loopback.

:class:`TerminalRig` is the harness the demo, the end-to-end tests and (next) the QA
runner share: it starts the reference host (seeded with the demo data) and a
:class:`Terminal` on fake devices in one data directory, runs the main menu, and offers
the test-side device API (``press``, ``swipe``, ``pin``, the fakes themselves) plus
readers for what a person would see (``screen``, ``receipts``). Every input is followed
by :meth:`Terminal.settle`, so nothing sleeps.
``power_cycle`` kills the terminal and starts a new one on the same data directory.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from xpos.config import load_config
from xpos.drivers.fakes import (
    FakeCardReader,
    FakeDisplay,
    FakeKeypad,
    FakePinPad,
    FakePrinter,
    FakeScanner,
)
from xpos.drivers.registry import open_devices
from xpos.emulator.host.seed import DEMO
from xpos.emulator.host.server import ReferenceHost, host_db_path
from xpos.receipts.decode import decode_escpos
from xpos.runtime import Terminal
from xpos.security.mac import MacAlgorithm
from xpos.security.pki import ensure_demo_pki

_T = TypeVar("_T")


class TerminalRig:
    """Reference host + terminal on fake devices, driven like a person would."""

    def __init__(self, data_dir: Path, *, load_tmk: bool = True, menu: bool = True,
                 **config: Any) -> None:
        """Describe the rig; nothing starts before ``async with``.

        Args:
            data_dir: Data directory shared by host (``host/host.db``) and terminal.
            load_tmk: Load the demo TMK into the terminal's key store.
            menu: Run the main menu as a task.
            **config: Overrides for :class:`~xpos.config.TerminalConfig`.
        """
        self.data_dir = data_dir
        self._load_tmk = load_tmk
        self._menu = menu
        self._overrides = config
        self.host: ReferenceHost
        self.terminal: Terminal
        self.port = 0
        self._menu_task: asyncio.Task[None] | None = None
        self._printed = 0

    async def __aenter__(self) -> TerminalRig:
        config = load_config(self.data_dir, **self._overrides)
        pki = ensure_demo_pki(self.data_dir, terminal_id=config.tid)
        db = host_db_path(self.data_dir)
        db.parent.mkdir(parents=True, exist_ok=True)
        self.host = ReferenceHost(db, tls=pki, mac_algorithm=MacAlgorithm(config.mac_algorithm),
                                  mak_kcv=config.mak_kcv)
        self.port = await self.host.start()
        await self.start_terminal()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop_terminal()
        await self.host.stop()

    async def start_terminal(self) -> Terminal:
        """Start a terminal (and its menu) on the rig's data directory."""
        overrides = {"host": f"127.0.0.1:{self.port}", **self._overrides}
        config = load_config(self.data_dir, **overrides)
        self.terminal = Terminal(config, open_devices(config.devices))
        if self._load_tmk and not self.terminal.keystore.has_tmk:
            self.terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
        self._printed = 0
        if self._menu:
            self._menu_task = asyncio.create_task(self.terminal.run_menu())
            await self.terminal.settle()
        return self.terminal

    async def stop_terminal(self) -> None:
        """Stop the terminal's tasks and close its journal (as at power-off)."""
        if self._menu_task is not None:
            self._menu_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._menu_task
            self._menu_task = None
        await self.terminal.close()
        self.terminal.devices.close()

    async def power_cycle(self) -> Terminal:
        """Kill the terminal wherever it is and start a new one on the same data."""
        await self.stop_terminal()
        return await self.start_terminal()

    async def reconfigure(self, **config: Any) -> Terminal:
        """Power-cycle the terminal with changed working parameters (same data)."""
        self._overrides.update(config)
        return await self.power_cycle()

    # -- inputs ------------------------------------------------------------------------

    async def press(self, *keys: str) -> str:
        """Press keys (``"1"``, ``"#"``, ``"ENTER"``…); returns the screen afterwards."""
        self.keypad.press(*keys)
        await self.terminal.settle()
        return self.screen()

    async def type(self, text: str) -> str:
        """Press each character of ``text`` as a key."""
        return await self.press(*text)

    async def swipe(self, track2: str) -> str:
        """Swipe a magstripe card with this track 2."""
        self.reader.swipe(track2)
        await self.terminal.settle()
        return self.screen()

    async def pin(self, pin: str) -> str:
        """Enter a PIN on the PIN pad (it returns only the encrypted block)."""
        self.pinpad.enter(pin)
        await self.terminal.settle()
        return self.screen()

    # -- what a person sees --------------------------------------------------------------

    def screen(self) -> str:
        """The display, one line per row."""
        return "\n".join(self.display.lines)

    def receipts(self) -> str:
        """Text printed since the last call, decoded from the printer's ESC/POS bytes."""
        output = bytes(self.printer.output)
        new, self._printed = output[self._printed:], len(output)
        return decode_escpos(new) if new else ""

    # -- the fakes ---------------------------------------------------------------------

    @property
    def keypad(self) -> FakeKeypad:
        """The fake keypad."""
        return _fake(self.terminal.devices.keypad, FakeKeypad)

    @property
    def display(self) -> FakeDisplay:
        """The fake display."""
        return _fake(self.terminal.devices.display, FakeDisplay)

    @property
    def reader(self) -> FakeCardReader:
        """The fake magstripe reader."""
        return _reader(self.terminal, FakeCardReader)

    @property
    def scanner(self) -> FakeScanner:
        """The fake barcode/QR scanner."""
        return _reader(self.terminal, FakeScanner)

    @property
    def pinpad(self) -> FakePinPad:
        """The fake PIN pad."""
        return _fake(self.terminal.devices.pinpad, FakePinPad)

    @property
    def printer(self) -> FakePrinter:
        """The fake printer."""
        return _fake(self.terminal.devices.printer, FakePrinter)


def _fake(device: object, kind: type[_T]) -> _T:
    if not isinstance(device, kind):
        raise TypeError(f"the rig needs a {kind.__name__}, got {type(device).__name__}")
    return device


def _reader(terminal: Terminal, kind: type[_T]) -> _T:
    for reader in terminal.devices.readers:
        if isinstance(reader, kind):
            return reader
    raise TypeError(f"the rig needs a {kind.__name__} among the card readers")
