"""Machines for steps with little or no user input: display, end, print, and refusals."""

from __future__ import annotations

from xpos.core.events import Effect, KeyPressed, PrintDone, RequestPrint
from xpos.core.machines.base import StepMachine
from xpos.core.steps import Display, EndStep, PrintResult, PrintStep, ResultCode, StepResult
from xpos.model import Key


class RefusedMachine(StepMachine):
    """A step the terminal will not run: it ends at once with a fixed code."""

    def __init__(self, code: ResultCode, *, lang: str = "zh",
                 result: type[StepResult] = StepResult) -> None:
        """Refuse with ``code`` (BEYOND_CAPABILITY, NOT_UNDERSTOOD, MISSING_VALUES).

        ``result`` is the refused step's result type, so its flow gets what it asked for.
        """
        super().__init__(lang=lang, result=result)
        self._code = code

    def on_start(self, now: float) -> list[Effect]:
        """End immediately."""
        return self.finish(self._code)


class DisplayMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.Display`."""

    def __init__(self, step: Display, *, lang: str = "zh") -> None:
        """Prepare to show ``step.lines``."""
        super().__init__(lang=lang)
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Show the text; end at once unless waiting for a key or a timeout."""
        effects: list[Effect] = [self.show(*self._step.lines)]
        if not self._step.wait_key and self._step.timeout_s is None:
            return effects + self.finish(ResultCode.OK)
        return effects + self.arm(now, self._step.timeout_s)

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Any key ends a wait-for-key display; CANCEL ends it CANCELLED."""
        if not self._step.wait_key:
            return []
        code = ResultCode.CANCELLED if event.key is Key.CANCEL else ResultCode.OK
        return self.finish(code)

    def on_timeout(self) -> list[Effect]:
        """Time up: OK for a timed message, TIMEOUT when a key was awaited."""
        return self.finish(ResultCode.TIMEOUT if self._step.wait_key else ResultCode.OK)


class EndMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.EndStep`: show the message and end OK."""

    def __init__(self, step: EndStep, *, lang: str = "zh") -> None:
        """Prepare to show ``step.message``."""
        super().__init__(lang=lang)
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Show the message, done."""
        return [self.show(self._step.message), *self.finish(ResultCode.OK)]


class PrintMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.PrintStep`: one print request, its outcome."""

    def __init__(self, step: PrintStep, *, lang: str = "zh") -> None:
        """Prepare to print ``step.document``."""
        super().__init__(lang=lang, result=PrintResult)
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Say we are printing and ask the printer."""
        return [self.show(self.text("print.busy")), RequestPrint(document=self._step.document)]

    def on_print(self, event: PrintDone) -> list[Effect]:
        """The printer's answer is the step's result."""
        return self.finish(event.code, offline=event.offline)
