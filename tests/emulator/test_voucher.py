from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.widgets import Chooser
from xpos.refhost.seed import DEMO

from .conftest import RunApp, click, display, host, press, roll

SCANNED = DEMO.demo_voucher  # 883300112233, 冰淇淋蛋糕
KEYED = "883300112236"  # another valid 冰淇淋蛋糕 voucher


def test_voucher_scanned_from_the_chooser_then_one_keyed_by_keyboard(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "1")
        assert "券号" in display(app)
        await press(app, pilot, "b")
        assert isinstance(app.screen, Chooser)
        await press(app, pilot, "1")
        assert not isinstance(app.screen, Chooser)
        assert "确认核销 1 份?" in display(app) and "剩余 1 份" in display(app)
        await press(app, pilot, "enter")
        assert "验证成功" in display(app) and "冰淇淋蛋糕" in display(app)
        slip = roll(app)
        assert "冰淇淋蛋糕" in slip and "********2233" in slip and SCANNED not in slip
        assert SCANNED not in host(app)
        await press(app, pilot, "enter")
        assert "X菜单" in display(app)
        await press(app, pilot, "1")
        await press(app, pilot, *KEYED, "number_sign")
        await press(app, pilot, "enter")
        assert "验证成功" in display(app)
        assert roll(app).count("冰淇淋蛋糕") == 2 and "********2236" in roll(app)

    run_app(scenario)


def test_an_already_used_voucher_clicked_in_the_wallet_is_refused(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "1")
        await click(app, pilot, "#scan-2")  # 883300112234, used
        assert "验证成功" not in display(app)
        assert roll(app) == ""

    run_app(scenario, size=(100, 40))


def test_the_chooser_closes_with_escape_without_presenting(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "0", "0", "enter")
        await press(app, pilot, "s")
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, Chooser)
        assert "请刷卡" in display(app)

    run_app(scenario)
