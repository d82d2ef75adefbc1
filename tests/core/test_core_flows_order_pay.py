"""X2 order payment, the pure flow: what it asks, what it sends, what it shows."""

from datetime import datetime

import pytest

from xpos.core.flows import FlowContext, Online, Outcome, ReadinessRequest
from xpos.core.flows.online import (
    Notice,
    OrderBankPay,
    OrderDetails,
    OrderPartyPay,
    OrderQuery,
)
from xpos.core.flows.order_pay import order_pay_flow
from xpos.core.steps import Confirm, Display, PinStep, PrintStep, ReadCard, Select
from xpos.core.testing import expect, ok, reply, run_flow
from xpos.model import CardData, CardSource, TextLine

CTX = FlowContext(merchant_name="租车行", tid="12345678", mid="123456789012345")
BANK = CardData(source=CardSource.SWIPE, pan="6212345678901234567",
                track2="6212345678901234567=30121010000000000", expiry="3012")
MEMBER = CardData(source=CardSource.SWIPE, pan="8868000000000001",
                  track2="8868000000000001=3012", expiry="3012")
SUV = OrderDetails(order_no="6600000002", title="SUV租赁2天", total=50_000, due=40_000,
                   reason="优惠券8折 -100.00")
FOUND = reply(Outcome.APPROVED, order=SUV)
PAID = reply(Outcome.APPROVED, stan=9, batch=1, rrn="250115000009", auth_code="123456",
             when=datetime(2025, 1, 15, 10, 30), masked_pan="621234*********4567",
             amount=40_000)
BLOCK = b"\x01" * 8


def _until_method(*more: object) -> list[object]:
    return [expect(Online, reply()), ok(values=("6688000020",)), expect(Online, FOUND),
            expect(Confirm, ok(yes=True)), *more]


def _printed(run: object) -> str:
    return "\n".join(e.text for p in run.of_type(PrintStep)  # type: ignore[attr-defined]
                     for e in p.document.elements if isinstance(e, TextLine))


def test_the_order_is_shown_with_its_reason_before_anything_is_paid() -> None:
    run = run_flow(order_pay_flow(CTX), _until_method()[:3])
    assert run.of_type(Online)[0].request == ReadinessRequest()
    assert run.of_type(Online)[1].request == OrderQuery(code="6688000020")
    prompt = run.expect(Confirm).prompt
    for text in ("SUV租赁2天", "订单金额: 500.00", "优惠券8折 -100.00", "应付金额: 400.00"):
        assert text in prompt


def test_a_bank_payment_sends_the_due_amount_and_prints_three_slips() -> None:
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="bank")), expect(ReadCard, ok(card=BANK)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, PAID), ok(), ok(), ok(), ok()))
    assert run.done
    assert run.of_type(Online)[-1].request == OrderBankPay(
        order_no="6600000002", amount=40_000, card=BANK, pin_block=BLOCK)
    names = [p.document.name for p in run.of_type(PrintStep)]
    assert names == ["sale-merchant", "sale-customer", "order"]
    text = _printed(run)
    assert "持卡人签名 CARDHOLDER SIGNATURE" in text and "6600000002" in text
    assert BANK.pan not in text
    assert "支付成功" in run.of_type(Display)[-1].lines


def test_a_third_party_payment_sends_the_card_and_its_password_and_prints_the_order_slip(
        ) -> None:
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="party")), expect(ReadCard, ok(card=MEMBER)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, PAID), ok(), ok()))
    assert run.done
    assert run.of_type(Online)[-1].request == OrderPartyPay(
        order_no="6600000002", amount=40_000, card=MEMBER, pin_block=BLOCK)
    assert [p.document.name for p in run.of_type(PrintStep)] == ["order"]
    assert "第三方卡 PARTY CARD" in _printed(run)


@pytest.mark.parametrize(("rc", "text"), [("25", "无此订单"), ("P1", "订单已支付")])
def test_a_refused_order_shows_why_and_the_platforms_words(rc: str, text: str) -> None:
    run = run_flow(order_pay_flow(CTX), [
        expect(Online, reply()), ok(values=("6600000006",)),
        expect(Online, reply(Outcome.DECLINED, rc=rc, message="已于2024-05-01支付\x1b")), ok()])
    assert run.done
    lines = run.of_type(Display)[-1].lines
    assert text in lines and "已于2024-05-01支付" in lines
    assert len(run.of_type(Online)) == 2


def test_a_notice_left_pending_prints_the_bank_slips_only_and_says_so() -> None:
    pending = reply(Outcome.APPROVED, notice=Notice.ORDER_NOTICE_PENDING, stan=9, batch=1,
                    rrn="250115000009", masked_pan="621234*********4567", amount=40_000)
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="bank")), expect(ReadCard, ok(card=BANK)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, pending), ok(), ok(), ok()))
    assert run.done
    assert [p.document.name for p in run.of_type(PrintStep)] == ["sale-merchant", "sale-customer"]
    assert "订单通知稍后补发" in run.of_type(Display)[-1].lines


def test_cancelling_at_the_confirmation_pays_nothing() -> None:
    run = run_flow(order_pay_flow(CTX), [
        expect(Online, reply()), ok(values=("6600000002",)), expect(Online, FOUND),
        expect(Confirm, ok(yes=False)), ok()])
    assert run.done and len(run.of_type(Online)) == 2
