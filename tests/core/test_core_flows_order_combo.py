"""X2 combined payment, the pure flow: party leg, then bank leg; undo when the bank fails."""

from datetime import datetime

from xpos.core.flows import Online, Outcome
from xpos.core.flows.online import OrderComboPay
from xpos.core.flows.order_pay import order_pay_flow
from xpos.core.steps import Display, PinStep, PrintStep, ReadCard, ResultCode, Select
from xpos.core.testing import expect, ok, reply, run_flow, step_result

from .test_core_flows_order_pay import BANK, BLOCK, CTX, MEMBER, _printed, _until_method

PARTY = reply(Outcome.APPROVED, stan=10, batch=1, amount=20_000,
              masked_pan="886800******0001")
BANK_PAID = reply(Outcome.APPROVED, stan=12, batch=1, rrn="250115000012", auth_code="123456",
                  when=datetime(2025, 1, 15, 10, 30), masked_pan="621234*********4567",
                  amount=20_000)


def _party_leg(*more: object) -> list[object]:
    return _until_method(expect(Select, ok(id="combo")), expect(ReadCard, ok(card=MEMBER)),
                         expect(PinStep, ok(block=BLOCK)), expect(Online, PARTY), *more)


def test_the_balance_goes_first_then_the_rest_by_bank_card_and_both_slips_print() -> None:
    run = run_flow(order_pay_flow(CTX), _party_leg(
        expect(ReadCard, ok(card=BANK)), expect(PinStep, ok(block=BLOCK)),
        expect(Online, BANK_PAID), ok(), ok(), ok(), ok()))
    assert run.done
    party, bank = (o.request for o in run.of_type(Online)[-2:])
    assert party == OrderComboPay(leg="party", order_no="6600000002", amount=40_000,
                                  card=MEMBER, pin_block=BLOCK)
    assert bank == OrderComboPay(leg="bank", order_no="6600000002", amount=20_000,
                                 card=BANK, pin_block=BLOCK)
    assert "第三方已付:200.00" in run.of_type(ReadCard)[-1].prompt
    assert run.of_type(PinStep)[-1].amount == 20_000           # the rest, not the total
    assert [p.document.name for p in run.of_type(PrintStep)] == [
        "sale-merchant", "sale-customer", "order"]
    text = _printed(run)
    assert "第三方卡 PARTY" in text and "200.00" in text and MEMBER.pan not in text
    assert "支付成功" in run.of_type(Display)[-1].lines


def test_a_cancelled_bank_card_undoes_the_third_party_debit() -> None:
    run = run_flow(order_pay_flow(CTX), _party_leg(
        expect(ReadCard, step_result(ResultCode.CANCELLED)), expect(Display, ok()),
        expect(Online, reply(Outcome.APPROVED)), ok()))
    assert run.done
    assert run.of_type(Online)[-1].request == OrderComboPay(leg="undo",
                                                            order_no="6600000002")
    assert "第三方卡扣款已退回" in run.of_type(Display)[-1].lines


def test_a_declined_bank_leg_says_the_third_party_debit_came_back() -> None:
    run = run_flow(order_pay_flow(CTX), _party_leg(
        expect(ReadCard, ok(card=BANK)), expect(PinStep, ok(block=BLOCK)),
        expect(Online, reply(Outcome.DECLINED, rc="51")), ok()))
    assert run.done
    assert [o.request.leg for o in run.of_type(Online)[-2:]] == ["party", "bank"]
    assert "第三方卡扣款已退回" in run.of_type(Display)[-1].lines
    assert run.of_type(PrintStep) == []


def test_a_refused_party_leg_sends_nothing_more() -> None:
    run = run_flow(order_pay_flow(CTX), _until_method(
        expect(Select, ok(id="combo")), expect(ReadCard, ok(card=MEMBER)),
        expect(PinStep, ok(block=BLOCK)), expect(Online, reply(Outcome.DECLINED, rc="55")),
        ok()))
    assert run.done
    assert run.of_type(Online)[-1].request.leg == "party"
    assert run.of_type(ReadCard)[-1].prompt.count("请刷") == 1
