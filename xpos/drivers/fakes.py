"""Fake devices with a test-side API (gpiozero ``MockPin`` style).

The device side implements the protocols of :mod:`xpos.drivers.base`; the test side
(``press``, ``lines``, ``output``, ``paper_out``, ``swipe``, ``enter`` …) is what tests,
the emulator and the QA runner drive. Call the test side from the event loop's thread.
The display, the printer and the PIN pad also tell watchers when they change:
``on_change(callback)`` (see :mod:`.listeners`), so a UI repaints without polling.

The keypad, display and printer live here; the card readers (:mod:`.fake_cards`) and
the PIN pad (:mod:`.fake_pinpad`) are re-exported so that every fake imports from here.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable, Sequence

from xpos.drivers.fake_cards import FakeCardReader, FakeRfidReader, FakeScanner
from xpos.drivers.fake_pinpad import FakePinPad
from xpos.drivers.listeners import Listener, Listeners
from xpos.drivers.url import DeviceUrl
from xpos.errors import PaperOutError
from xpos.model import Key
from xpos.model.masking import fit_masked

__all__ = [
    "FakeCardReader",
    "FakeDisplay",
    "FakeKeypad",
    "FakePinPad",
    "FakePrinter",
    "FakeRfidReader",
    "FakeScanner",
]

DEFAULT_ROWS = 8
DEFAULT_COLS = 20


class FakeKeypad:
    """A keypad whose keys are pressed by the test."""

    def __init__(self) -> None:
        self._keys: asyncio.Queue[Key] = asyncio.Queue()

    def press(self, *keys: str | Key) -> None:
        """Queue key presses: ``press("1", "2", "#")``, ``press(Key.ENTER)``, ``press("enter")``.

        Raises:
            ValueError: for an unknown key name (nothing is queued).
        """
        parsed = [k if isinstance(k, Key) else Key.parse(k) for k in keys]
        for key in parsed:
            self._keys.put_nowait(key)

    def press_text(self, text: str) -> None:
        """Queue one key per character: ``press_text("123#")``."""
        self.press(*text)

    @property
    def pending(self) -> int:
        """Key presses not read yet."""
        return self._keys.qsize()

    async def read_key(self) -> Key:
        """Wait for the next key press."""
        return await self._keys.get()


class FakeDisplay:
    """A display that remembers what it showed.

    Attributes:
        rows: Number of lines.
        cols: Columns per line (a CJK character takes 2).
        history: Every screen shown, oldest first (each as fitted).
    """

    def __init__(self, *, rows: int = DEFAULT_ROWS, cols: int = DEFAULT_COLS) -> None:
        self.rows = rows
        self.cols = cols
        self.history: list[tuple[str, ...]] = []
        self._changes = Listeners()

    def on_change(self, callback: Listener) -> Callable[[], None]:
        """Test side: call ``callback()`` after every ``show``; returns the unsubscriber."""
        return self._changes.add(callback)

    def show(self, lines: Sequence[str]) -> None:
        """Show ``lines``: extra lines are dropped, long lines truncated, controls blanked.

        A masked card number too wide for the display keeps its last digits: it loses
        masking ``*`` first (:func:`~xpos.model.masking.fit_masked`), never its tail.
        """
        if isinstance(lines, str):
            lines = lines.splitlines()
        screen = tuple(fit_masked(_blank_controls(line), self.cols)
                       for line in lines[: self.rows])
        self.history.append(screen)
        self._changes.notify()

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines on screen now (empty before the first ``show``)."""
        return self.history[-1] if self.history else ()

    @property
    def text(self) -> str:
        """The screen as one string, lines joined by newlines."""
        return "\n".join(self.lines)


class FakePrinter:
    """A printer that collects the bytes it was sent."""

    def __init__(self) -> None:
        self._output = bytearray()
        self._paper = True
        self.jobs: list[bytes] = []
        self._changes = Listeners()

    def on_change(self, callback: Listener) -> Callable[[], None]:
        """Test side: call ``callback()`` after a job, paper out, reload or clear.

        Returns:
            A function that stops the calls.
        """
        return self._changes.add(callback)

    def print_bytes(self, data: bytes) -> None:
        """Append ``data`` to :attr:`output`.

        Raises:
            PaperOutError: while out of paper; nothing is appended.
        """
        if not self._paper:
            raise PaperOutError("printer out of paper / 打印机缺纸")
        self._output += data
        self.jobs.append(bytes(data))
        self._changes.notify()

    @property
    def paper_ok(self) -> bool:
        """False between :meth:`paper_out` and :meth:`reload`."""
        return self._paper

    @property
    def output(self) -> bytes:
        """Everything printed so far."""
        return bytes(self._output)

    def paper_out(self) -> None:
        """Test side: the paper runs out."""
        self._paper = False
        self._changes.notify()

    def reload(self) -> None:
        """Test side: new paper roll."""
        self._paper = True
        self._changes.notify()

    def clear(self) -> None:
        """Test side: tear off everything printed so far."""
        self._output.clear()
        self.jobs.clear()
        self._changes.notify()


def open_fake_keypad(url: DeviceUrl) -> FakeKeypad:
    """Registry factory for ``fake:`` keypads."""
    url.check_params(())
    return FakeKeypad()


def open_fake_display(url: DeviceUrl) -> FakeDisplay:
    """Registry factory for ``fake:?rows=8&cols=20`` displays."""
    url.check_params(("rows", "cols"))
    rows = url.int_param("rows", DEFAULT_ROWS, high=100)
    return FakeDisplay(rows=rows, cols=url.int_param("cols", DEFAULT_COLS, high=400))


def open_fake_printer(url: DeviceUrl) -> FakePrinter:
    """Registry factory for ``fake:`` printers."""
    url.check_params(())
    return FakePrinter()


def _blank_controls(text: str) -> str:
    """Replace control characters (newline, tab, escape …) by spaces."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
