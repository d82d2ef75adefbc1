from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text

from .conftest import ALICE, RunApp, click, display, host, press, roll


def test_void_from_the_menu_shows_the_original_and_prints_a_void_slip(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2", "1", "2", "3", "4", "enter")
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        assert "交易成功" in display(app)
        assert app.rig is not None
        sale = app.rig.terminal.journal.last("sale")
        assert sale is not None
        await press(app, pilot, "enter")
        assert "5.撤销" in display(app)
        await press(app, pilot, "5")
        assert "主管密码" in display(app)
        await press(app, pilot, *"123456", "enter")
        assert "123456" not in screen_text(app)
        await press(app, pilot, *str(sale.stan), "enter")
        shown = display(app)
        assert "621234*********4567" in shown and "12.34" in shown and "确认撤销" in shown
        await press(app, pilot, "enter")
        assert "0=全额" in display(app)
        await press(app, pilot, "enter")
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, *ALICE.pin, "enter")
        assert "交易成功" in display(app)
        slip = roll(app)
        assert "撤销/VOID" in slip and f"{sale.stan:06d}" in slip and ALICE.pan not in slip
        assert "消费撤销" in host(app)
        voided = app.rig.terminal.journal.by_stan(sale.stan)
        assert voided is not None and voided.voided

    run_app(scenario)
