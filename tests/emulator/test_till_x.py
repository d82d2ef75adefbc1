"""The till console sends every till request: REFUND (RRN + date), XPAY (order number),
SETTLE; a request that cannot be built stays in the console with one error line."""

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Label

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.till import TillForm, build_request
from xpos.emulator.app.tillconsole import TillConsole

from .conftest import ALICE, RunApp, click, display, press, settle


async def until(app: EmulatorApp, pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the worker and the terminal run until ``done`` (generous real-time bound)."""
    async def loop() -> None:
        while not done():
            await settle(app, pilot)
    await asyncio.wait_for(loop(), 30)


def answers(app: EmulatorApp) -> list[str]:
    return [line for line in app.till_desk.log if line.startswith("←")]


async def send(app: EmulatorApp, pilot: Pilot[None], fields: dict[str, str],
               button: str) -> None:
    """Open the console, fill ``fields``, press ``button`` (by keyboard: focus + Enter)."""
    await press(app, pilot, "e")
    assert isinstance(app.screen, TillConsole)
    for ident, value in fields.items():
        app.screen.query_one(f"#{ident}", Input).value = value
    app.screen.query_one(f"#{button}").focus()
    await press(app, pilot, "enter")


async def customer_pays(app: EmulatorApp, pilot: Pilot[None], count: int) -> str:
    await until(app, pilot, lambda: any(word in display(app)
                                        for word in ("收银机发起", "请刷卡", "支付方式")))
    if "支付方式" in display(app):
        line = next(row for row in display(app).splitlines() if "银行卡" in row)
        await press(app, pilot, line.strip()[0])
        assert "请刷卡" in display(app)
    await click(app, pilot, "#swipe-alice")
    assert app.rig is not None
    if app.rig.pinpad.asking:
        await press(app, pilot, *ALICE.pin, "enter")
    await until(app, pilot, lambda: len(answers(app)) == count)
    return answers(app)[-1]


def test_the_till_refunds_a_sale_by_its_rrn_and_date_then_settles(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await send(app, pilot, {"amount": "20.00"}, "sale")
        sale = await customer_pays(app, pilot, 1)
        assert "SALE EMU0001: RC=00" in sale
        rrn = sale.split("RR=")[1].split()[0]
        assert app.rig is not None
        date = next(m.get(13) for way, m in app.rig.messages
                    if way.startswith("←") and m.get(3) == "000000" and m.mti == "0210")
        await until(app, pilot, lambda: "主菜单" in display(app) or "交易成功" in display(app))
        await press(app, pilot, "enter")
        await send(app, pilot, {"amount": "5.00", "rrn": rrn, "date": date or ""}, "refund")
        assert f"REFUND EMU0002 ¥5.00 OR={rrn} OD={date}" in app.till_desk.log[-1]
        refund = await customer_pays(app, pilot, 2)
        assert "REFUND EMU0002: RC=00" in refund and "¥5.00" in refund
        assert "621234*********4567" in refund and ALICE.pan not in refund
        await until(app, pilot, lambda: "主菜单" in display(app) or "退货" in display(app))
        await press(app, pilot, "enter")
        await send(app, pilot, {}, "settle")
        await until(app, pilot, lambda: len(answers(app)) == 3)
        assert "SETTLE EMU0003: RC=00 结算成功" in answers(app)[-1]

    run_app(scenario)


def test_the_till_pays_an_x_order_by_its_number(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await send(app, pilot, {"order": "6600000001"}, "xpay")
        assert "XPAY EMU0001 ON=******0001" in app.till_desk.log[-1]
        await until(app, pilot, lambda: "支付方式" in display(app))
        assert "600.00" in display(app)
        paid = await customer_pays(app, pilot, 1)
        assert "XPAY EMU0001: RC=00" in paid and "¥600.00" in paid and "AC=" in paid

    run_app(scenario)


def test_a_request_that_cannot_be_built_says_why_and_the_console_stays_open(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await send(app, pilot, {"amount": "5.00", "rrn": "123", "date": "1301"}, "refund")
        assert isinstance(app.screen, TillConsole)
        assert "RRN" in str(app.screen.query_one("#error", Label).render())
        app.screen.query_one("#order", Input).focus()
        await press(app, pilot, "enter")
        assert "order number" in str(app.screen.query_one("#error", Label).render())
        assert app.till_desk.log == [] and app.till_desk.count == 0

    run_app(scenario)


def test_requests_are_built_from_the_form_or_refused_in_one_line() -> None:
    form = TillForm(amount="5", trace="17", rrn="250115103045", date="0115",
                    order="6600000005")
    built = [build_request(command, form, "R") for command in
             ("SALE", "VOID", "REFUND", "XPAY", "SETTLE")]
    assert [getattr(r, "command", r) for r in built] == [
        "SALE", "VOID", "REFUND", "XPAY", "SETTLE"]
    assert [getattr(r, "amount", None) for r in built] == [500, 0, 500, 0, 0]
    assert getattr(built[3], "order_no", "") == "6600000005"
    assert build_request("REFUND", TillForm(amount="5", rrn="250115103045", date="1301"),
                         "R") == "date: the sale's MMDD (0115)"
    assert build_request("VOID", TillForm(trace="1234567"), "R") == "trace: 1 to 6 digits"
    assert build_request("XPAY", TillForm(order="66 01"), "R") == \
        "order number: 1 to 32 characters (6600000001)"


def test_the_till_pays_an_order_combined_and_its_log_names_both_legs(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await send(app, pilot, {"order": "6600000001"}, "xpay")
        await until(app, pilot, lambda: "支付方式" in display(app))
        line = next(row for row in display(app).splitlines() if "组合支付" in row)
        await press(app, pilot, line.strip()[0])
        await click(app, pilot, "#swipe-member")
        await press(app, pilot, *"666666", "enter")          # the member card's password
        await until(app, pilot, lambda: "请刷卡" in display(app))
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        await until(app, pilot, lambda: len(answers(app)) == 1)
        paid = answers(app)[-1]
        assert "XPAY EMU0001: RC=00" in paid and "¥600.00 621234*********4567" in paid
        assert "XA=¥200.00 XC=886800******0001 XT=" in paid

    run_app(scenario)
