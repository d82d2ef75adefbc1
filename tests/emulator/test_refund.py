"""Refund (退货) and balance inquiry (查余额) from the emulator's menus (Textual Pilot)."""

import re
from datetime import datetime

from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import ALICE, RunApp, click, display, host, press, roll


async def choose(app: EmulatorApp, pilot: Pilot[None], label: str) -> None:
    """Press the menu digit of ``label``, turning pages (down) until it shows."""
    for _ in range(4):
        found = re.search(rf"(\d)\.{label}", display(app))
        if found:
            await press(app, pilot, found.group(1))
            return
        await press(app, pilot, "down")
    raise AssertionError(f"no menu item {label}")


def test_refund_and_balance_are_reachable_from_the_main_menu(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2", "2", "0", "0", "0", "enter")
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        assert "交易成功" in display(app)
        assert app.rig is not None
        sale = app.rig.terminal.journal.last("sale")
        assert sale is not None and sale.rrn
        date = datetime.fromisoformat(sale.created_at).astimezone().strftime("%m%d")
        await press(app, pilot, "enter")
        await choose(app, pilot, "退货")
        assert "主管密码" in display(app)
        await press(app, pilot, *"123456", "enter")
        await press(app, pilot, *sale.rrn, "enter")
        await press(app, pilot, *date, "enter")
        assert "原交易" in display(app) and "20.00" in display(app)
        await press(app, pilot, "enter")
        await press(app, pilot, "5", "0", "0", "enter")
        await click(app, pilot, "#swipe-alice")
        assert "确认退货" in display(app)
        await press(app, pilot, "1")
        assert "交易成功" in display(app)
        assert "退货/REFUND" in roll(app) and "-￥5.00" in roll(app)
        assert "退货" in host(app)
        await press(app, pilot, "enter")
        await choose(app, pilot, "查余额")
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        assert "余额: 985.00" in display(app)
        assert "985.00" not in roll(app) and "98500" not in host(app)

    run_app(scenario)
