"""Required devices that may be missing: ``xpos run`` runs on without them and retries.

Theory of operation
-------------------
``xpos run`` opens its devices through a :class:`StandInRegistry`. For the keypad, the
display, the PIN pad and the printer it does not hand out the driver's device but a
stand-in (:mod:`xpos.terminal.standins`) around a :class:`Slot`: the slot holds the
device while it works and ``None`` while it is missing, and knows how to open the
device's URL again. A device that cannot be opened at start (``DeviceError``: not
plugged in, the udev link not there yet) leaves its slot empty; one that fails while
running (a read or write raising ``DeviceError``/``OSError``: a pulled cable) is closed
and its slot emptied. Either way the :class:`DeviceBoard` logs ``缺少设备 missing
device`` and marks it ``missing``. A bad URL (``ConfigError``) is still fatal at start:
a typo is not a missing device.

:meth:`StandInRegistry.watch` (a task of ``xpos run``) tries every empty slot again
every ``retry_s`` seconds (``retrying``, logged each time) until it opens (``ready``;
``… is back``); a slot's ``on_back`` hooks then run (the display is redrawn with the
current screen, the PIN pad gets its PIN key again, the keypad's reader goes on). The
printer's stand-in also tries once on demand when a slip is to be printed.

Each state change is written to ``<data dir>/devices.state`` (JSON, with the process id)
so ``xpos devices list`` can say how the running terminal sees its devices.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from xpos.drivers.base import KINDS
from xpos.drivers.registry import DriverRegistry, Factory
from xpos.errors import ConfigError

log = logging.getLogger(__name__)

RETRY_S = 5.0
"""Seconds between attempts to open a missing device again."""

READY, MISSING, RETRYING, NOT_READY = "ready", "missing", "retrying", "not ready"
"""A device's state as the running terminal sees it (``not ready``: a printer that is
there, or is reached on each job, but said it cannot print: offline, paper, cover)."""

STANDIN_KINDS = ("keypad", "display", "pinpad", "printer", "customer_display", "beeper")
"""The kinds ``xpos run`` starts and runs without through a stand-in (card readers:
:mod:`xpos.terminal.missing`)."""

STATE_FILE = "devices.state"
"""Where ``xpos run`` keeps its devices' states (in the data directory)."""


class DeviceBoard:
    """Each device's state as the running terminal sees it; every change is logged.

    Args:
        path: The state file to keep up to date (None: none).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.states: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()  # the printer thread reports its printer's state

    def set(self, kind: str, state: str, why: str = "") -> None:
        """Record ``kind``'s state (and why it is missing) and rewrite the state file."""
        with self._lock:
            if self.states.get(kind) == (state, why):
                return
            self.states[kind] = (state, why)
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        body = {"pid": os.getpid(),
                "devices": {k: {"state": s, "why": w} for k, (s, w) in self.states.items()}}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:  # the terminal runs on without its state file
            log.warning("cannot write %s: %s", self.path, exc)

    def remove(self) -> None:
        """Delete the state file (the terminal stopped)."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()


class Slot:
    """One required device: the device while it works, ``None`` while it is missing.

    Args:
        kind: One of :data:`STANDIN_KINDS`.
        url: Its configured URL (for the log).
        opener: Opens the device (raises ``DeviceError``/``OSError`` while it is missing).
        board: Where its state is recorded.
        retry_s: Seconds between attempts (for the log; the registry's watch retries).
    """

    def __init__(self, kind: str, url: str, opener: Callable[[], object],
                 board: DeviceBoard, retry_s: float = RETRY_S) -> None:
        self.kind = kind
        self.url = url
        self.retry_s = retry_s
        self.device: object | None = None
        self.why = ""
        self.on_back: list[Callable[[], None]] = []
        self._opener = opener
        self._board = board
        self._back = asyncio.Event()
        #: The printer's slot is also opened and emptied on the printer thread.
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = threading.get_ident()
        with contextlib.suppress(RuntimeError):  # made outside a loop: learnt in wait_back
            self._loop = asyncio.get_running_loop()

    def first_open(self) -> None:
        """Open at start; a missing device is logged and left for :meth:`try_open`.

        Raises:
            ConfigError: a bad URL (fatal: a typo is not a missing device).
        """
        try:
            self.device = self._opener()
        except ConfigError:
            raise
        except OSError as exc:  # DeviceError is an OSError
            self.why = str(exc)
            self._board.set(self.kind, MISSING, self.why)  # before the log: it says so
            log.warning("缺少设备 missing device: %s %s (%s); the terminal runs without it "
                        "and retries every %g s", self.kind, self.url, exc, self.retry_s)
            return
        self._back.set()
        self._board.set(self.kind, READY)

    def lost(self, exc: BaseException) -> None:
        """The device failed while running: close it, empty the slot, log 缺少设备."""
        with self._lock:
            device, self.device = self.device, None
        self._back.clear()
        if device is None:
            return
        close = getattr(device, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()
        self.why = str(exc) or type(exc).__name__
        self._board.set(self.kind, MISSING, self.why)
        log.error("缺少设备 missing device: %s failed (%s); the terminal runs on and "
                  "reopens %s every %g s", self.kind, self.why, self.url, self.retry_s)

    def try_open(self) -> bool:
        """Open the device again if it is missing; True when it is there now."""
        with self._lock:
            if self.device is not None:
                return True
            try:
                device = self._opener()
            except (OSError, ConfigError) as exc:
                self.why = str(exc)
                self._board.set(self.kind, RETRYING, self.why)
                log.warning("%s still missing: %s; retrying in %g s", self.kind, exc,
                            self.retry_s)
                return False
            self.device, self.why = device, ""
        self._board.set(self.kind, READY)
        log.info("%s is back: %s", self.kind, self.url)
        loop = self._loop
        if loop is not None and threading.get_ident() != self._loop_thread:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._announce_back)
            return True
        self._announce_back()
        return True

    def _announce_back(self) -> None:
        """Wake whoever waits for the device and run the ``on_back`` hooks (loop thread)."""
        self._back.set()
        for hook in list(self.on_back):
            try:
                hook()
            except Exception as exc:  # a failing hook must not stop the others
                log.error("%s back: %s", self.kind, exc)

    def mark(self, state: str, why: str = "") -> None:
        """Record what the device said of itself (a printer: ``ready``/``not ready``)."""
        before = self._board.states.get(self.kind, ("", ""))[0]
        self._board.set(self.kind, state, why)
        if state == READY and before not in ("", READY):
            log.info("%s is ready again", self.kind)
        elif state == NOT_READY and before != NOT_READY:
            log.warning("%s not ready: %s; the slip waits for it", self.kind, why)

    async def wait_back(self) -> None:
        """Wait until the device is there (at once if it is)."""
        if self._loop is None:
            self._loop, self._loop_thread = asyncio.get_running_loop(), threading.get_ident()
        await self._back.wait()

    def close(self) -> None:
        """Close the device (the terminal stops)."""
        device, self.device = self.device, None
        close = getattr(device, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()


class StandInRegistry(DriverRegistry):
    """A driver registry handing out stand-ins for the kinds of :data:`STANDIN_KINDS`.

    Args:
        base: Where drivers are really looked up (default: built-ins + entry points).
        board: Where device states go.
        retry_s: Seconds between attempts to reopen a missing device.
    """

    def __init__(self, base: DriverRegistry | None = None, *, board: DeviceBoard | None = None,
                 retry_s: float = RETRY_S) -> None:
        super().__init__(())
        self.base = base or DriverRegistry()
        self.board = board or DeviceBoard()
        self.retry_s = retry_s
        self.slots: dict[str, Slot] = {}

    def register(self, kind: str, scheme: str, factory: Factory) -> None:
        """Register on the underlying registry."""
        self.base.register(kind, scheme, factory)

    def factory(self, kind: str, scheme: str) -> Factory:
        """The underlying registry's factory."""
        return self.base.factory(kind, scheme)

    def open(self, kind: str, url: str) -> object:
        """Open ``kind``: a stand-in for the four required kinds, else the device.

        Raises:
            ConfigError: a bad URL.
            DeviceError: a card reader or optional device could not be opened.
        """
        if kind not in STANDIN_KINDS:
            try:
                device = self.base.open(kind, url)
            except OSError as exc:  # a card reader: missing.py starts without it
                state = RETRYING if kind in self.board.states else MISSING
                self.board.set(kind, state, str(exc))
                raise
            if kind in KINDS:
                self.board.set(kind, READY)
            return device
        from xpos.terminal import standins

        slot = Slot(kind, url, lambda: self.base.open(kind, url), self.board, self.retry_s)
        slot.first_open()
        self.slots[kind] = slot
        device = standins.make(kind, slot, url)
        if isinstance(device, standins.StandInPrinter) and device.present \
                and not device.paper_ok:  # e.g. a network printer that is off
            self.board.set(kind, NOT_READY, "not ready at start")
            log.warning("缺少设备 missing device: printer %s is not ready (off, offline, no "
                        "paper or cover open); slips wait for it", url)
        return device

    async def watch(self) -> None:
        """Reopen every missing device every ``retry_s`` seconds (runs until cancelled)."""
        while True:
            await asyncio.sleep(self.retry_s)
            self.reopen_missing()

    def reopen_missing(self) -> None:
        """One attempt at every missing device."""
        for slot in self.slots.values():
            if slot.device is None:
                slot.try_open()

    def close(self) -> None:
        """Close every device held in a slot."""
        for slot in self.slots.values():
            slot.close()

