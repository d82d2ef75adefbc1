from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.widgets import PrinterPane

from .conftest import RunApp, click, display, keyboard_sale, press, roll, status


def test_paper_out_is_reported_and_reload_prints_the_slips(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await click(app, pilot, "#paper-out")
        assert "缺纸" in status(app)
        assert app.main.query_one(PrinterPane).has_class("-no-paper")
        await keyboard_sale(app, pilot, "500")
        assert "打印机缺纸" in display(app)
        assert roll(app) == ""
        await click(app, pilot, "#paper-reload")
        assert "纸张正常" in status(app)
        await press(app, pilot, "enter")
        assert "商户存根" in roll(app) and "持卡人存根" in roll(app)
        assert "交易成功" in display(app)

    run_app(scenario)


def test_paper_keys_p_and_r(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "p")
        assert app.rig is not None and not app.rig.printer.paper_ok
        assert "缺纸" in status(app)
        await press(app, pilot, "r")
        assert app.rig.printer.paper_ok and "纸张正常" in status(app)

    run_app(scenario)
