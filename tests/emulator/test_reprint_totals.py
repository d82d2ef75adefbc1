from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import RunApp, display, press, roll


def test_print_menu_offers_reprints_and_totals_and_a_reprint_reaches_the_roll(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "4.打印" in display(app)
        await press(app, pilot, "4")
        shown = display(app)
        assert "重打印最后一笔" in shown and "按凭证号重打印" in shown and "交易汇总" in shown
        await press(app, pilot, "1")
        assert "无此交易" in display(app) and roll(app) == ""
        await press(app, pilot, "enter")
        assert "3.交易汇总" in display(app)  # back in the print menu
        await press(app, pilot, "3")
        assert "交易汇总 1/" in display(app) and "无交易" in display(app)

    run_app(scenario)
