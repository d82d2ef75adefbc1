"""The X void of a redemption (pure): supervisor, lookup, redemption shown, confirm, slip."""

from datetime import datetime

from xpos.core.flows import (
    FlowContext,
    Online,
    Outcome,
    VoucherDetails,
    VoucherVoidLookup,
    VoucherVoidRequest,
)
from xpos.core.flows.notices import Notice
from xpos.core.flows.voucher_void import voucher_void_flow
from xpos.core.steps import Confirm, Display, Input, PrintStep
from xpos.core.testing import expect, ok, reply, run_flow
from xpos.model import TextLine

CTX = FlowContext(merchant_name="健身房", tid="12345678", mid="123456789012345")
READY = expect(Online, reply(Outcome.APPROVED))
PASSWORD_OK = [expect(Input, ok(values=("123456",))), expect(Online, reply(Outcome.APPROVED))]
REDEMPTION = VoucherDetails(title="健身次卡", quantity=3, provider="健身房",
                            code_masked="********2239", units=2)
FOUND = reply(Outcome.APPROVED, stan=3, batch=1, voucher=REDEMPTION)
OPENING = [READY, *PASSWORD_OK, expect(Input, ok(values=("3",))), expect(Online, FOUND)]


def printed(run):
    return "\n".join(e.text for p in run.of_type(PrintStep) for e in p.document.elements
                     if isinstance(e, TextLine))


def test_the_redemption_is_looked_up_shown_confirmed_voided_and_printed():
    voided = reply(Outcome.APPROVED, stan=5, batch=1, rrn="261129000005",
                   when=datetime(2026, 11, 29, 10, 0),
                   voucher=VoucherDetails(title="健身次卡", quantity=5, provider="健身房",
                                          code_masked="********2239", units=2))
    run = run_flow(voucher_void_flow(CTX), [*OPENING, expect(Confirm, ok(yes=True)), voided,
                                            ok(), ok()])
    assert run.done
    assert run.of_type(Online)[2].request == VoucherVoidLookup(stan=3)
    assert run.of_type(Online)[3].request == VoucherVoidRequest(stan=3)
    prompt = run.of_type(Confirm)[0].prompt.split("\n")
    assert prompt == ["原交易: 000003", "健身次卡", "********2239", "已核销 2 份", "确认撤销核销?"]
    text = printed(run)
    assert "核销撤销凭证 REDEMPTION VOID" in text and "000003" in text and "5 份" in text
    assert run.of_type(Display)[-1].lines[-1] == "撤销 2 份"


def test_a_local_refusal_is_shown_in_words_and_nothing_is_sent():
    refused = reply(Outcome.DECLINED, notice=Notice.XVOID_NOT_REDEMPTION)
    run = run_flow(voucher_void_flow(CTX), [READY, *PASSWORD_OK, expect(Input, ok(values=("2",))),
                                            expect(Online, refused), ok()])
    assert run.done
    assert "原交易不是核销" in run.of_type(Display)[-1].lines
    assert not any(isinstance(o.request, VoucherVoidRequest) for o in run.of_type(Online))


def test_cancel_at_the_confirm_sends_nothing():
    run = run_flow(voucher_void_flow(CTX), [*OPENING, expect(Confirm, ok(yes=False)), ok()])
    assert run.done
    assert len(run.of_type(Online)) == 3
    assert "交易已取消" in run.of_type(Display)[-1].lines


def test_the_platforms_refusal_shows_its_words():
    late = reply(Outcome.DECLINED, rc="V7", message="超过24小时不能撤销")
    run = run_flow(voucher_void_flow(CTX), [*OPENING, expect(Confirm, ok(yes=True)), late, ok()])
    assert run.done
    assert run.of_type(PrintStep) == []
    assert run.of_type(Display)[-1].lines[2:] == ("已超过撤销时限", "超过24小时不能撤销")


def test_the_platform_not_knowing_the_redemption_says_no_such_transaction():
    unknown = reply(Outcome.DECLINED, rc="25")
    run = run_flow(voucher_void_flow(CTX), [*OPENING, expect(Confirm, ok(yes=True)), unknown,
                                            ok()])
    assert "无此交易" in run.of_type(Display)[-1].lines
