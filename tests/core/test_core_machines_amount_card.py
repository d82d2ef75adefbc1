import pytest

from xpos.core.events import Beep, CardError, CardPresented, PinDone, RequestPin
from xpos.core.screen import text_width
from xpos.core.steps import (
    AmountResult,
    AmountStep,
    CardResult,
    PinResult,
    PinStep,
    ReadCard,
    ResultCode,
)
from xpos.core.testing import MachineDriver
from xpos.model import CardData, CardSource

PAN = "6212345678901234567"
SWIPE = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012", track2=PAN + "=30121010000")


def test_amount_digits_shift_in_from_the_right():
    drv = MachineDriver(AmountStep(prompt="请输入金额"))
    assert drv.screen[2].endswith(" 0.00")
    drv.press("1")
    assert drv.screen[2].endswith(" 0.01")
    drv.press("2", "3", "4")
    assert drv.screen[2] == "金额:" + " " * 10 + "12.34"
    assert text_width(drv.screen[2]) == 20
    drv.press("ENTER")
    assert drv.result == AmountResult(code=ResultCode.OK, amount=1234)


def test_amount_star_deletes_and_clear_zeroes():
    drv = MachineDriver(AmountStep(prompt="p"))
    drv.press("1", "2", "3", "*")
    assert drv.screen[2].endswith(" 0.12")
    drv.press("CLEAR")
    assert drv.screen[2].endswith(" 0.00")


def test_amount_zero_is_refused_with_a_message():
    drv = MachineDriver(AmountStep(prompt="p"))
    effects = drv.press("0", "ENTER")
    assert Beep(kind="error") in effects
    assert drv.screen[-1] == "金额不能为零"
    assert drv.result is None


def test_amount_above_the_maximum_is_refused():
    drv = MachineDriver(AmountStep(prompt="p", max_amount=10000))
    drv.press("1", "0", "0", "0", "0")
    assert drv.press("0")[0] == Beep(kind="error")
    drv.press("#")
    assert drv.result == AmountResult(code=ResultCode.OK, amount=10000)


def test_amount_cancel():
    drv = MachineDriver(AmountStep(prompt="p"))
    drv.press("5", "CANCEL")
    assert drv.result == AmountResult(code=ResultCode.CANCELLED)


def test_preset_amount_is_shown_and_confirmed_with_enter():
    drv = MachineDriver(AmountStep(prompt="应付金额", preset=8800))
    assert drv.screen[2].endswith(" 88.00")
    assert "确认请按确认键" in drv.screen
    drv.press("1", "*", "CLEAR")
    assert drv.screen[2].endswith(" 88.00")
    drv.press("ENTER")
    assert drv.result == AmountResult(code=ResultCode.OK, amount=8800)


@pytest.mark.parametrize("preset", [0, -5, 100000000])
def test_preset_out_of_range_is_not_understood(preset):
    drv = MachineDriver(AmountStep(prompt="p", preset=preset))
    assert drv.result == AmountResult(code=ResultCode.NOT_UNDERSTOOD)


def test_read_card_accepts_an_allowed_source():
    drv = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})), now=10.0)
    assert drv.deadline == 70.0
    drv.send(CardPresented(card=SWIPE, now=12.0))
    assert drv.result == CardResult(code=ResultCode.OK, card=SWIPE)


def test_read_card_ignores_other_sources():
    drv = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})))
    tap = CardData(source=CardSource.TAP, uid="04A1B2C3")
    assert drv.send(CardPresented(card=tap, now=1.0)) == [Beep(kind="error")]
    assert drv.result is None


def test_read_card_bad_swipe_shows_retry_and_keeps_waiting():
    drv = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})))
    drv.send(CardError(message="no start sentinel", now=1.0))
    assert "读卡失败 请重试" in drv.screen
    assert drv.result is None


def test_read_card_times_out():
    drv = MachineDriver(
        ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE}), timeout_s=30.0)
    )
    drv.advance(30.0)
    assert drv.result == CardResult(code=ResultCode.TIMEOUT)


def test_read_card_cancel():
    drv = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})))
    drv.press("1")
    assert drv.result is None
    drv.press("CANCEL")
    assert drv.result == CardResult(code=ResultCode.CANCELLED)


def test_read_card_screen_shows_the_prompt_lines_and_the_cancel_hint():
    drv = MachineDriver(
        ReadCard(prompt="消费\n金额: 12.34\n请刷卡", sources=frozenset({CardSource.SWIPE}))
    )
    assert drv.screen[:3] == ("消费", "金额: 12.34", "请刷卡")
    assert drv.screen[-1] == "按取消键退出"
    assert len(drv.screen) == 8


def test_pin_step_requests_a_pin_block_and_shows_only_the_masked_pan():
    drv = MachineDriver(PinStep(pan=PAN, amount=1234))
    assert RequestPin(pan=PAN, amount=1234) in drv.effects
    assert drv.screen == ("请持卡人输入密码", "621234*********4567", "金额: 12.34")
    assert PAN not in "".join(drv.screen)


def test_pin_step_result_is_the_block():
    drv = MachineDriver(PinStep(pan=PAN, amount=None))
    drv.press("CANCEL")
    assert drv.result is None
    drv.send(PinDone(block=bytes.fromhex("0123456789ABCDEF"), code=ResultCode.OK, now=3.0))
    assert drv.result == PinResult(code=ResultCode.OK, block=bytes.fromhex("0123456789ABCDEF"))


def test_pin_step_passes_on_a_cancel_from_the_pin_pad():
    drv = MachineDriver(PinStep(pan=PAN, amount=100))
    drv.send(PinDone(block=None, code=ResultCode.CANCELLED, now=3.0))
    assert drv.result == PinResult(code=ResultCode.CANCELLED)


def test_pin_step_without_pan_is_missing_values():
    assert MachineDriver(PinStep(pan="", amount=1)).result == PinResult(
        code=ResultCode.MISSING_VALUES
    )
