"""Machines that wait on the card readers and the PIN pad."""

from __future__ import annotations

from xpos.core.events import (
    Beep,
    CancelPin,
    CardError,
    CardPresented,
    Effect,
    KeyPressed,
    PinDone,
    RequestPin,
)
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry, squeeze
from xpos.core.machines.base import StepMachine
from xpos.core.steps import PinStep, ReadCard, ResultCode, result_type
from xpos.model import Key, format_fen, mask_pan


class ReadCardMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.ReadCard`.

    A card from an allowed source ends it OK; one from another source gets an error
    beep; a failed read shows a retry hint and keeps waiting; CANCEL ends CANCELLED;
    the timer ends TIMEOUT.
    """

    def __init__(self, step: ReadCard, *, lang: str = "zh",
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Prepare to wait for a card from ``step.sources``."""
        super().__init__(lang=lang, result=result_type(step), geometry=geometry)
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Show the prompt, enable the readers, arm the timer."""
        if not self._step.sources:
            return self.finish(ResultCode.MISSING_VALUES)
        return [
            self._screen(""),
            *self.enable(self._step.sources),
            *self.arm(now, self._step.timeout_s),
        ]

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Only CANCEL means something while waiting for a card."""
        if event.key is Key.CANCEL:
            return self.finish(ResultCode.CANCELLED)
        return []

    def on_card(self, event: CardPresented) -> list[Effect]:
        """Accept a card from an allowed source."""
        if event.card.source not in self._step.sources:
            return [Beep(kind="error")]
        return [Beep(kind="ok"), *self.finish(ResultCode.OK, card=event.card)]

    def on_card_error(self, event: CardError) -> list[Effect]:
        """Show that the read failed; keep waiting."""
        return [Beep(kind="error"), self._screen(self.text("card.read_error"))]

    def _screen(self, notice: str) -> Effect:
        rows = self.geometry.rows
        room = rows - 3 if rows >= 6 else rows - 2  # a small display has no blank spacer row
        lines = squeeze(self._step.prompt.split("\n"), max(1, room))
        padding = [""] * max(0, rows - 2 - len(lines))
        return self.show(*lines, *padding, notice, self.text("card.cancel_hint"))


class PinMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.PinStep`: the PIN pad does the work.

    The screen shows the masked PAN and the amount only. The PIN pad's answer
    (:class:`~xpos.core.events.PinDone`) is the result; keypad keys are ignored because
    PIN entry and its cancel key belong to the PIN pad. When ``timeout_s`` passes first,
    the machine withdraws the request (:class:`~xpos.core.events.CancelPin`) and ends
    TIMEOUT: an unattended PIN prompt does not stay forever.
    """

    def __init__(self, step: PinStep, *, lang: str = "zh") -> None:
        """Prepare to request a PIN block for ``step.pan``."""
        super().__init__(lang=lang, result=result_type(step))
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Show the masked card and amount, ask the PIN pad."""
        amount = self._step.amount
        if not self._step.pan:
            return self.finish(ResultCode.MISSING_VALUES)
        timeout = self._step.timeout_s
        if (amount is not None and amount < 0) or (timeout is not None and not timeout > 0):
            return self.finish(ResultCode.NOT_UNDERSTOOD)
        lines = [self.text("pin.prompt"), mask_pan(self._step.pan)]
        if amount is not None:
            lines.append(self.text("pin.amount", amount=format_fen(amount)))
        return [self.show(*lines), RequestPin(pan=self._step.pan, amount=amount),
                *self.arm(now, self._step.timeout_s)]

    def on_timeout(self) -> list[Effect]:
        """The PIN pad did not answer in time: withdraw the request, end TIMEOUT."""
        return [CancelPin(), *self.finish(ResultCode.TIMEOUT)]

    def on_pin(self, event: PinDone) -> list[Effect]:
        """OK carries the block (``None`` = PIN bypassed); other codes pass through."""
        if event.code is ResultCode.OK:
            return self.finish(ResultCode.OK, block=event.block)
        return self.finish(event.code)
