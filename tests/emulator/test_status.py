from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import RunApp, display, host, keyboard_sale, press, status


def test_a_pending_reversal_shows_in_the_status_line_until_it_is_sent(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "无冲正" in status(app)
        assert app.rig is not None
        app.rig.host.faults.bad_mac()
        await keyboard_sale(app, pilot, "100")
        assert "MAC校验错" in display(app)
        assert "冲正待发" in status(app)
        await press(app, pilot, "enter")
        await keyboard_sale(app, pilot, "100")
        assert "交易成功" in display(app)
        assert "0400 reversal" in host(app) and "无冲正" in status(app)

    run_app(scenario)
