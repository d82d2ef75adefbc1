"""The base class of every step machine (see :mod:`xpos.core.engine` for the rules)."""

from __future__ import annotations

from xpos.core.events import (
    CardError,
    CardPresented,
    Done,
    Effect,
    EnableSources,
    Event,
    KeyPressed,
    PinDone,
    PrintDone,
    SetTimer,
    Show,
    TimerFired,
)
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry
from xpos.core.i18n import t
from xpos.core.screen import fit
from xpos.core.steps import ResultCode, StepResult
from xpos.model import CardSource

TIMER_SLACK_S = 0.25
"""A TimerFired earlier than ``deadline - TIMER_SLACK_S`` is stale and ignored."""


class StepMachine:
    """A pure state machine running one step.

    Call :meth:`start` once, then :meth:`handle` for every event until :attr:`done`.
    Both return effects for the shell to carry out, in order. Events after the end
    are ignored (no effects).
    """

    def __init__(self, *, lang: str = "zh", result: type[StepResult] = StepResult,
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Create an idle machine.

        Args:
            lang: Language of the texts the machine adds (hints, errors).
            result: The result type of the step (see :func:`~xpos.core.steps.result_type`).
            geometry: The display's rows and columns (lists page by it, hints sit on
                its last row).
        """
        self.lang = lang
        self.geometry = geometry
        self._result_type = result
        self.result: StepResult | None = None
        self._deadline: float | None = None
        self._sources: frozenset[CardSource] = frozenset()

    @property
    def done(self) -> bool:
        """True once the machine emitted :class:`Done`."""
        return self.result is not None

    def start(self, now: float) -> list[Effect]:
        """Begin the step at time ``now``."""
        return self.on_start(now)

    def handle(self, event: Event) -> list[Effect]:
        """Feed one event; returns the effects it causes."""
        if self.done:
            return []
        match event:
            case KeyPressed():
                return self.on_key(event)
            case TimerFired():
                return self._on_timer(event.now)
            case CardPresented():
                return self.on_card(event)
            case CardError():
                return self.on_card_error(event)
            case PinDone():
                return self.on_pin(event)
            case PrintDone():
                return self.on_print(event)
        return []

    # -- hooks for subclasses --------------------------------------------------------

    def on_start(self, now: float) -> list[Effect]:
        """First effects of the step."""
        raise NotImplementedError

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """A key was pressed; ignored unless overridden."""
        return []

    def on_timeout(self) -> list[Effect]:
        """The step's timer expired; ends with TIMEOUT unless overridden."""
        return self.finish(ResultCode.TIMEOUT)

    def on_card(self, event: CardPresented) -> list[Effect]:
        """A card arrived; ignored unless overridden."""
        return []

    def on_card_error(self, event: CardError) -> list[Effect]:
        """A card read failed; ignored unless overridden."""
        return []

    def on_pin(self, event: PinDone) -> list[Effect]:
        """The PIN pad answered; ignored unless overridden."""
        return []

    def on_print(self, event: PrintDone) -> list[Effect]:
        """The printer answered; ignored unless overridden."""
        return []

    # -- helpers ---------------------------------------------------------------------

    def text(self, key: str, **kw: object) -> str:
        """A catalogue text in the machine's language."""
        return t(key, self.lang, **kw)

    def show(self, *lines: str) -> Show:
        """A :class:`Show` of these lines, fitted to the display's geometry."""
        return Show(lines=fit(lines, rows=self.geometry.rows, cols=self.geometry.cols))

    def arm(self, now: float, timeout_s: float | None) -> list[Effect]:
        """(Re)start the step timer, if the step has one."""
        if timeout_s is None:
            return []
        self._deadline = now + timeout_s
        return [SetTimer(deadline=self._deadline)]

    def enable(self, sources: frozenset[CardSource]) -> list[Effect]:
        """Start listening to card sources (remembered, so :meth:`finish` stops them)."""
        self._sources = sources
        return [EnableSources(sources=sources)] if sources else []

    def finish(self, code: ResultCode, **data: object) -> list[Effect]:
        """End the step: cancel the timer, stop card sources, emit :class:`Done`.

        Args:
            code: How the step ended.
            **data: The typed result's data fields (e.g. ``amount=1234``).
        """
        effects: list[Effect] = []
        if self._deadline is not None:
            effects.append(SetTimer(deadline=None))
            self._deadline = None
        if self._sources:
            effects.append(EnableSources(sources=frozenset()))
            self._sources = frozenset()
        self.result = self._result_type(code=code, **data)
        effects.append(Done(result=self.result))
        return effects

    def _on_timer(self, now: float) -> list[Effect]:
        if self._deadline is None or now < self._deadline - TIMER_SLACK_S:
            return []
        self._deadline = None
        return self.on_timeout()
