"""Public test helpers for the core: drive flows and step machines with no I/O.

:class:`FlowDriver` runs a flow generator and lets a test (or the QA runner) answer
each command by hand; :func:`run_flow` feeds it a scripted list of answers.
:class:`MachineDriver` runs one step machine on simulated time, like the runtime would::

    drv = MachineDriver(AmountStep(prompt="请输入金额"))
    drv.press("1", "2", "3", "4")
    assert "12.34" in drv.screen[2]
    drv.press("ENTER")
    assert drv.result == AmountResult(code=ResultCode.OK, amount=1234)

Scripted step answers are built for the step they answer: ``ok(amount=1234)`` answers an
AmountStep with an :class:`~xpos.core.steps.AmountResult`, ``ok()`` a Display with a plain
StepResult (see :func:`ok`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from xpos.core.engine import machine_for
from xpos.core.events import (
    Done,
    Effect,
    EnableSources,
    Event,
    KeyPressed,
    SetTimer,
    Show,
    TimerFired,
)
from xpos.core.flows.online import Command, Flow, OnlineReply, Outcome
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry
from xpos.core.steps import ResultCode, StepResult, result_type
from xpos.model import CardSource, Key

T = TypeVar("T")

Answer = object | Callable[[Command], object]
"""A scripted answer: a StepResult/OnlineReply, or a function of the pending command."""


class ScriptError(AssertionError):
    """The flow did not do what the script expected."""


class FlowDriver:
    """Runs a flow one command at a time.

    Attributes:
        pending: The command waiting for an answer (``None`` once the flow ended).
        history: Every command the flow yielded, in order.
        done: True once the flow returned.
    """

    def __init__(self, flow: Flow) -> None:
        """Start ``flow`` up to its first command."""
        self._flow = flow
        self.history: list[Command] = []
        self.pending: Command | None = None
        self.done = False
        self._step(lambda: next(self._flow))

    def answer(self, reply: Answer) -> Command | None:
        """Send ``reply`` for the pending command; returns the next pending command.

        ``reply`` may be a function of the pending command (such as :func:`ok`).

        Raises:
            ScriptError: if the flow already ended.
        """
        if self.done:
            raise ScriptError(f"the flow has ended; no command takes {reply!r}")
        if callable(reply) and self.pending is not None:
            reply = reply(self.pending)
        self._step(lambda: self._flow.send(reply))
        return self.pending

    def expect(self, kind: type[T]) -> T:
        """The pending command, checked to be a ``kind``.

        Raises:
            ScriptError: if nothing or something else is pending.
        """
        if not isinstance(self.pending, kind):
            raise ScriptError(f"expected a {kind.__name__}, the flow is at {self.pending!r}")
        return self.pending

    def of_type(self, kind: type[T]) -> list[T]:
        """Every command in the history that is a ``kind``."""
        return [c for c in self.history if isinstance(c, kind)]

    def _step(self, advance: Callable[[], Command]) -> None:
        try:
            self.pending = advance()
        except StopIteration:
            self.pending, self.done = None, True
            return
        self.history.append(self.pending)


def run_flow(flow: Flow, answers: Iterable[Answer]) -> FlowDriver:
    """Answer a flow's commands from a script, in order.

    Args:
        flow: A fresh flow generator.
        answers: One per command; a callable gets the command and returns the answer
            (use :func:`expect` to check the command's type on the way).

    Returns:
        The driver, for looking at ``history``, ``pending`` and ``done``.

    Raises:
        ScriptError: if the flow ends while answers are left.
    """
    driver = FlowDriver(flow)
    for answer in answers:
        if driver.done:
            raise ScriptError(f"the flow ended with answers left, next: {answer!r}")
        assert driver.pending is not None
        driver.answer(answer(driver.pending) if callable(answer) else answer)
    return driver


def expect(kind: type, reply: Answer) -> Callable[[Command], object]:
    """A scripted answer that first checks the command is a ``kind``.

    ``reply`` may itself be callable (e.g. :func:`keyed`); it then gets the command.
    """

    def answer(command: Command) -> object:
        if not isinstance(command, kind):
            raise ScriptError(f"expected a {kind.__name__}, the flow asked for {command!r}")
        return reply(command) if callable(reply) else reply

    return answer


def keyed(*keys: str | Key, lang: str = "zh") -> Callable[[Command], object]:
    """A scripted answer that runs the pending step's real machine with these keys.

    Raises:
        ScriptError: if the step has not ended after the keys.
    """

    def answer(command: Command) -> object:
        drv = MachineDriver(command, lang=lang)
        drv.press(*keys)
        if drv.result is None:
            raise ScriptError(f"{command!r} still running after keys {keys!r}")
        return drv.result

    return answer


def ok(**data: object) -> Callable[[Command], StepResult]:
    """A scripted OK answer, typed for the step it answers.

    ``data`` are the result's fields: ``ok(amount=1234)`` for an AmountStep,
    ``ok(card=...)`` for ReadCard, ``ok(block=...)`` for PinStep, ``ok(values=..., card=...)``
    for Input, ``ok(id=...)`` for Select, ``ok(yes=True)`` for Confirm, ``ok()`` otherwise.
    """
    return step_result(ResultCode.OK, **data)


def step_result(code: ResultCode, **data: object) -> Callable[[Command], StepResult]:
    """A scripted answer with any code, typed for the step it answers (see :func:`ok`).

    Raises:
        ScriptError: (when answering) if ``data`` has a field the result type lacks.
    """

    def answer(command: Command) -> StepResult:
        kind = result_type(command)
        try:
            return kind(code=code, **data)
        except TypeError as exc:
            raise ScriptError(f"{kind.__name__} for {command!r}: {exc}") from None

    answer.__name__ = answer.__qualname__ = f"step_result({code.value}, {data!r})"
    return answer


def reply(outcome: Outcome = Outcome.APPROVED, **kw: object) -> OnlineReply:
    """An online reply (``rc`` defaults to 00 for APPROVED)."""
    if outcome is Outcome.APPROVED:
        kw.setdefault("rc", "00")
    return OnlineReply(outcome=outcome, **kw)  # type: ignore[arg-type]


class MachineDriver:
    """Runs one step's machine on simulated time and records every effect.

    Attributes:
        now: The simulated clock.
        effects: Every effect so far, in order.
    """

    def __init__(self, step: object, *, now: float = 0.0, lang: str = "zh",
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Build the machine for ``step`` (on a display of ``geometry``), start it at ``now``."""
        self.machine = machine_for(step, lang=lang, geometry=geometry)
        self.now = now
        self.effects: list[Effect] = list(self.machine.start(now))

    def send(self, event: Event) -> list[Effect]:
        """Feed one event; returns (and records) its effects."""
        out = self.machine.handle(event)
        self.effects += out
        return out

    def press(self, *keys: str | Key) -> list[Effect]:
        """Press keys (``"1"``, ``"#"``, ``"ENTER"`` or :class:`Key`) at the current time."""
        out: list[Effect] = []
        for key in keys:
            parsed = key if isinstance(key, Key) else Key.parse(key)
            out += self.send(KeyPressed(key=parsed, now=self.now))
        return out

    def advance(self, seconds: float) -> list[Effect]:
        """Move the clock; fire the timer (as the runtime would) if its deadline passed."""
        self.now += seconds
        deadline = self.deadline
        if deadline is not None and deadline <= self.now and not self.machine.done:
            return self.send(TimerFired(now=self.now))
        return []

    @property
    def screen(self) -> tuple[str, ...]:
        """The display as the last :class:`Show` left it."""
        shows = [e for e in self.effects if isinstance(e, Show)]
        return shows[-1].lines if shows else ()

    @property
    def deadline(self) -> float | None:
        """The armed timer's deadline, per the last :class:`SetTimer`."""
        timers = [e for e in self.effects if isinstance(e, SetTimer)]
        return timers[-1].deadline if timers else None

    @property
    def sources(self) -> frozenset[CardSource]:
        """The card sources enabled, per the last :class:`EnableSources`."""
        enabled = [e for e in self.effects if isinstance(e, EnableSources)]
        return enabled[-1].sources if enabled else frozenset()

    @property
    def result(self) -> StepResult | None:
        """The step's result once :class:`Done` was emitted."""
        done = [e for e in self.effects if isinstance(e, Done)]
        return done[-1].result if done else None
