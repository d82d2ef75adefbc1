"""The refund and balance flows (pure), and refunds in the totals."""

from __future__ import annotations

from datetime import datetime

import pytest

from xpos.core.flows import (
    FlowContext,
    Notice,
    Online,
    Outcome,
    balance_flow,
    refund_flow,
)
from xpos.core.flows.online import BalanceRequest, RefundLookup, RefundRequest, SupervisorCheck
from xpos.core.flows.refund import valid_date
from xpos.core.flows.totals import screen_lines
from xpos.core.slips import RefundSlip, TotalsLine, TotalsSlip, refund_slip, totals_slip
from xpos.core.steps import (
    AmountStep,
    Confirm,
    Display,
    Input,
    PinStep,
    PrintStep,
    ReadCard,
)
from xpos.core.testing import expect, keyed, ok, reply, run_flow
from xpos.model import CardData, CardSource, TextLine

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")
PAN = "6212345678901234567"
CARD = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012",
                track2=PAN + "=30121010000012300000")
BLOCK = bytes.fromhex("1A2B3C4D5E6F7081")
RRN = "250115000002"
READY = expect(Online, reply(Outcome.APPROVED))
PASSWORD_OK = [expect(Input, ok(values=("123456",))), expect(Online, reply(Outcome.APPROVED))]
KEYED = [expect(Input, ok(values=(RRN,))), expect(Input, ok(values=("0115",)))]
FOUND = reply(Outcome.APPROVED, stan=2, batch=1, amount=2000, masked_pan="621234*********4567",
              rrn=RRN)
APPROVED = reply(Outcome.APPROVED, stan=9, batch=1, amount=500,
                 masked_pan="621234*********4567", when=datetime(2025, 1, 15, 11, 0, 0),
                 auth_code="654322", rrn="250115000010")


def shown(run) -> str:
    return "\n".join(line for d in run.of_type(Display) for line in d.lines)


def until_online(found=None) -> list[object]:
    lookup = [expect(Online, found or reply(Outcome.DECLINED))]
    if found is not None:
        lookup.append(expect(Display, ok()))
    return [READY, *PASSWORD_OK, *KEYED, *lookup, expect(AmountStep, ok(amount=500)),
            expect(ReadCard, ok(card=CARD)), expect(Confirm, ok(yes=True))]


def test_a_refund_asks_supervisor_rrn_date_amount_card_and_sends_no_pin_by_default():
    run = run_flow(refund_flow(CTX), until_online())
    requests = [o.request for o in run.of_type(Online)]
    assert isinstance(requests[1], SupervisorCheck)
    assert requests[2] == RefundLookup(rrn=RRN, date="0115")
    assert requests[3] == RefundRequest(rrn=RRN, date="0115", amount=500, card=CARD,
                                        pin_block=None)
    assert not run.of_type(PinStep)
    rrn_field = run.of_type(Input)[1].fields[0]
    assert (rrn_field.min_len, rrn_field.max_len) == (12, 12)


def test_a_refund_asks_for_the_pin_when_configured():
    ctx = FlowContext(merchant_name="m", tid="12345678", mid="123456789012345",
                      refund_pin=True)
    steps = [*until_online()[:-1], expect(PinStep, ok(block=BLOCK)),
             expect(Confirm, ok(yes=True))]
    run = run_flow(refund_flow(ctx), steps)
    request = run.expect(Online).request
    assert isinstance(request, RefundRequest) and request.pin_block == BLOCK


def test_the_journal_original_is_shown_when_the_terminal_has_it():
    run = run_flow(refund_flow(CTX), until_online(FOUND))
    text = shown(run)
    assert "原交易: 000002" in text and "621234*********4567" in text and "20.00" in text


def test_approved_refund_prints_two_slips_with_the_amount_as_a_credit():
    run = run_flow(refund_flow(CTX), [*until_online(), expect(Online, APPROVED), ok(), ok(),
                                      expect(Display, ok())])
    assert run.done
    assert [p.document.name for p in run.of_type(PrintStep)] == ["refund-merchant",
                                                                 "refund-customer"]
    printed = "\n".join(e.text for p in run.of_type(PrintStep) for e in p.document.elements
                        if isinstance(e, TextLine))
    assert "退货/REFUND" in printed and "-￥5.00" in printed and RRN in printed
    assert "0115" in printed and PAN not in printed
    assert "交易成功" in shown(run)


@pytest.mark.parametrize(("answer", "text"), [
    (reply(Outcome.DECLINED, rc="25"), "无原始交易"),
    (reply(Outcome.DECLINED, rc="12"), "原交易不能退货"),
    (reply(Outcome.DECLINED, rc="61"), "超出可退货金额"),
    (reply(Outcome.DECLINED, rc="55"), "密码错误"),
    (reply(Outcome.NO_RESPONSE, notice=Notice.REFUND_UNKNOWN), "退货结果未知"),
    (reply(Outcome.DECLINED, notice=Notice.REFUND_OTHER_CARD), "卡号与原交易不符"),
])
def test_every_refusal_says_why_and_prints_nothing(answer, text: str):
    run = run_flow(refund_flow(CTX), [*until_online(), expect(Online, answer),
                                      expect(Display, ok())])
    assert run.done and text in shown(run) and not run.of_type(PrintStep)


def test_an_impossible_date_is_refused_before_anything_is_asked_of_the_host():
    run = run_flow(refund_flow(CTX), [READY, *PASSWORD_OK, expect(Input, ok(values=(RRN,))),
                                      expect(Input, ok(values=("1340",))),
                                      expect(Display, ok())])
    assert run.done and "日期错误" in shown(run)
    assert not any(isinstance(o.request, RefundLookup) for o in run.of_type(Online))


@pytest.mark.parametrize(("mmdd", "valid"), [("0115", True), ("1231", True), ("0001", False),
                                             ("1300", False), ("0132", False), ("01a5", False),
                                             ("115", False)])
def test_valid_date(mmdd: str, valid: bool):
    assert valid_date(mmdd) is valid


def test_saying_no_at_the_confirmation_cancels_and_sends_nothing():
    steps = [*until_online()[:-1], expect(Confirm, ok(yes=False)), expect(Display, ok())]
    run = run_flow(refund_flow(CTX), steps)
    assert run.done and "交易已取消" in shown(run)
    assert not any(isinstance(o.request, RefundRequest) for o in run.of_type(Online))


def test_the_rrn_is_keyed_on_the_real_machine():
    run = run_flow(refund_flow(CTX), [READY, *PASSWORD_OK,
                                      expect(Input, keyed(*RRN, "#")),
                                      expect(Input, keyed("0", "1", "1", "5", "#")),
                                      expect(Online, reply(Outcome.DECLINED))])
    assert run.expect(AmountStep).prompt == "请输入退货金额"


def test_refund_slip_refuses_an_unmasked_card():
    slip = RefundSlip(merchant_name="m", mid="1" * 15, tid="1" * 8, operator="01",
                      masked_pan=PAN, expiry="", batch=1, stan=9, auth_code="", rrn="",
                      when=datetime(2025, 1, 1), amount=1, original_rrn=RRN,
                      original_date="0115")
    with pytest.raises(ValueError):
        refund_slip(slip, copy="merchant")


# -- balance ----------------------------------------------------------------------------


def test_the_balance_is_shown_after_swipe_and_pin_and_never_printed():
    run = run_flow(balance_flow(CTX), [READY, expect(ReadCard, ok(card=CARD)),
                                       expect(PinStep, ok(block=BLOCK)),
                                       expect(Online, reply(Outcome.APPROVED, balance=98766)),
                                       expect(Display, ok())])
    assert run.done
    assert run.of_type(Online)[1].request == BalanceRequest(card=CARD, pin_block=BLOCK)
    assert "余额: 987.66" in shown(run) and not run.of_type(PrintStep)
    assert run.of_type(Display)[-1].wait_key


def test_a_negative_balance_is_shown_with_a_minus():
    run = run_flow(balance_flow(CTX), [READY, expect(ReadCard, ok(card=CARD)),
                                       expect(PinStep, ok(block=BLOCK)),
                                       expect(Online, reply(Outcome.APPROVED, balance=-150)),
                                       expect(Display, ok())])
    assert "余额: -1.50" in shown(run)


@pytest.mark.parametrize(("answer", "text"), [
    (reply(Outcome.DECLINED, rc="55"), "密码错误"),
    (reply(Outcome.NO_RESPONSE, notice=Notice.NO_REPLY), "主机无应答"),
    (reply(Outcome.NOT_SIGNED_ON), "请先签到"),
])
def test_a_failed_inquiry_says_why(answer, text: str):
    run = run_flow(balance_flow(CTX), [READY, expect(ReadCard, ok(card=CARD)),
                                       expect(PinStep, ok(block=BLOCK)),
                                       expect(Online, answer), expect(Display, ok())])
    assert run.done and text in shown(run) and "余额:" not in shown(run)


def test_the_balance_reply_hides_the_amount_from_its_repr():
    assert "98766" not in repr(reply(Outcome.APPROVED, balance=98766))


# -- totals: refunds are credits ---------------------------------------------------------


def test_totals_count_refunds_as_credits_and_partial_voids_by_their_amount():
    lines = (TotalsLine(domain="bank", kind="refund", count=1, amount=500),
             TotalsLine(domain="bank", kind="sale", count=2, amount=3000),
             TotalsLine(domain="bank", kind="void", count=1, amount=400))
    rows = screen_lines("zh", 1, lines)
    assert "退货 1笔" in rows and "合计 4笔" in rows
    assert rows[rows.index("合计 4笔") + 1].strip() == "21.00"   # 30.00 - 5.00 - 4.00
    slip = totals_slip(TotalsSlip(merchant_name="m", mid="1" * 15, tid="1" * 8, batch=1,
                                  when=datetime(2025, 1, 1), lines=lines))
    printed = "\n".join(e.text for e in slip.elements if isinstance(e, TextLine))
    assert "退货/REFUND" in printed and "￥21.00" in printed
