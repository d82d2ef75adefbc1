"""Machines for keyed entry: input fields and amounts."""

from __future__ import annotations

from xpos.core.events import Beep, CardError, CardPresented, Effect, KeyPressed
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry
from xpos.core.machines.base import StepMachine
from xpos.core.screen import COLS, tail, text_width
from xpos.core.steps import AmountStep, Input, InputField, ResultCode, result_type
from xpos.model import Key, format_fen

FIELD_KINDS = frozenset({"digits", "alnum"})
_CONFIRM_KEYS = (Key.HASH, Key.ENTER)


def _field_ok(field: InputField) -> bool:
    return field.kind in FIELD_KINDS and 0 <= field.min_len <= field.max_len and field.max_len > 0


class InputMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.Input`.

    Screen: the prompt, then ``label`` / value row pairs for as many fields around the
    current one as the display has room for (three on 8 rows, one on 4; the current one
    shows a ``_`` cursor), and a notice row at the bottom.
    """

    def __init__(self, step: Input, *, lang: str = "zh",
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Prepare empty fields."""
        super().__init__(lang=lang, result=result_type(step), geometry=geometry)
        self._step = step
        self._values = ["" for _ in step.fields]
        self._current = 0
        self._notice = ""

    def on_start(self, now: float) -> list[Effect]:
        """Validate the fields, show them, listen to card sources, arm the idle timer."""
        if not self._step.fields:
            return self.finish(ResultCode.MISSING_VALUES)
        if not all(_field_ok(f) for f in self._step.fields):
            return self.finish(ResultCode.NOT_UNDERSTOOD)
        return [
            self._screen(),
            *self.enable(self._step.sources),
            *self.arm(now, self._step.timeout_s),
        ]

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Edit the current field, move between fields, finish or cancel."""
        if event.key is Key.CANCEL:
            return self.finish(ResultCode.CANCELLED)
        self._notice = ""
        effects = self._edit(event.key)
        if self.done:
            return effects
        return [*effects, self._screen(), *self.arm(event.now, self._step.timeout_s)]

    def on_card(self, event: CardPresented) -> list[Effect]:
        """A card or code from an allowed source ends the step."""
        if event.card.source not in self._step.sources:
            return [Beep(kind="error")]
        return [Beep(kind="ok"),
                *self.finish(ResultCode.OK, values=tuple(self._values), card=event.card)]

    def on_card_error(self, event: CardError) -> list[Effect]:
        """Say the read failed; keep the typed text."""
        if not self._step.sources:
            return []
        self._notice = self.text("card.read_error")
        return [Beep(kind="error"), self._screen()]

    def _edit(self, key: Key) -> list[Effect]:
        field, value = self._step.fields[self._current], self._values[self._current]
        if key.is_digit:
            if len(value) >= field.max_len:
                return [Beep(kind="error")]
            self._values[self._current] = value + key.value
        elif key in _CONFIRM_KEYS:
            return self._next(field, value)
        elif key is Key.STAR:
            return self._backspace(value)
        elif key is Key.CLEAR:
            self._values[self._current] = ""
        return []

    def _next(self, field: InputField, value: str) -> list[Effect]:
        if len(value) < field.min_len:
            self._notice = self.text("input.too_short")
            return [Beep(kind="error")]
        if self._current + 1 < len(self._values):
            self._current += 1
            return []
        return self.finish(ResultCode.OK, values=tuple(self._values))

    def _backspace(self, value: str) -> list[Effect]:
        if value:
            self._values[self._current] = value[:-1]
        elif self._current > 0:
            self._current -= 1
        else:
            return [Beep(kind="error")]
        return []

    def _screen(self) -> Effect:
        shown = max(1, (self.geometry.rows - 2) // 2)
        first = max(0, self._current - shown + 1)
        rows = [self._step.prompt]
        for index in range(first, min(first + shown, len(self._values))):
            rows += [self._step.fields[index].label, self._value_row(index)]
        rows += [""] * (self.geometry.rows - 1 - len(rows))
        return self.show(*rows, self._notice)

    def _value_row(self, index: int) -> str:
        field, value = self._step.fields[index], self._values[index]
        shown = "*" * len(value) if field.hidden else value
        return tail(shown + ("_" if index == self._current else ""), COLS)


class AmountMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.AmountStep` (keyed, or a preset to confirm)."""

    def __init__(self, step: AmountStep, *, lang: str = "zh") -> None:
        """Prepare a zero amount (or the preset)."""
        super().__init__(lang=lang, result=result_type(step))
        self._step = step
        self._amount = step.preset or 0
        self._notice = ""

    def on_start(self, now: float) -> list[Effect]:
        """Check the limits, show the amount, arm the idle timer."""
        preset, limit = self._step.preset, self._step.max_amount
        if limit < 1 or (preset is not None and not 0 < preset <= limit):
            return self.finish(ResultCode.NOT_UNDERSTOOD)
        return [self._screen(), *self.arm(now, self._step.timeout_s)]

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Shift digits in, delete, clear, confirm or cancel."""
        key = event.key
        if key is Key.CANCEL:
            return self.finish(ResultCode.CANCELLED)
        if key in _CONFIRM_KEYS and (self._amount > 0 or self._step.allow_zero):
            return self.finish(ResultCode.OK, amount=self._amount)
        self._notice = ""
        effects = self._edit(key) if self._step.preset is None else []
        return [*effects, self._screen(), *self.arm(event.now, self._step.timeout_s)]

    def _edit(self, key: Key) -> list[Effect]:
        if key.is_digit:
            amount = self._amount * 10 + int(key.value)
            if amount > self._step.max_amount:
                return [Beep(kind="error")]
            self._amount = amount
        elif key is Key.STAR:
            self._amount //= 10
        elif key is Key.CLEAR:
            self._amount = 0
        elif key in _CONFIRM_KEYS:
            self._notice = self.text("amount.zero")
            return [Beep(kind="error")]
        return []

    def _screen(self) -> Effect:
        label, amount = self.text("amount.label"), format_fen(self._amount)
        row = label + " " * max(1, COLS - text_width(label) - len(amount)) + amount
        hint = self.text("amount.confirm") if self._step.preset is not None else ""
        return self.show(self._step.prompt, "", row, "", "", "", hint, self._notice)
