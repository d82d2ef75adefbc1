"""The wallet for the whole X menu, by keyboard alone: J1 with the coupon keyed from the
wallet (``k``), an order paid by the member card (scanned order number), an X3 demo
service with a third-party debit; the host pane shows the X messages in words, masked."""

import re

from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text
from xpos.emulator.app.wallet import keyable
from xpos.emulator.app.widgets import Chooser
from xpos.emulator.app.widgets.chooser import MARKS
from xpos.refhost.seed import DEMO
from xpos.testing.host import J1_COUPON

from .conftest import ALICE, RunApp, display, host, press, roll

MEMBER = DEMO.card("member")


async def choose(app: EmulatorApp, pilot: Pilot[None], label: str) -> None:
    """Press the number of the menu line that shows ``label``."""
    match = re.search(rf"(\d)\.\s*{re.escape(label)}", display(app))
    assert match is not None, (label, display(app))
    await press(app, pilot, match.group(1))


def mark_of(app: EmulatorApp, items: object, data: str) -> str:
    assert isinstance(items, tuple)
    return MARKS[[item.data for item in items].index(data)]


def no_secrets(app: EmulatorApp) -> None:
    text = screen_text(app) + host(app) + roll(app)
    for secret in (ALICE.pan, ALICE.track2, MEMBER.pan, MEMBER.track2, J1_COUPON):
        assert secret not in text


def test_j1_by_keyboard_alone_coupon_keyed_from_the_wallet_bank_card_pin_both_slips(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await choose(app, pilot, "订单支付")
        assert "请输入订单号/券号" in display(app)
        await press(app, pilot, "k")
        assert isinstance(app.screen, Chooser)
        await press(app, pilot, mark_of(app, keyable(app.items), J1_COUPON))
        assert "SUV租赁2天" in display(app) and "应付金额: 400.00" in display(app)
        await press(app, pilot, "enter")
        await choose(app, pilot, "银行卡")
        await press(app, pilot, "s")
        await press(app, pilot, "1")                      # alice
        await press(app, pilot, *ALICE.pin, "enter")
        assert "支付成功" in display(app)
        slips = roll(app)
        assert "持卡人签名" in slips and "订单支付凭证" in slips and "优惠券8折" in slips
        words = host(app)
        assert "输入的订单号/券号: ******0020" in words
        assert "订单金额: ¥500.00" in words and "应付金额: ¥400.00" in words
        assert "银行卡金额: ¥400.00" in words and "订单号: 6600000002" in words
        no_secrets(app)

    run_app(scenario)


def test_an_order_scanned_from_the_wallet_is_paid_by_the_member_card(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await choose(app, pilot, "订单支付")
        await press(app, pilot, "b")
        assert isinstance(app.screen, Chooser)
        scan = tuple(item for item in app.items if item.how.value == "scan")
        await press(app, pilot, mark_of(app, scan, "6600000007"))
        assert "洗车年卡" in display(app) and "150.00" in display(app)
        await press(app, pilot, "enter")
        await choose(app, pilot, "第三方卡")
        await press(app, pilot, "s")
        swipe = tuple(item for item in app.items if item.how.value == "swipe")
        await press(app, pilot, mark_of(app, swipe, MEMBER.track2))
        await press(app, pilot, *MEMBER.pin, "enter")
        assert "支付成功" in display(app)
        words = host(app)
        assert "第三方卡扣款" in words and "886800******0001" in words
        assert "第三方卡金额: ¥150.00" in words and "<PIN block>" in words
        no_secrets(app)

    run_app(scenario, size=(120, 40))


def test_an_x3_points_service_pays_by_member_card_with_the_card_data_sealed_in_the_host_pane(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await choose(app, pilot, "互动业务")
        await choose(app, pilot, "积分卡消费")
        await press(app, pilot, "5", "0", "0", "0", "enter")   # 50.00
        await press(app, pilot, "s")
        swipe = tuple(item for item in app.items if item.how.value == "swipe")
        await press(app, pilot, mark_of(app, swipe, MEMBER.track2))
        await press(app, pilot, *MEMBER.pin, "enter")
        assert "消费成功" in display(app)
        assert "积分卡消费凭证" in roll(app)
        words = host(app)
        assert "步骤类型: TPD third_party_debit" in words and "金额: ¥50.00" in words
        assert "<sealed>" in words and "密码: <PIN block>" in words
        no_secrets(app)

    run_app(scenario, size=(120, 40))


def test_key_in_is_refused_where_the_terminal_asks_for_no_code(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "主菜单" in display(app)
        await press(app, pilot, "k")
        assert not isinstance(app.screen, Chooser)
        assert "终端此时不要券码/订单号" in app.main.help_text
        assert "主菜单" in display(app)  # no key reached the terminal

    run_app(scenario)
