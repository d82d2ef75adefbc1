"""The imperative shell: drivers + pure core + host link + journal on asyncio.

Theory of operation
-------------------
One :class:`Terminal` owns the state. Each input device runs as a task that turns what
the device produced into a core event (``KeyPressed``, ``CardPresented``…) on one queue.
Flows (``xpos.core.flows``) are generators: the terminal runs each yielded step through
its pure step machine (``xpos.core.engine``), feeding it events from the queue and time
from the loop clock, and carries out the machine's effects (show, print, ask the PIN pad,
arm a timer). ``Online`` commands go to the :class:`~xpos.terminal.txn.TransactionService`.

Only the PIN pad driver sees PIN digits; the terminal gets back a PIN block. Print jobs
are rendered to ESC/POS here, recorded for reprint, then sent to the printer driver: on
the loop for a driver that cannot block (fakes, files), on the printer thread of
:mod:`xpos.terminal.printwork` for one that says ``blocking`` (a real ESC/POS printer
waits seconds for a status answer that does not come); either way the step hears
``PrintDone``.

:meth:`Terminal.settle` resolves when the terminal is waiting for input with nothing
queued: the demo, the tests and the QA runner use it instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from typing import Any, Protocol

from xpos.core.engine import (
    Beep,
    CancelPin,
    CardError,
    CardPresented,
    Done,
    Effect,
    EnableSources,
    Event,
    KeyPressed,
    PinDone,
    PrintDone,
    RequestPin,
    RequestPrint,
    SetTimer,
    Show,
    TimerFired,
    machine_for,
)
from xpos.core.flows import Flow
from xpos.core.flows.online import FlowContext, Online, OnlineReply, Outcome
from xpos.core.menus import MenuSet, menu_flow
from xpos.core.steps import ResultCode, StepResult
from xpos.drivers.base import CardReader, DeviceSet
from xpos.errors import (
    CardReadError,
    PaperOutError,
    PrinterOfflineError,
    XposError,
)
from xpos.journal import Journal
from xpos.model import CardSource, Document
from xpos.receipts.escpos import render_for
from xpos.security.keys import WorkingKeys
from xpos.security.keystore import KeyStore
from xpos.terminal import crashpoints
from xpos.terminal.clock import Clock, LoopClock
from xpos.terminal.config import JOURNAL_NAME, KEYSTORE_NAME, TerminalConfig
from xpos.terminal.customer import beep, show_customer
from xpos.terminal.display_size import display_geometry
from xpos.terminal.hostlink import HostLink, TrafficHook
from xpos.terminal.linkconf import link_config
from xpos.terminal.menufiles import load_menus
from xpos.terminal.printwork import PrintWorker, is_blocking
from xpos.terminal.txn import TransactionService

log = logging.getLogger(__name__)

#: Event-loop turns the terminal must stay idle before ``settle`` returns: enough for a
#: device task → queue → step machine chain of in-process hops to run through.
_SETTLE_ROUNDS = 20

#: Documents recorded without a transaction: reprints (else a reprint would become the
#: last transaction's receipt) and totals slips.
_UNATTACHED_PRINTS = ("reprint-", "totals", "settlement")


class ReaderReopener(Protocol):
    """Brings a failed card reader back (``xpos run``: :mod:`xpos.terminal.replug`)."""

    async def reopen(self, index: int, old: CardReader) -> CardReader:
        """Close ``old`` (reader number ``index``) and return it opened again."""
        ...

    def close(self) -> None:
        """Close what was reopened."""
        ...


class Terminal:
    """A running terminal: devices, journal, keys, host link and the flow runner."""

    def __init__(self, config: TerminalConfig, devices: DeviceSet, *,
                 link: HostLink | None = None, on_traffic: TrafficHook | None = None,
                 clock: Clock | None = None, owns_devices: bool = False) -> None:
        """Open the journal and key store in ``config.data_dir`` and load the menus.

        Most callers use :func:`xpos.terminal.compose.open_terminal`, which opens the
        devices from the config and hands them over with ``owns_devices=True``.

        Args:
            config: The working parameters.
            devices: The opened devices.
            owns_devices: :meth:`close` closes ``devices`` too (else the caller does).
            link: The host link (default: one built from ``config``).
            on_traffic: Sees every message to and from the host (the emulator's host pane).
            clock: What step and host timeouts run on (default: the loop's real clock;
                the QA runner passes a :class:`~xpos.terminal.clock.VirtualClock`).

        Raises:
            MenuError: a menu file is malformed.
            ConfigError: bad configuration.
            JournalLostError: the journal is lost or damaged (xpos journal recover).
            KeysLostError: the key store is gone though a TMK was loaded (xpos keys load).
        """
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.config = config
        self.devices = devices
        self.owns_devices = owns_devices
        self.clock: Clock = clock or LoopClock()
        self.menus: MenuSet = load_menus(config.menus_dir)
        self.link = link or HostLink(link_config(config), on_traffic=on_traffic, clock=self.clock)
        self.journal = Journal(config.data_dir / JOURNAL_NAME)  # refuses a lost journal
        try:  # a key store lost after a TMK was loaded is refused too
            self.keystore = KeyStore(config.data_dir / KEYSTORE_NAME,
                                     expect_tmk=self.journal.tmk_kcv)
            if self.keystore.has_tmk:
                self.journal.note_tmk(self.keystore.tmk_kcv)
        except BaseException:
            self.journal.close()
            raise
        self.txn = TransactionService(config=config, journal=self.journal,
                                      keystore=self.keystore, link=self.link,
                                      on_keys=self._load_pin_pad)
        self.context = FlowContext(merchant_name=config.merchant_name, tid=config.tid,
                                   mid=config.mid, operator=config.operator, lang=config.lang,
                                   pin_timeout_s=config.pin_timeout_s,
                                   refund_pin=config.refund_pin,
                                   geometry=display_geometry(devices.display))
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._sources: frozenset[CardSource] = frozenset()
        self._tasks: list[asyncio.Task[None]] = []
        self._side: set[asyncio.Task[None]] = set()
        self._pin: asyncio.Task[None] | None = None
        self._waiting = asyncio.Event()
        self._failed = asyncio.Event()
        self._failure: XposError | None = None
        #: Set by ``xpos run``: a failed card reader is reopened instead of being fatal.
        self.replug: ReaderReopener | None = None
        #: Runs a blocking printer's jobs off the event loop (:mod:`.printwork`).
        self.print_worker = PrintWorker()
        self._restore_pin_pad()

    # -- lifecycle -------------------------------------------------------------------

    def start_devices(self) -> None:
        """Start one task per input device."""
        if self._tasks:
            return
        self._tasks.append(asyncio.create_task(self._keypad_task(), name="keypad"))
        for index, reader in enumerate(self.devices.readers):
            self._tasks.append(asyncio.create_task(self._reader_task(reader, index),
                                                   name="reader"))

    async def close(self) -> None:
        """Stop device tasks, close the host link and the journal, and the devices if owned.

        Idempotent: a second call finds nothing left to close.
        """
        for task in [*self._tasks, *self._side]:
            task.cancel()
        for task in [*self._tasks, *self._side]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self.print_worker.close()
        try:
            await self.link.close()
            self.journal.close()
        finally:
            if self.replug is not None:
                self.replug.close()
            if self.owns_devices:
                self.owns_devices = False
                self.devices.close()
                log.info("devices closed")

    # -- running flows ---------------------------------------------------------------

    async def run_menu(self) -> None:
        """Run the main menu until the user cancels at the top level (or it times out)."""
        await self.run_flow(menu_flow(self.menus, self.context))

    async def run_forever(self) -> None:
        """Run the main menu again each time it ends, as the idle screen of a device."""
        while True:
            await self.run_menu()

    async def run_flow(self, flow: Flow) -> None:
        """Drive one flow generator to its end."""
        self.start_devices()
        answer: Any = None
        while True:
            try:
                command = flow.send(answer)
            except StopIteration:
                return
            if isinstance(command, Online):
                answer = await self.online(command)
            else:
                answer = await self.run_step(command)

    async def online(self, command: Online) -> OnlineReply:
        """Carry out one online request.

        An unexpected X-POS error (a stored record that no longer encodes, a journal
        refusal …) becomes an ``ERROR`` reply with the error logged, so the terminal stays
        usable. Keys pressed while the terminal was busy online are discarded, as on a
        real POS, so they cannot dismiss the result unread; keys already queued when the
        request began (typed ahead, e.g. the amount right after 消费, whose readiness check
        is local) are kept.
        """
        typed_ahead = self._queue.qsize()
        try:
            return await self.txn.handle(command.request)
        except XposError as exc:
            log.error("online %s failed: %s", type(command.request).__name__, exc)
            return OnlineReply(outcome=Outcome.ERROR)
        finally:
            self._discard_keys_after(typed_ahead)

    def _discard_keys_after(self, kept: int) -> None:
        """Drop the keys queued after the first ``kept`` events (pressed while busy)."""
        for n, event in enumerate(self._drain()):
            if n < kept or not isinstance(event, KeyPressed):
                self._queue.put_nowait(event)

    async def run_step(self, step: object) -> StepResult:
        """Run one step on the devices until its machine is done."""
        machine = machine_for(step, lang=self.config.lang, geometry=self.context.geometry)
        deadline = self._apply(machine.start(self._now()), None)
        while not machine.done:
            event = await self._next_event(deadline)
            deadline = self._apply(machine.handle(event), deadline)
        self._sources = frozenset()
        assert machine.result is not None
        return machine.result

    @property
    def sources(self) -> frozenset[CardSource]:
        """The card sources the current step listens to (empty: a card is ignored now)."""
        return self._sources

    @property
    def idle(self) -> bool:
        """Nothing to do but wait: for input (queue empty) or, on simulated time, the host.

        On a :class:`~xpos.terminal.clock.VirtualClock` a request awaiting its response counts as
        idle, because only the clock can move it on (a host ``delay`` sleeps on the same
        clock); on real time the host's answer is still to come, so it does not.
        """
        if self._waiting.is_set():
            return self._queue.empty() and not self.print_worker.in_flight
        return self.clock.virtual and self.link.awaiting_response

    async def settle(self, timeout: float = 30.0) -> None:
        """Wait until the terminal stays :attr:`idle` for a few loop turns.

        Args:
            timeout: Real seconds before giving up.

        Raises:
            TimeoutError: the terminal stayed busy for ``timeout`` real seconds.
        """
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        stable = 0
        while stable < _SETTLE_ROUNDS:
            if loop.time() > end:
                raise TimeoutError("terminal did not settle")
            if self.idle:
                stable += 1
                await asyncio.sleep(0)
            else:
                stable = 0
                waiter: Coroutine[Any, Any, object]
                if self.print_worker.in_flight:  # a slip on the printer thread
                    waiter = self.print_worker.wait_idle()
                elif self.clock.virtual:
                    await asyncio.sleep(0)  # the host link may be the thing to wait for
                    continue
                else:
                    waiter = self._waiting.wait()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, max(0.0, end - loop.time()))
                await asyncio.sleep(0)

    # -- effects ---------------------------------------------------------------------

    def _apply(self, effects: Sequence[Effect], deadline: float | None) -> float | None:
        for effect in effects:
            if isinstance(effect, Show):
                self.devices.display.show(effect.lines)
                show_customer(self.devices, effect.lines)
            elif isinstance(effect, SetTimer):
                deadline = effect.deadline
            elif isinstance(effect, EnableSources):
                self._sources = effect.sources
            elif isinstance(effect, RequestPin):
                self._pin = self._spawn(self._pin_task(effect.pan, effect.amount))
            elif isinstance(effect, CancelPin):
                self._cancel_pin()
            elif isinstance(effect, RequestPrint):
                self._print(effect.document)
            elif isinstance(effect, Beep):
                log.debug("beep %s", effect.kind)
                beep(self.devices, effect.kind)
            elif isinstance(effect, Done):
                break
        return deadline

    def _print(self, document: Document) -> None:
        """Render, record in the journal, then print (journal before print).

        Recorded first, so a receipt lost to paper-out (or a kill) can be reprinted.
        A transaction's receipts are recorded with it; reprints and totals with none.
        """
        data, job = render_for(document, self.devices.printer)
        own = not document.name.startswith(_UNATTACHED_PRINTS)
        record = self.journal.record_print(self.txn.last_txn_id if own else None,
                                           document.name, data)
        if is_blocking(self.devices.printer):  # off the loop: terminal/printwork.py
            self._spawn(self._print_off_loop(document.name, record, job))
            return
        try:
            self.devices.printer.print_bytes(job)
        except PaperOutError as exc:
            self._printed(document.name, record, exc)
            return
        self._printed(document.name, record, None)

    def _printed(self, name: str, record: int, error: PaperOutError | None) -> None:
        """The printer answered: mark the slip printed (or not) and tell the step."""
        if error is not None:
            self._queue.put_nowait(PrintDone(code=ResultCode.UNABLE, now=self._now(),
                                             offline=isinstance(error, PrinterOfflineError)))
            return
        self.journal.mark_printed(record)
        crashpoints.after_print(name)
        self._queue.put_nowait(PrintDone(code=ResultCode.OK, now=self._now()))

    async def _print_off_loop(self, name: str, record: int, job: bytes) -> None:
        """Print on the printer thread; the loop runs on meanwhile."""
        printer = self.devices.printer
        error = await self.print_worker.run(lambda: printer.print_bytes(job))
        if error is not None and not isinstance(error, PaperOutError):
            log.error("printer failed: %s", error)  # the slip waits as for a printer off
            error = PrinterOfflineError(f"打印机未就绪 printer not ready: {error}")
        try:
            self._printed(name, record, error)
        except XposError as exc:  # printed, but the journal could not record it
            log.error("print record of %s: %s", name, exc)
            self._queue.put_nowait(PrintDone(code=ResultCode.OK, now=self._now()))

    async def _next_event(self, deadline: float | None) -> Event:
        self._waiting.set()
        try:
            if deadline is None:
                return await self._queue.get()
            remaining = deadline - self._now()
            if remaining <= 0 and self._queue.empty():
                return TimerFired(now=self._now())
            try:
                return await self.clock.wait_for(self._queue.get(), max(0.0, remaining))
            except TimeoutError:
                return TimerFired(now=self._now())
        finally:
            self._waiting.clear()

    # -- device tasks ----------------------------------------------------------------

    async def wait_device_failure(self) -> XposError:
        """Wait until an input device fails for good (its task has then ended).

        A bad card read is not a failure; a closed or unplugged device is. ``xpos run``
        treats it as fatal, so the service manager restarts the terminal.
        """
        await self._failed.wait()
        assert self._failure is not None
        return self._failure

    def _device_failed(self, what: str, exc: XposError) -> None:
        log.error("%s failed: %s", what, exc)
        if self._failure is None:
            self._failure = exc
        self._failed.set()

    async def _keypad_task(self) -> None:
        while True:
            try:
                key = await self.devices.keypad.read_key()
            except XposError as exc:
                self._device_failed("keypad", exc)
                return
            self._queue.put_nowait(KeyPressed(key=key, now=self._now()))

    async def _reader_task(self, reader: CardReader, index: int = 0) -> None:
        while True:
            try:
                card = await reader.read_card()
            except CardReadError as exc:  # a bad swipe: the reader stays usable
                if self._sources:
                    self._queue.put_nowait(CardError(message=str(exc), now=self._now()))
                continue
            except XposError as exc:  # the device itself failed: reading on would spin
                if self.replug is None:
                    self._device_failed("card reader", exc)
                    return
                log.error("card reader failed: %s; reopening it", exc)
                reader = await self.replug.reopen(index, reader)
                continue
            if card.source in self._sources:
                self._queue.put_nowait(CardPresented(card=card, now=self._now()))
            else:
                log.info("ignored %s: not expected now", card.source.value)

    async def _pin_task(self, pan: str, amount: int | None) -> None:
        try:
            block = await self.devices.pinpad.get_pin_block(pan, amount)
        except XposError as exc:
            log.warning("PIN pad: %s", exc)
            self._queue.put_nowait(PinDone(block=None, code=ResultCode.UNABLE, now=self._now()))
            return
        code = ResultCode.OK if block is not None else ResultCode.CANCELLED
        self._queue.put_nowait(PinDone(block=block, code=code, now=self._now()))

    def _cancel_pin(self) -> None:
        """Withdraw the PIN pad request: no PinDone of it reaches a later step.

        The task is cancelled (the PIN pad stops waiting); an answer that was already
        queued when the timer won the race is dropped.
        """
        if self._pin is not None and not self._pin.done():
            log.info("PIN entry timed out; PIN pad request withdrawn")
            self._pin.cancel()
        self._pin = None
        self._drop_queued(PinDone)

    def _drop_queued(self, kind: type[Event]) -> None:
        kept = [e for e in self._drain() if not isinstance(e, kind)]
        for event in kept:
            self._queue.put_nowait(event)

    def _drain(self) -> list[Event]:
        events = []
        while not self._queue.empty():
            events.append(self._queue.get_nowait())
        return events

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self._side.add(task)
        task.add_done_callback(self._side.discard)
        return task

    # -- keys --------------------------------------------------------------------------

    def _load_pin_pad(self, keys: WorkingKeys) -> None:
        self.devices.pinpad.load_pik(keys.pik)
        if self.keystore.has_tmk:  # signed on under this TMK: the marker remembers it
            self.journal.note_tmk(self.keystore.tmk_kcv)

    def _restore_pin_pad(self) -> None:
        with contextlib.suppress(XposError):
            self._load_pin_pad(self.keystore.working_keys)

    def _now(self) -> float:
        return self.clock.now()
