"""An unattended PIN prompt ends with a timeout (machine and sale flow)."""

import pytest

from xpos.core.events import CancelPin, Done, PinDone, RequestPin, SetTimer
from xpos.core.flows import FlowContext, Online, Outcome, SaleRequest, sale_flow
from xpos.core.steps import AmountStep, Display, PinStep, ReadCard, ResultCode
from xpos.core.testing import FlowDriver, MachineDriver, ok, reply, step_result
from xpos.model import CardData, CardSource

PAN = "6212345678901234567"
CARD = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012",
                track2=PAN + "=30121010000000000")


def test_the_pin_step_arms_its_timer_and_withdraws_the_request_when_it_fires():
    drv = MachineDriver(PinStep(pan=PAN, amount=100, timeout_s=45.0), now=10.0)
    assert drv.effects[1:] == [RequestPin(pan=PAN, amount=100), SetTimer(deadline=55.0)]
    assert drv.advance(44.0) == [] and drv.result is None
    out = drv.advance(1.0)
    assert out == [CancelPin(), Done(result=drv.result)]
    assert drv.result is not None and drv.result.code is ResultCode.TIMEOUT


def test_a_late_pin_block_after_the_timeout_is_ignored():
    drv = MachineDriver(PinStep(pan=PAN, amount=100, timeout_s=5.0))
    drv.advance(5.0)
    assert drv.send(PinDone(block=b"\x01" * 8, code=ResultCode.OK, now=6.0)) == []
    assert drv.result is not None and drv.result.code is ResultCode.TIMEOUT


def test_a_pin_block_in_time_cancels_the_timer_not_the_request():
    drv = MachineDriver(PinStep(pan=PAN, amount=100, timeout_s=5.0))
    out = drv.send(PinDone(block=b"\x01" * 8, code=ResultCode.OK, now=4.0))
    assert CancelPin() not in out and SetTimer(deadline=None) in out
    assert drv.result is not None and drv.result.ok


def test_without_a_timeout_the_pin_step_waits():
    drv = MachineDriver(PinStep(pan=PAN, amount=100, timeout_s=None))
    assert drv.deadline is None
    drv.advance(10_000.0)
    assert drv.result is None


@pytest.mark.parametrize("timeout", [0.0, -1.0])
def test_a_pin_step_with_a_timeout_that_is_not_positive_is_not_understood(timeout):
    drv = MachineDriver(PinStep(pan=PAN, amount=100, timeout_s=timeout))
    assert drv.result is not None and drv.result.code is ResultCode.NOT_UNDERSTOOD
    assert not any(isinstance(e, RequestPin) for e in drv.effects)


@pytest.mark.parametrize(("lang", "text"), [("zh", "输入密码超时"), ("en", "PIN entry timed out")])
def test_the_sale_ends_with_pin_timeout_and_sends_nothing(lang, text):
    ctx = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345",
                      lang=lang, pin_timeout_s=42.0)
    run = FlowDriver(sale_flow(ctx))
    run.answer(reply(Outcome.APPROVED))
    run.expect(AmountStep)
    run.answer(ok(amount=100))
    run.expect(ReadCard)
    run.answer(ok(card=CARD))
    assert run.expect(PinStep).timeout_s == 42.0
    run.answer(step_result(ResultCode.TIMEOUT))
    assert text in run.expect(Display).lines
    run.answer(ok())
    assert run.done
    assert [c for c in run.of_type(Online) if isinstance(c.request, SaleRequest)] == []
