"""Machines for choices: pick an item from a list, answer yes or no."""

from __future__ import annotations

from xpos.core.events import Beep, Effect, KeyPressed
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry, squeeze
from xpos.core.machines.base import StepMachine
from xpos.core.screen import text_width, truncate
from xpos.core.steps import Confirm, ResultCode, Select, result_type
from xpos.model import Key


class SelectMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.Select`.

    Theory of operation: the items are cut into pages of ``geometry.pick_rows`` (every
    display row but the title row, at most 9: one digit key per item). The title row
    shows ``page/pages`` when the list has more than one page; each item row is
    ``n.label`` with n = 1..page size on every page. Digit n picks item n of the page
    shown; a digit with no item beeps. UP/DOWN turn pages (beep at either end).
    """

    def __init__(self, step: Select, *, lang: str = "zh",
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Prepare the list of ``step.items`` for a display of ``geometry``."""
        super().__init__(lang=lang, result=result_type(step), geometry=geometry)
        self._step = step
        self._page = 0
        self._size = geometry.pick_rows
        self._pages = max(1, -(-len(step.items) // self._size))

    def on_start(self, now: float) -> list[Effect]:
        """Show the first page."""
        if not self._step.items:
            return self.finish(ResultCode.MISSING_VALUES)
        return [self._screen(), *self.arm(now, self._step.timeout_s)]

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Digits pick, UP/DOWN turn pages, CANCEL leaves."""
        key = event.key
        if key is Key.CANCEL:
            return self.finish(ResultCode.BACK if self._step.submenu else ResultCode.CANCELLED)
        timer = self.arm(event.now, self._step.timeout_s)
        if key.is_digit:
            return self._pick(int(key.value)) or [Beep(kind="error"), *timer]
        if key in (Key.UP, Key.DOWN):
            return self._turn(-1 if key is Key.UP else 1) + timer
        return timer

    def _pick(self, number: int) -> list[Effect]:
        index = self._page * self._size + number - 1
        if not 1 <= number <= self._size or index >= len(self._step.items):
            return []
        return self.finish(ResultCode.OK, id=self._step.items[index][0], index=index)

    def _turn(self, delta: int) -> list[Effect]:
        page = self._page + delta
        if not 0 <= page < self._pages:
            return [Beep(kind="error")]
        self._page = page
        return [self._screen()]

    def _screen(self) -> Effect:
        start = self._page * self._size
        items = self._step.items[start : start + self._size]
        rows = [f"{n}.{label}" for n, (_, label) in enumerate(items, start=1)]
        if not self.geometry.titled:
            return self.show(*rows)
        return self.show(self._title(), *rows)

    def _title(self) -> str:
        if self._pages == 1:
            return self._step.title
        cols = self.geometry.cols
        marker = f" {self._page + 1}/{self._pages}"
        if len(marker) >= cols:
            return marker.strip()[:cols]
        title = truncate(self._step.title, cols - len(marker))
        return title + " " * (cols - len(marker) - text_width(title)) + marker


class ConfirmMachine(StepMachine):
    """Runs :class:`~xpos.core.steps.Confirm`: ENTER/1 = yes, CANCEL/2 = no."""

    def __init__(self, step: Confirm, *, lang: str = "zh",
                 geometry: Geometry = DEFAULT_GEOMETRY) -> None:
        """Prepare to ask ``step.prompt``."""
        super().__init__(lang=lang, result=result_type(step), geometry=geometry)
        self._step = step

    def on_start(self, now: float) -> list[Effect]:
        """Show the question and the answer keys (on the display's last row)."""
        room = max(1, self.geometry.rows - 1)
        lines = squeeze(self._step.prompt.split("\n"), room)
        padding = [""] * (room - len(lines))
        return [
            self.show(*lines, *padding, self.text("confirm.hint")),
            *self.arm(now, self._step.timeout_s),
        ]

    def on_key(self, event: KeyPressed) -> list[Effect]:
        """Answer yes or no; other keys only restart the idle timer."""
        if event.key in (Key.ENTER, Key.D1):
            return self.finish(ResultCode.OK, yes=True)
        if event.key in (Key.CANCEL, Key.D2):
            return self.finish(ResultCode.OK, yes=False)
        return self.arm(event.now, self._step.timeout_s)
