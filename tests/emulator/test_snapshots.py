from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import ALICE, RunApp, keyboard_sale, press
from .snapshot import check_snapshot


def test_snapshot_main_menu_80x24(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        check_snapshot(app, "main_menu_80x24")

    run_app(scenario)


def test_snapshot_pin_entry_80x24(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "2", "3", "4", "enter")
        await press(app, pilot, "s")
        await press(app, pilot, "1")
        await press(app, pilot, *ALICE.pin[:4])
        check_snapshot(app, "pin_entry_80x24")

    run_app(scenario)


def test_snapshot_after_a_sale_100x32(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await keyboard_sale(app, pilot, "1234")
        check_snapshot(app, "after_sale_100x32")

    run_app(scenario, size=(100, 32))


def test_snapshot_host_zoomed_after_a_sale_80x24(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await keyboard_sale(app, pilot, "1234")
        await press(app, pilot, "h")
        check_snapshot(app, "host_zoomed_80x24")

    run_app(scenario)


def test_snapshot_till_console_80x24(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "e")
        check_snapshot(app, "till_console_80x24")

    run_app(scenario)


def test_snapshot_host_zoomed_after_the_j1_coupon_is_keyed_80x24(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "3")                 # 订单支付
        await press(app, pilot, "k")
        await press(app, pilot, "f")                 # the 15th code: the J1 coupon
        await press(app, pilot, "h")
        check_snapshot(app, "host_zoomed_j1_80x24")

    run_app(scenario)
