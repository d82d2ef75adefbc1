"""X2 from the till (CM=XPAY): the pure flows' answers to the till, incl. combined payment
and a refused order-paid notice."""

from datetime import datetime

from xpos.core.flows import Online, Outcome
from xpos.core.flows.online import Notice, OrderBankPay, OrderComboPay, OrderQuery
from xpos.core.flows.order_pay import order_pay_flow
from xpos.core.flows.till import TillAnswer, TillOrder, TillStatus, till_xpay
from xpos.core.steps import Display, PinStep, PrintStep, ReadCard, ResultCode, Select
from xpos.core.testing import expect, ok, reply, run_flow, step_result

from .test_core_flows_order_pay import BANK, BLOCK, CTX, FOUND, MEMBER, _until_method

PARTY = reply(Outcome.APPROVED, stan=10, batch=1, amount=20_000, auth_code="000777",
              masked_pan="886800******0001")
BANK_PAID = reply(Outcome.APPROVED, stan=12, batch=1, rrn="250115000012", auth_code="123456",
                  when=datetime(2025, 1, 15, 10, 30), masked_pan="621234*********4567",
                  amount=20_000)
UNDONE = reply(Outcome.DECLINED, rc="P1", notice=Notice.ORDER_UNDONE, stan=12,
               masked_pan="621234*********4567", amount=40_000)
TILLED = expect(TillAnswer, None)


def _xpay(*more: object) -> list[object]:
    return [expect(Online, reply()), expect(Online, FOUND), *more]


def _answers(run: object) -> list[TillAnswer]:
    return run.of_type(TillAnswer)  # type: ignore[attr-defined,no-any-return]


def _combo_party(*more: object) -> list[object]:
    return _xpay(expect(Select, ok(id="combo")), expect(ReadCard, ok(card=MEMBER)),
                 expect(PinStep, ok(block=BLOCK)), expect(Online, PARTY), *more)


def test_the_till_is_offered_the_combined_payment() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _xpay())  # type: ignore[arg-type]
    items = [item_id for item_id, _ in run.expect(Select).items]
    assert items == ["bank", "party", "combo"]
    assert run.of_type(Online)[1].request == OrderQuery(code="6600000002")


def test_a_combined_till_payment_answers_both_legs_then_prints() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _combo_party(  # type: ignore[arg-type]
        expect(ReadCard, ok(card=BANK)), expect(PinStep, ok(block=BLOCK)),
        expect(Online, BANK_PAID), TILLED, ok(), ok(), ok(), ok()))
    assert run.done
    assert [o.request.leg for o in run.of_type(Online)[2:]] == ["party", "bank"]
    assert run.of_type(Online)[-1].request == OrderComboPay(
        leg="bank", order_no="6600000002", amount=20_000, card=BANK, pin_block=BLOCK)
    (answer,) = _answers(run)
    assert (answer.status, answer.amount, answer.text) == (TillStatus.APPROVED, 40_000, "支付成功")
    assert (answer.masked_pan, answer.trace, answer.auth_code) == (
        "621234*********4567", 12, "123456")                  # the bank leg
    assert (answer.party_amount, answer.party_trace, answer.party_pan) == (
        20_000, 10, "886800******0001")                        # the third-party leg
    assert "第三方已付:200.00" in run.of_type(ReadCard)[-1].prompt
    assert [p.document.name for p in run.of_type(PrintStep)] == [
        "sale-merchant", "sale-customer", "order"]
    # the till is answered before the first slip prints
    assert run.history.index(answer) < run.history.index(run.of_type(PrintStep)[0])


def test_a_declined_bank_leg_tells_the_till_the_third_party_debit_came_back() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _combo_party(  # type: ignore[arg-type]
        expect(ReadCard, ok(card=BANK)), expect(PinStep, ok(block=BLOCK)),
        expect(Online, reply(Outcome.DECLINED, rc="51", stan=12)), TILLED, ok()))
    assert run.done
    (answer,) = _answers(run)
    assert (answer.status, answer.host_rc) == (TillStatus.DECLINED, "51")
    assert "余额不足" in answer.text and "第三方卡扣款已退回" in answer.text
    assert answer.party_amount == 0 and run.of_type(PrintStep) == []


def test_a_cancelled_bank_card_undoes_the_debit_before_the_till_is_answered() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _combo_party(  # type: ignore[arg-type]
        expect(ReadCard, step_result(ResultCode.CANCELLED)),
        expect(Online, reply(Outcome.APPROVED)), TILLED, ok()))
    assert run.done
    undo = run.of_type(Online)[-1]
    assert undo.request == OrderComboPay(leg="undo", order_no="6600000002")
    (answer,) = _answers(run)
    assert answer.status is TillStatus.CANCELLED and "第三方卡扣款已退回" in answer.text
    assert run.history.index(undo) < run.history.index(answer)


def test_a_pin_timeout_on_the_bank_leg_is_answered_timeout_after_the_undo() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _combo_party(  # type: ignore[arg-type]
        expect(ReadCard, ok(card=BANK)), expect(PinStep, step_result(ResultCode.TIMEOUT)),
        expect(Online, reply(Outcome.APPROVED)), TILLED, ok()))
    assert run.of_type(Online)[-1].request.leg == "undo"
    assert _answers(run)[0].status is TillStatus.TIMEOUT


def test_the_balance_paying_it_all_answers_the_third_party_leg() -> None:
    paid_all = reply(Outcome.APPROVED, stan=10, batch=1, amount=40_000,
                     masked_pan="886800******0001")
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _xpay(  # type: ignore[arg-type]
        expect(Select, ok(id="combo")), expect(ReadCard, ok(card=MEMBER)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, paid_all), TILLED, ok(), ok()))
    assert run.done
    (answer,) = _answers(run)
    assert (answer.status, answer.amount, answer.trace) == (TillStatus.APPROVED, 40_000, 10)
    assert (answer.party_amount, answer.party_trace) == (40_000, 10)
    assert len(run.of_type(ReadCard)) == 1                  # no bank card asked


def test_a_refused_notice_with_the_legs_undone_is_declined_to_the_till() -> None:
    run = run_flow(till_xpay(CTX, TillOrder(order_no="6600000002")), _xpay(  # type: ignore[arg-type]
        expect(Select, ok(id="bank")), expect(ReadCard, ok(card=BANK)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, UNDONE), TILLED, ok()))
    assert run.done
    assert isinstance(run.of_type(Online)[-1].request, OrderBankPay)
    (answer,) = _answers(run)
    assert (answer.status, answer.host_rc) == (TillStatus.DECLINED, "P1")
    assert "订单未确认" in answer.text and "款项已撤销" in answer.text
    assert run.of_type(PrintStep) == []


def test_the_menu_shows_the_undo_and_prints_nothing_when_the_notice_is_refused() -> None:
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="bank")), expect(ReadCard, ok(card=BANK)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, UNDONE), ok()))
    assert run.done
    lines = run.of_type(Display)[-1].lines
    assert "订单未确认" in lines and "款项已撤销" in lines
    assert run.of_type(PrintStep) == []


def test_a_pending_undo_says_the_money_comes_back_later() -> None:
    pending = reply(Outcome.DECLINED, rc="P2", notice=Notice.ORDER_UNDO_PENDING, stan=12)
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="party")), expect(ReadCard, ok(card=MEMBER)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, pending), ok()))
    assert "款项将自动撤销" in run.of_type(Display)[-1].lines
