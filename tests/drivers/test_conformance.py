from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import pytest

from xpos.drivers import conformance
from xpos.drivers.fake_cards import FakeCardReader, FakeRfidReader, FakeScanner
from xpos.drivers.fake_pinpad import FakePinPad
from xpos.drivers.fakes import FakeDisplay, FakeKeypad, FakePrinter
from xpos.errors import KeyMissingError
from xpos.model import CardData, Key
from xpos.security.pinblock import iso0_clear


def test_fake_keypad_conforms() -> None:
    keypad = FakeKeypad()
    asyncio.run(conformance.check_keypad(keypad, lambda keys: keypad.press(*keys)))


def test_fake_display_conforms_with_screen_checks() -> None:
    display = FakeDisplay()
    asyncio.run(conformance.check_display(display, screen=lambda: display.lines))


def test_small_fake_display_conforms_with_its_own_size() -> None:
    display = FakeDisplay(rows=4, cols=18)
    asyncio.run(conformance.check_display(display, rows=4, cols=18, screen=lambda: display.lines))


def test_fake_readers_conform() -> None:
    reader, rfid, scanner = FakeCardReader(), FakeRfidReader(), FakeScanner()
    asyncio.run(conformance.check_magstripe_reader(reader, reader.swipe))
    asyncio.run(conformance.check_rfid_reader(rfid, rfid.tap))
    asyncio.run(conformance.check_scanner(scanner, scanner.scan))


def test_fake_pinpad_conforms() -> None:
    pinpad = FakePinPad()
    asyncio.run(conformance.check_pinpad(pinpad, pinpad.enter, pinpad.cancel))


def test_fake_printer_conforms() -> None:
    printer = FakePrinter()
    asyncio.run(conformance.check_printer(
        printer, output=lambda: printer.output, paper_out=printer.paper_out,
        reload=printer.reload))


class _LossyKeypad(FakeKeypad):
    def press(self, *keys: str | Key) -> None:
        super().press(*keys[1:])


class _OverflowingDisplay(FakeDisplay):
    def show(self, lines: Sequence[str]) -> None:
        self.history.append(tuple(lines))


class _PrinterIgnoringPaper(FakePrinter):
    def print_bytes(self, data: bytes) -> None:
        self._output += data


class _ClearBlockPinPad(FakePinPad):
    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        if not self.pik_loaded:
            raise KeyMissingError("no PIK")
        entry = await self._entries.get()
        return None if entry.pin is None else iso0_clear(entry.pin, pan)


class _LenientReader(FakeCardReader):
    def swipe(self, card: CardData | str) -> None:
        if isinstance(card, str) and "=" not in card:
            card += "=30121010000"
        super().swipe(card)


def _broken_checks() -> dict[str, Callable[[], Coroutine[Any, Any, None]]]:
    keypad, display = _LossyKeypad(), _OverflowingDisplay(rows=2, cols=5)
    tall = _OverflowingDisplay(rows=2, cols=80)
    printer, pinpad, reader = _PrinterIgnoringPaper(), _ClearBlockPinPad(), _LenientReader()
    return {
        "keypad gave": lambda: conformance.check_keypad(
            keypad, lambda keys: keypad.press(*keys), keys=[Key.D1, Key.D2], timeout=0.05),
        "wider than 5 columns": lambda: conformance.check_display(
            display, rows=2, cols=5, screen=lambda: display.lines),
        "display shows 4 lines > 2": lambda: conformance.check_display(
            tall, rows=2, cols=80, screen=lambda: tall.lines),
        "did not raise PaperOutError": lambda: conformance.check_printer(
            printer, output=lambda: printer.output, paper_out=printer.paper_out,
            reload=printer.reload),
        "not ISO-0 under the PIK": lambda: conformance.check_pinpad(
            pinpad, pinpad.enter, pinpad.cancel, timeout=0.05),
        "bad track 2 did not raise": lambda: conformance.check_magstripe_reader(
            reader, reader.swipe),
    }


@pytest.mark.parametrize("message", list(_broken_checks()))
def test_checks_catch_broken_devices(message: str) -> None:
    check = _broken_checks()[message]
    with pytest.raises(AssertionError, match=message):
        asyncio.run(check())
