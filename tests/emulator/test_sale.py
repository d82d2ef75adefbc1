from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text
from xpos.journal import TxnStatus

from .conftest import ALICE, RunApp, click, display, host, pin_stars, press, roll, status


def test_sale_through_the_widgets_prints_a_masked_slip_and_shows_the_messages(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "主菜单" in display(app)
        assert "已签到" in status(app) and "联机" in status(app)
        await click(app, pilot, "#key-2")
        await press(app, pilot, "1", "2")
        await click(app, pilot, "#key-3")
        await press(app, pilot, "4")
        await click(app, pilot, "#key-enter")
        assert "请刷卡" in display(app)
        await click(app, pilot, "#swipe-alice")
        assert "请持卡人输入密码" in display(app)
        await press(app, pilot, *ALICE.pin[:4])
        await click(app, pilot, "#key-" + ALICE.pin[4])
        await press(app, pilot, ALICE.pin[5])
        assert pin_stars(app) == "******"
        screen = screen_text(app)
        assert "******" in screen and ALICE.pin not in screen
        await press(app, pilot, "enter")
        assert "交易成功" in display(app) and "12.34" in display(app)
        assert pin_stars(app) == ""
        slip = roll(app)
        assert "持卡人存根" in slip and "￥12.34" in slip
        assert "621234*********4567" in slip and ALICE.pan not in slip
        messages = host(app)
        assert "0200 sale" in messages and "0210 sale" in messages
        assert "<PIN block>" in messages and ALICE.pan not in messages
        screen = screen_text(app)
        assert ALICE.pan not in screen and ALICE.pin not in screen
        assert app.rig is not None
        record = app.rig.terminal.journal.last("sale")
        assert record is not None and (record.status, record.amount) == (TxnStatus.APPROVED, 1234)

    run_app(scenario)


def test_pin_entry_backspace_short_pin_and_cancel(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "5", "0", "0", "enter")
        await click(app, pilot, "#swipe-alice")
        await press(app, pilot, "1", "2", "3")
        assert pin_stars(app) == "***"
        await press(app, pilot, "backspace")
        assert pin_stars(app) == "**"
        await press(app, pilot, "enter")
        assert "4-12" in screen_text(app)
        assert app.rig is not None and app.rig.pinpad.asking
        await press(app, pilot, "escape")
        assert app.rig.pinpad.asking is False
        assert "交易已取消" in display(app)
        assert "0200 sale" not in host(app)

    run_app(scenario)


def test_a_declined_card_from_the_chooser_shows_the_host_answer(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "0", "0", "enter")
        await press(app, pilot, "s")
        await press(app, pilot, "down", "down", "enter")  # carol: expired
        await press(app, pilot, "1", "1", "1", "1", "1", "1", "enter")
        assert "卡已过期" in display(app)
        assert roll(app) == ""

    run_app(scenario)
