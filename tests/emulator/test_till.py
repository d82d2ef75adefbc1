"""The till console (key e): the emulator plays the cash register on the ECR port."""

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Label

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text
from xpos.emulator.app.till import parse_amount
from xpos.emulator.app.tillconsole import TillConsole

from .conftest import ALICE, RunApp, click, display, press, settle


async def until(app: EmulatorApp, pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the worker and the terminal run until ``done`` (generous real-time bound)."""
    async def loop() -> None:
        while not done():
            await settle(app, pilot)
    await asyncio.wait_for(loop(), 30)


def test_the_till_sends_a_sale_the_customer_pays_and_the_till_sees_the_answer(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "主菜单" in display(app)
        await press(app, pilot, "e")
        assert isinstance(app.screen, TillConsole)
        await press(app, pilot, "1", "2", ".", "3", "4", "enter")
        assert not isinstance(app.screen, TillConsole)
        await until(app, pilot, lambda: "收银机发起" in display(app))
        assert "12.34" in display(app)
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        await until(app, pilot, lambda: any(line.startswith("←") for line in
                                            app.till_desk.log))
        answer = app.till_desk.log[-1]
        assert "SALE EMU0001: RC=00 交易成功 ¥12.34 621234*********4567" in answer
        assert "AC=" in answer and "TR=000002" in answer
        assert "RC=00" in screen_text(app) and ALICE.pan not in screen_text(app)
        await press(app, pilot, "e")  # the console shows the log
        log = app.screen.query_one("#log", Label)
        assert "RC=00" in str(log.render())
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, TillConsole)

    run_app(scenario)


def test_the_console_refuses_a_bad_amount_and_a_void_of_an_unknown_trace_is_declined(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "e")
        await press(app, pilot, "0", "enter")
        assert isinstance(app.screen, TillConsole)
        assert "above 0" in str(app.screen.query_one("#error", Label).render())
        await press(app, pilot, "tab", "tab", "9", "9", "9", "enter")
        await until(app, pilot, lambda: any(line.startswith("←") for line in
                                            app.till_desk.log))
        assert "VOID EMU0001: RC=DC 无此交易" in app.till_desk.log[-1]
        assert "无此交易" in display(app)  # the terminal says it too, then is idle again
        await press(app, pilot, "enter")
        assert "主菜单" in display(app)

    run_app(scenario)


def test_amounts_in_yuan_become_fen() -> None:
    assert [parse_amount(t) for t in ("12.34", "12", "0.5", "0.05", " 7.1 ")] == [
        1234, 1200, 50, 5, 710]
    assert [parse_amount(t) for t in ("0", "0.00", "1.234", "-1", "abc", "")] == [None] * 6
