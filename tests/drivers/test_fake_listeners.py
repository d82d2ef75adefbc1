"""The fakes' change notification (``on_change``), which the emulator repaints on."""

from __future__ import annotations

import asyncio

import pytest

from xpos.drivers.fake_pinpad import FakePinPad
from xpos.drivers.fakes import FakeDisplay, FakePrinter
from xpos.drivers.listeners import Listeners

PAN = "6212345678901234567"
PIK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")


def test_the_display_calls_back_after_each_show_with_the_new_lines_in_place() -> None:
    display = FakeDisplay()
    seen: list[tuple[str, ...]] = []
    display.on_change(lambda: seen.append(display.lines))
    display.show(["one"])
    display.show(["two", "lines"])
    assert seen == [("one",), ("two", "lines")]


def test_the_printer_calls_back_on_a_job_paper_out_reload_and_clear() -> None:
    printer = FakePrinter()
    seen: list[tuple[int, bool]] = []
    printer.on_change(lambda: seen.append((len(printer.jobs), printer.paper_ok)))
    printer.print_bytes(b"receipt")
    printer.paper_out()
    printer.reload()
    printer.clear()
    assert seen == [(1, True), (1, False), (1, True), (0, True)]


def test_a_refused_job_is_no_change() -> None:
    printer = FakePrinter()
    printer.paper_out()
    calls: list[int] = []
    printer.on_change(lambda: calls.append(1))
    with pytest.raises(OSError):
        printer.print_bytes(b"x")
    assert calls == []


def test_the_pin_pad_calls_back_when_asking_starts_and_ends() -> None:
    async def main() -> list[bool]:
        pinpad = FakePinPad()
        pinpad.load_pik(PIK)
        seen: list[bool] = []
        pinpad.on_change(lambda: seen.append(pinpad.asking))
        request = asyncio.create_task(pinpad.get_pin_block(PAN, 100))
        await asyncio.sleep(0)  # let the request start waiting
        pinpad.enter("123456")
        assert await request is not None
        return seen

    # asking, entry queued (no longer asking), request over
    assert asyncio.run(main()) == [True, False, False]


def test_the_pin_pad_calls_back_on_cancel() -> None:
    pinpad = FakePinPad()
    calls: list[int] = []
    pinpad.on_change(lambda: calls.append(1))
    pinpad.cancel()
    assert calls == [1]


def test_unsubscribing_stops_the_calls() -> None:
    display = FakeDisplay()
    calls: list[str] = []
    stop = display.on_change(lambda: calls.append("a"))
    display.on_change(lambda: calls.append("b"))
    display.show(["x"])
    stop()
    stop()  # twice is harmless
    display.show(["y"])
    assert calls == ["a", "b", "b"]


def test_a_failing_listener_neither_stops_the_others_nor_the_device(
    caplog: pytest.LogCaptureFixture,
) -> None:
    display = FakeDisplay()
    calls: list[int] = []

    def broken() -> None:
        raise RuntimeError("listener bug")

    display.on_change(broken)
    display.on_change(lambda: calls.append(1))
    display.show(["still shown"])
    assert display.lines == ("still shown",) and calls == [1]
    assert "listener bug" in caplog.text


def test_listeners_count() -> None:
    listeners = Listeners()
    stop = listeners.add(lambda: None)
    assert len(listeners) == 1
    stop()
    assert len(listeners) == 0
