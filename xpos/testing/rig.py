"""A terminal on fake devices joined to a reference host, in memory or over TLS on loopback.

:class:`TerminalRig` is the harness the demo, the end-to-end tests and (next) the QA
runner share: it starts the reference host (seeded with the demo data) and a
:class:`Terminal` on fake devices in one data directory, runs the main menu, and offers
the test-side device API (``press``, ``swipe``, ``pin``, the fakes themselves) plus
readers for what a person would see (``screen``, ``receipts``). Every input is followed
by :meth:`Terminal.settle`, so nothing sleeps.
``power_cycle`` kills the terminal and starts a new one on the same data directory.
The terminal is built by the composition root
(:func:`~xpos.terminal.compose.open_terminal`) from the config's device URLs (``fake:``
unless the data directory's ``xpos.toml`` says otherwise) and closes them itself; the
rig provisions the demo PKI (``ensure_demo_pki``) unless a ``pki_dir`` is given, since
the terminal never makes one.

``transport`` says how terminal and embedded host are joined: ``"tls"`` (default; what
the emulator and the demo show: the host listens on a loopback port with TLS 1.3 mutual
authentication, or plain TCP with ``tls=False``) or ``"memory"`` (the QA runner and most
end-to-end tests: :mod:`xpos.testing.memory` streams through the same host-link seam and
the same proto sessions at both ends; no socket, no PKI, no handshake). With
``host_address`` the terminal always uses TCP/TLS.

The emulator UI and the QA runner build on it: ``host_address`` points the terminal at
another host instead of the embedded one, ``clock`` puts the terminal, its host link and
the embedded host's ``delay`` fault on simulated time, ``sign_on`` signs on at start, and
:attr:`traffic` / :meth:`status` feed the host pane and the status line.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, Unpack

from xpos.core.flows.online import Notice, Outcome, SignOnRequest
from xpos.drivers.fakes import (
    FakeCardReader,
    FakeDisplay,
    FakeKeypad,
    FakePinPad,
    FakePrinter,
    FakeRfidReader,
    FakeScanner,
)
from xpos.drivers.listeners import Listeners
from xpos.errors import ConfigError, HostUnreachableError, XposError
from xpos.proto.codec import Message
from xpos.proto.transcript import describe
from xpos.receipts.decode import decode_escpos
from xpos.refhost.seed import DEMO, refresh_demo
from xpos.refhost.server import ReferenceHost, private_host_dir
from xpos.security.mac import MacAlgorithm
from xpos.security.pki import TerminalIdentity, TlsFiles, ensure_demo_pki
from xpos.terminal.clock import Clock, LoopClock
from xpos.terminal.compose import open_terminal
from xpos.terminal.config import ConfigOverrides, TerminalConfig, check_overrides, load_config
from xpos.terminal.hostlink import HostLink
from xpos.terminal.linkconf import link_config, tls_files
from xpos.terminal.runtime import Terminal
from xpos.testing.memory import MemoryNetwork
from xpos.testing.till import MemoryEcrPort, Till, ecr_idle_loop

#: The embedded host's address when the rig joins it in memory.
MEMORY_ADDRESS = "memory:8583"
TRANSPORTS = ("tls", "memory")
#: :attr:`TerminalRig.sign_on_problem` values: what kind of thing made the sign-on fail.
SIGN_ON_KEYS, SIGN_ON_TLS, SIGN_ON_UNREACHABLE, SIGN_ON_LINK = "keys", "tls", "unreachable", "link"

_T = TypeVar("_T")


@dataclass(frozen=True, kw_only=True)
class RigStatus:
    """What the emulator's status line shows.

    Attributes:
        online: A host connection is open now.
        host: The host the terminal talks to (``host:port``).
        signed_on: Working keys are loaded.
        batch: The current batch number.
        pending_reversal: A reversal waits to be sent.
        paper: The printer has paper.
    """

    online: bool
    host: str
    signed_on: bool
    batch: int
    pending_reversal: bool
    paper: bool


class TerminalRig:
    """Reference host + terminal on fake devices, driven like a person would."""

    def __init__(self, data_dir: Path, *, load_tmk: bool = True, menu: bool = True,
                 host_address: str | None = None, clock: Clock | None = None,
                 sign_on: bool = False,
                 prepare_host: Callable[[ReferenceHost], None] | None = None,
                 host_template: Path | None = None, fresh_demo_data: bool = False,
                 transport: str = "tls", till: bool = False,
                 **config: Unpack[ConfigOverrides]) -> None:
        """Describe the rig; nothing starts before ``async with``.

        Args:
            data_dir: Data directory shared by host (``host/host.db``) and terminal.
            load_tmk: Load the demo TMK into the terminal's key store.
            menu: Run the main menu as a task (again each time it ends).
            host_address: ``host:port`` of another host; no embedded host is started.
            clock: The clock for the terminal and the embedded host's delays.
            sign_on: Sign on when the terminal starts (unless already signed on).
            prepare_host: Called with the embedded host before the terminal starts (QA
                fixtures).
            host_template: A seeded host database to copy instead of seeding a new one
                (the QA runner seeds once per run: much faster than per scenario).
            fresh_demo_data: Put the demo cards and vouchers back to their demo state
                when the embedded host starts (keys, batch and ledger are kept).
            transport: ``"tls"`` (loopback socket, TLS unless ``tls=False``) or
                ``"memory"`` (in-memory streams) to the embedded host.
            till: Give the terminal an ECR port in memory and run its idle loop with
                it (:attr:`till_port`; :meth:`till` is the cash register at its end).
            **config: Overrides for :class:`~xpos.terminal.config.TerminalConfig`. Without
                ``pki_dir`` (and with ``tls``) the rig provisions the demo PKI in
                ``data_dir/pki`` and points the terminal at it.

        Raises:
            ConfigError: a bad override (checked here, before anything starts).
        """
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
        self.data_dir = data_dir
        self.transport = transport
        self.network = MemoryNetwork()
        self._load_tmk = load_tmk
        self._menu = menu
        self._host_address = host_address
        self._sign_on = sign_on
        self._prepare_host = prepare_host
        self._host_template = host_template
        self._fresh_demo_data = fresh_demo_data
        self._overrides: ConfigOverrides = check_overrides(config, source="TerminalRig")
        self.clock: Clock = clock or LoopClock()
        self._host: ReferenceHost | None = None
        self.terminal: Terminal
        self.port = 0
        self.traffic: list[str] = []
        self._traffic_changes = Listeners()
        self.sign_on_error = ""
        self.sign_on_problem = ""
        self.messages: list[tuple[str, Message]] = []
        self._menu_task: asyncio.Task[None] | None = None
        self._printed = 0
        self._till = till
        self.till_port: MemoryEcrPort | None = None

    async def __aenter__(self) -> TerminalRig:
        if self._host_address is None:
            await self.start_host()
        try:
            await self.start_terminal()
        except BaseException:
            if self._host is not None:
                await self._host.stop()
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop_terminal()
        if self._host is not None:
            await self._host.stop()

    async def start_host(self) -> ReferenceHost:
        """Start the embedded reference host (seeded with the demo data)."""
        config = self._config()
        memory = self.transport == "memory"
        pki = self._host_pki(config) if config.tls and not memory else None
        db = private_host_dir(self.data_dir)
        seed = True
        if self._host_template is not None and not db.exists():
            shutil.copyfile(self._host_template, db)
            seed = False
        self._host = ReferenceHost(db, tls=pki, mac_algorithm=MacAlgorithm(config.mac_algorithm),
                                   mak_kcv=config.mak_kcv, sleep=self.clock.sleep, seed=seed)
        if self._fresh_demo_data:
            refresh_demo(self._host.store)
        if self._prepare_host is not None:
            self._prepare_host(self._host)
        if memory:
            self.network.hosts[MEMORY_ADDRESS] = self._host
        else:
            self.port = await self._host.start()
        return self._host

    def _config(self, **defaults: Unpack[ConfigOverrides]) -> TerminalConfig:
        """The terminal's config (the rig's overrides win over ``defaults``).

        The demo PKI is provisioned when none is configured.
        """
        overrides: ConfigOverrides = {**defaults, **self._overrides}
        config = load_config(self.data_dir, **overrides)
        if config.tls and not config.pki_dir and not self.in_memory:
            demo = ensure_demo_pki(self.data_dir, terminal_id=config.tid, merchant_id=config.mid)
            config = config.replace(pki_dir=str(demo.ca_cert.parent))
        return config

    @staticmethod
    def _host_pki(config: TerminalConfig) -> TlsFiles:
        """The PKI of the embedded host: the terminal's ``pki_dir`` with the host pair.

        Raises:
            ConfigError: a file of the terminal or of the host is missing.
        """
        files = tls_files(config)
        missing = [p.name for p in (files.host_cert, files.host_key) if not p.is_file()]
        if missing:
            raise ConfigError(f"key 'pki_dir': the embedded host needs {', '.join(missing)} "
                              f"in {files.ca_cert.parent}")
        return files

    @property
    def has_host(self) -> bool:
        """True when the rig runs the embedded reference host."""
        return self._host is not None

    @property
    def host(self) -> ReferenceHost:
        """The embedded reference host.

        Raises:
            RuntimeError: the rig uses another host (``host_address``).
        """
        if self._host is None:
            raise RuntimeError("this rig talks to another host; there is no embedded one")
        return self._host

    async def start_terminal(self) -> Terminal:
        """Start a terminal (and its menu) on the rig's data directory."""
        config = self._config(host=self._address())
        self.terminal = open_terminal(config, clock=self.clock, on_traffic=self._on_traffic,
                                      link=self._link(config))
        if self._load_tmk and not self.terminal.keystore.has_tmk:
            self.terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
        self._printed = 0
        if self._sign_on and not self.terminal.keystore.has_working_keys:
            await self.sign_on()
        if self._menu:
            self._menu_task = asyncio.create_task(self._idle_loop())
            await self.terminal.settle()
        return self.terminal

    @property
    def in_memory(self) -> bool:
        """True when the terminal reaches the embedded host through memory streams."""
        return self.transport == "memory" and self._host_address is None

    @property
    def embedded_address(self) -> str:
        """``host:port`` at which the terminal reaches the embedded host."""
        return MEMORY_ADDRESS if self.transport == "memory" else f"127.0.0.1:{self.port}"

    def _address(self) -> str:
        if self._host_address is not None:
            return self._host_address
        return self.embedded_address

    def _link(self, config: TerminalConfig) -> HostLink | None:
        """The in-memory host link, or None (the terminal builds its TCP/TLS link)."""
        if not self.in_memory:
            return None
        self.network.identity = TerminalIdentity(tid=config.tid, mid=config.mid)
        return HostLink(link_config(config.replace(tls=False)), on_traffic=self._on_traffic,
                        clock=self.clock, connector=self.network)

    async def sign_on(self) -> bool:
        """Sign on without the menu (as a terminal does at power-on); True if approved.

        A failure is left for the user to see (the terminal then says 请先签到); why it
        failed is kept in :attr:`sign_on_error`, and what kind of failure it was in
        :attr:`sign_on_problem` (``SIGN_ON_KEYS``: wrong key check value / TMK mismatch;
        ``SIGN_ON_TLS``: TLS handshake or PKI; ``SIGN_ON_UNREACHABLE``; ``SIGN_ON_LINK``:
        the link failed after connecting; ``"declined"``).
        """
        self.sign_on_error = ""
        self.sign_on_problem = ""
        try:
            await self.terminal.link.connect()  # an unreachable host says why here
            reply = await self.terminal.txn.handle(SignOnRequest())
        except XposError as exc:
            self.sign_on_error = str(exc)
            self.sign_on_problem = _problem_of(exc)
            return False
        if reply.outcome is not Outcome.APPROVED:
            code = f", response code {reply.rc}" if reply.rc else ""
            why = f" ({reply.notice.value})" if reply.notice else ""
            self.sign_on_error = f"sign-on ended {reply.outcome.value}{code}{why}"
            self.sign_on_problem = (SIGN_ON_KEYS if reply.notice is Notice.BAD_KEYS
                                    else "declined")
            return False
        return True

    def crashed(self) -> BaseException | None:
        """Why the terminal's menu task ended, or None while it runs (or was stopped)."""
        task = self._menu_task
        if task is None or not task.done() or task.cancelled():
            return None
        return task.exception() or RuntimeError("the terminal's menu ended")

    def status(self) -> RigStatus:
        """The terminal's state for a status line."""
        terminal = self.terminal
        return RigStatus(online=terminal.link.connected_to is not None,
                         host=terminal.config.host,
                         signed_on=terminal.keystore.has_working_keys,
                         batch=terminal.journal.batch_no,
                         pending_reversal=terminal.journal.pending_reversal() is not None,
                         paper=self.printer.paper_ok)

    def on_traffic(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback()`` after each message added to :attr:`traffic`; returns the
        function that stops it (the emulator's host pane repaints on it)."""
        return self._traffic_changes.add(callback)

    def _on_traffic(self, direction: str, message: Message) -> None:
        self.messages.append((direction, message))
        self.traffic.append(f"{direction} {describe(message)}")
        self._traffic_changes.notify()

    def _idle_loop(self) -> Coroutine[Any, Any, None]:
        if not self._till:
            return self.terminal.run_forever()
        self.till_port = MemoryEcrPort()
        return ecr_idle_loop(self.terminal, self.till_port)

    def till(self) -> Till:
        """The cash register at the other end of :attr:`till_port` (``till=True``).

        Raises:
            ConfigError: the rig was made without ``till=True``.
        """
        if self.till_port is None:
            raise ConfigError("this rig has no ECR port (TerminalRig(..., till=True))")
        return self.till_port.till()

    async def stop_terminal(self) -> None:
        """Stop the terminal's tasks and close its journal (as at power-off)."""
        if self._menu_task is not None:
            self._menu_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._menu_task
            self._menu_task = None
        await self.terminal.close()  # closes the devices it opened

    async def power_cycle(self) -> Terminal:
        """Kill the terminal wherever it is and start a new one on the same data."""
        await self.stop_terminal()
        return await self.start_terminal()

    async def reconfigure(self, **config: Unpack[ConfigOverrides]) -> Terminal:
        """Power-cycle the terminal with changed working parameters (same data).

        Raises:
            ConfigError: a bad override (the running terminal is left as it was).
        """
        self._overrides = check_overrides({**self._overrides, **config}, source="reconfigure")
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

    async def tap(self, uid: str) -> str:
        """Tap an RFID card with this UID (hex)."""
        self.rfid.tap(uid)
        await self.terminal.settle()
        return self.screen()

    async def scan(self, code: str) -> str:
        """Scan a barcode / QR code."""
        self.scanner.scan(code)
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
    def rfid(self) -> FakeRfidReader:
        """The fake RFID reader."""
        return _reader(self.terminal, FakeRfidReader)

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


def _problem_of(exc: BaseException) -> str:
    """The kind of sign-on failure an exception shows (TLS is found in its causes)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return SIGN_ON_TLS
        cause = cause.__cause__
    return SIGN_ON_UNREACHABLE if isinstance(exc, HostUnreachableError) else SIGN_ON_LINK


def _fake(device: object, kind: type[_T]) -> _T:
    if not isinstance(device, kind):
        raise TypeError(f"the rig needs a {kind.__name__}, got {type(device).__name__}")
    return device


def _reader(terminal: Terminal, kind: type[_T]) -> _T:
    for reader in terminal.devices.readers:
        if isinstance(reader, kind):
            return reader
    raise TypeError(f"the rig needs a {kind.__name__} among the card readers")
