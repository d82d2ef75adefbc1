"""The cash-register (ECR) port in the shell: the till's requests run on the terminal.

Theory of operation
-------------------
:class:`EcrService` joins three things: an :class:`~xpos.drivers.ecr_port.EcrPort`
(bytes over serial or TCP), the sans-IO :class:`~xpos.proto.ecr_link.EcrLink` (frames,
ACK/NAK, retries, busy) and the terminal's flow runner.

* **The port task** opens the port (retrying every ``retry_s`` while it is missing, and
  again after it fails: an unplugged till never takes the terminal down), feeds what it
  reads to the link, and calls ``tick`` when the link's deadline passes (time from the
  terminal's clock). It writes what the link sends.
* **Idle takes over.** :meth:`EcrService.run_forever` replaces the terminal's idle loop:
  it runs the main menu and, while the *root* menu waits for a key, is *idle*. A till
  request that arrives then is accepted: the menu step is abandoned, the till's flow
  (:data:`~xpos.core.flows.till.TILL_FLOWS`) runs with the customer, then the menu comes
  back. A request while the operator is anywhere else (a submenu, a transaction) is
  answered at once with ``RC=BY`` (busy), and a second request while a till
  transaction runs is answered busy by the link itself. A command this terminal does not
  run is answered ``RC=NS`` (:data:`NOT_YET` says which are planned).
* **Always an answer.** The till flow yields one :class:`~xpos.core.flows.till.TillAnswer`
  as soon as the outcome is known; it is sent at once. If the flow ends without one
  (an error), the till gets ``RC=ER``, so the link is never left busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any

from xpos.core.flows.online import Online
from xpos.core.flows.till import (
    TILL_FLOWS,
    TillAnswer,
    TillFlow,
    TillFlowFactory,
    TillOrder,
    TillStatus,
)
from xpos.core.i18n import t
from xpos.core.menus import menu_flow
from xpos.drivers.ecr_port import EcrPort, open_ecr_port
from xpos.errors import ConfigError, XposError
from xpos.proto.ecr import EcrRequest, EcrResponse, Result
from xpos.proto.ecr_link import Action, Deliver, EcrLink, Note, Send
from xpos.terminal.runtime import Terminal

log = logging.getLogger(__name__)

RETRY_S = 5.0
"""Seconds between attempts to open a missing or failed ECR port."""

NOT_YET: Mapping[str, str] = MappingProxyType({})
"""Till commands planned but answered ``RC=NS`` (not supported) on this terminal yet."""

_STATUS_RESULT = {
    TillStatus.APPROVED: Result.APPROVED,
    TillStatus.DECLINED: Result.DECLINED,
    TillStatus.CANCELLED: Result.CANCELLED,
    TillStatus.TIMEOUT: Result.TIMEOUT,
    TillStatus.ERROR: Result.ERROR,
}


def response_for(request: EcrRequest, answer: TillAnswer) -> EcrResponse:
    """The ECR response to ``request`` that carries a till flow's answer."""
    return EcrResponse(command=request.command, reference=request.reference,
                       result=_STATUS_RESULT[answer.status], host_rc=answer.host_rc,
                       amount=answer.amount, masked_pan=answer.masked_pan,
                       auth_code=answer.auth_code, trace=answer.trace, rrn=answer.rrn,
                       text=answer.text, party_amount=answer.party_amount,
                       party_trace=answer.party_trace, party_masked_pan=answer.party_pan)


class EcrService:
    """The terminal's ECR port (see the module's theory of operation).

    Args:
        terminal: The terminal the till's requests run on.
        url: The ``ecr`` URL (``serial:///dev/ttyS1?baud=9600``, ``tcp://0.0.0.0:7000``).
        opener: Opens the port instead of :func:`~xpos.drivers.ecr_port.open_ecr_port`
            on ``url`` (tests: a :class:`~xpos.testing.till.MemoryEcrPort`); raising
            :class:`~xpos.errors.XposError` means "missing, retry later".
        link: The link state machine (default: standard timeouts and retries).
        flows: The till commands run, by ``CM`` (default :data:`TILL_FLOWS`).
        retry_s: Seconds between attempts to (re)open the port.
    """

    def __init__(self, terminal: Terminal, url: str = "", *,
                 opener: Callable[[], Awaitable[EcrPort]] | None = None,
                 link: EcrLink | None = None,
                 flows: Mapping[str, TillFlowFactory] = TILL_FLOWS,
                 retry_s: float = RETRY_S) -> None:
        if not url and opener is None:
            raise ConfigError("an ECR service needs a port URL or an opener")
        self.terminal = terminal
        self.url = url
        self.link = link or EcrLink()
        self.flows = flows
        self.retry_s = retry_s
        self._opener = opener or (lambda: open_ecr_port(url))
        self._port: EcrPort | None = None
        self._idle = False
        self._job: tuple[EcrRequest, TillFlowFactory] | None = None
        self._takeover = asyncio.Event()
        self._connected = asyncio.Event()
        self._kick = asyncio.Event()

    @property
    def state(self) -> str:
        """``"open <name>"`` or ``"missing"`` (for ``xpos devices`` and logs)."""
        return f"open {self._port.name}" if self._port is not None else "missing"

    async def wait_open(self) -> None:
        """Wait until the port is open (tests)."""
        await self._connected.wait()

    # -- the idle loop -----------------------------------------------------------------

    async def run_forever(self) -> None:
        """Serve the port and run the main menu forever, taking over at idle for the till."""
        pump = asyncio.create_task(self._serve_port(), name="ecr port")
        try:
            while True:
                await self._run_menu()
                if self._job is not None:
                    await self._run_job(*self._job)
        finally:
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
            self._close_port()

    async def _run_menu(self) -> None:
        """Run the main menu until it ends or a till request takes over at the root menu."""
        terminal = self.terminal
        terminal.start_devices()
        flow = menu_flow(terminal.menus, terminal.context)
        root: object = None
        answer: Any = None
        try:
            while True:
                try:
                    command = flow.send(answer)
                except StopIteration:
                    return
                root = command if root is None else root
                if isinstance(command, Online):
                    answer = await terminal.online(command)
                elif command is root:
                    answer = await self._idle_step(command)
                    if answer is None:
                        return  # a till request took over
                else:
                    answer = await terminal.run_step(command)
        finally:
            flow.close()

    async def _idle_step(self, step: object) -> Any:
        """The root menu's step, abandoned (None) when a till request takes over."""
        self._takeover.clear()
        step_task = asyncio.create_task(self.terminal.run_step(step))
        taken = asyncio.create_task(self._takeover.wait())
        self._idle = True
        try:
            await asyncio.wait({step_task, taken}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled: the step goes too
            step_task.cancel()
            raise
        finally:
            self._idle = False
            taken.cancel()
        if self._takeover.is_set():
            step_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await step_task
            return None
        return step_task.result()

    async def _run_job(self, request: EcrRequest, factory: TillFlowFactory) -> None:
        log.info("ECR: %s %s started", request.command, request.reference)
        answered = False
        try:
            flow = factory(self.terminal.context, TillOrder(
                amount=request.amount, original_trace=request.original_trace,
                original_rrn=request.original_rrn, original_date=request.original_date,
                order_no=request.order_no))
            answered = await self._drive(request, flow)
        except XposError as exc:
            log.error("ECR: %s %s failed: %s", request.command, request.reference, exc)
        finally:
            self._job = None
            if not answered:
                await self._respond(EcrResponse(
                    command=request.command, reference=request.reference, result=Result.ERROR,
                    text=t("outcome.error", self.terminal.config.lang)))

    async def _drive(self, request: EcrRequest, flow: TillFlow) -> bool:
        """Run a till flow to its end; True once its answer went to the link."""
        terminal = self.terminal
        answered = False
        answer: Any = None
        try:
            while True:
                try:
                    command = flow.send(answer)
                except StopIteration:
                    return answered
                answer = None
                if isinstance(command, TillAnswer):
                    if not answered:
                        answered = True
                        log.info("ECR: %s %s: %s", request.command, request.reference,
                                 command.status.value)
                        await self._respond(response_for(request, command))
                elif isinstance(command, Online):
                    answer = await terminal.online(command)
                else:
                    answer = await terminal.run_step(command)
        finally:
            flow.close()

    # -- requests from the link ---------------------------------------------------------

    def _deliver(self, request: EcrRequest) -> list[Action]:
        """Accept a request at idle, or answer it at once (not supported, busy)."""
        lang = self.terminal.config.lang
        factory = self.flows.get(request.command)
        if factory is None:
            why = NOT_YET.get(request.command, "unknown command")
            log.info("ECR: %s %s not supported (%s)", request.command, request.reference, why)
            return self.link.respond(EcrResponse(
                command=request.command, reference=request.reference,
                result=Result.NOT_SUPPORTED, text=t("till.not_supported", lang)), self._now())
        if not self._idle or self._job is not None:
            log.info("ECR: %s %s while the operator is busy: BY", request.command,
                     request.reference)
            return self.link.respond(EcrResponse(
                command=request.command, reference=request.reference, result=Result.BUSY,
                text=t("till.busy", lang)), self._now())
        self._job = (request, factory)
        self._takeover.set()
        return []

    async def _respond(self, response: EcrResponse) -> None:
        if self.link.busy:
            await self._perform(self.link.respond(response, self._now()))

    async def _perform(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                await self._write(action.data)
                self._kick.set()  # the link may have armed a timer: the pump re-reads it
            elif isinstance(action, Note):
                log.info("ECR: %s", action.text)
            elif isinstance(action, Deliver):
                await self._perform(self._deliver(action.request))

    async def _write(self, data: bytes) -> None:
        port = self._port
        if port is None:
            log.warning("ECR: port not open; %d bytes not sent", len(data))
            return
        try:
            await port.write(data)
        except XposError as exc:
            log.warning("ECR: write failed: %s", exc)

    # -- the port ------------------------------------------------------------------------

    async def _serve_port(self) -> None:
        while True:
            try:
                self._port = await self._opener()
            except XposError as exc:  # missing now: retried, the terminal runs on
                log.warning("ECR port %s: %s; retrying in %.0f s", self.url, exc, self.retry_s)
                await self.terminal.clock.sleep(self.retry_s)
                continue
            log.info("ECR port %s open", self._port.name)
            self._connected.set()
            try:
                await self._pump(self._port)
            except XposError as exc:
                log.error("ECR port %s failed: %s; reopening in %.0f s", self._port.name, exc,
                          self.retry_s)
            self._close_port()
            await self.terminal.clock.sleep(self.retry_s)

    async def _pump(self, port: EcrPort) -> None:
        """Feed the link what the port reads; tick it at its deadlines (re-armed on kick)."""
        reading = asyncio.create_task(port.read())
        try:
            while True:
                self._kick.clear()
                waits: set[asyncio.Task[Any]] = {asyncio.create_task(self._kick.wait())}
                deadline = self.link.next_deadline
                if deadline is not None:
                    waits.add(asyncio.create_task(
                        self.terminal.clock.sleep(max(0.0, deadline - self._now()))))
                try:
                    await asyncio.wait({reading, *waits}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in waits:
                        waiter.cancel()
                if reading.done():
                    data = reading.result()  # raises DeviceError when the port failed
                    reading = asyncio.create_task(port.read())
                    await self._perform(self.link.feed(data, self._now()))
                await self._perform(self.link.tick(self._now()))
        finally:
            reading.cancel()
            with contextlib.suppress(asyncio.CancelledError, XposError):
                await reading

    def _close_port(self) -> None:
        self._connected.clear()
        if self._port is not None:
            with contextlib.suppress(OSError):
                self._port.close()
            self._port = None

    def _now(self) -> float:
        return self.terminal.clock.now()
