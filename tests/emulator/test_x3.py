"""X3 in the emulator: the host's services in the X menu, by keyboard alone; the host
pane decodes the session messages."""

from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import RunApp, display, host, press


def test_bill_payment_by_keyboard_alone_with_the_session_decoded_in_the_host_pane(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "2")
        assert "水电缴费" in display(app) and "会员充值" in display(app)
        number = next(line.split(".")[0].strip()[-1] for line in display(app).splitlines()
                      if "水电缴费" in line)
        await press(app, pilot, number)
        await press(app, pilot, "1")                        # 水费
        await press(app, pilot, *"12345678", "number_sign")
        assert "86.50" in display(app)
        await press(app, pilot, "enter")
        assert "请刷卡" in display(app)
        traffic = host(app)
        assert "步骤类型: INP input" in traffic and "服务: menu" in traffic
        assert "选项: bills: 水电缴费" in traffic and "金额: ¥86.50" in traffic
        assert "type='INP'" not in traffic  # in words, not the transcript's pairs

    run_app(scenario, size=(120, 40))
