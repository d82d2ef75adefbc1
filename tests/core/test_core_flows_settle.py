"""The settlement flow and the batch tables (pure): supervisor, confirm, slip, refusals."""

from datetime import datetime

from xpos.core.batch import BANK_SIDES, X_SIDES, BatchTotals, SettleSummary, batch_totals
from xpos.core.flows import FlowContext, Notice, Online, Outcome
from xpos.core.flows.online import SettleRequest
from xpos.core.flows.settle import settle_flow, settle_reprint_flow
from xpos.core.settle_slip import settle_slip
from xpos.core.slips import REPRINT
from xpos.core.steps import Confirm, Display, Input, PrintStep
from xpos.core.testing import expect, ok, reply, run_flow
from xpos.model import TextLine

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")
SUMMARY = SettleSummary(batch=1, x_batch=1, when=datetime(2025, 1, 15, 10, 30, 45),
                        bank=BatchTotals(debit_count=2, debit_amount=1734, credit_count=1,
                                         credit_amount=500),
                        x=BatchTotals(debit_count=1), domestic="2", foreign="1",
                        x_result="1", uploaded=3, new_batch=2)
STATUS = expect(Online, reply(Outcome.APPROVED, batch=1))
PASSWORD_OK = [expect(Input, ok(values=("123456",))), expect(Online, reply(Outcome.APPROVED))]


def shown(run) -> str:
    return "\n".join(line for d in run.of_type(Display) for line in d.lines)


def text(document) -> str:
    return "\n".join(e.text for e in document.elements if isinstance(e, TextLine))


def test_batch_totals_follow_the_side_tables_and_skip_other_kinds():
    rows = [("sale", 1000), ("void", 300), ("sale", 200), ("sign_on", 0), ("voucher", 0)]
    assert batch_totals(rows, BANK_SIDES) == BatchTotals(debit_count=2, debit_amount=1200,
                                                        credit_count=1, credit_amount=300)
    assert batch_totals(rows, X_SIDES) == BatchTotals(debit_count=1)
    assert batch_totals([], BANK_SIDES).count == 0


def test_settlement_prints_the_slip_and_says_unbalanced():
    run = run_flow(settle_flow(CTX), [
        STATUS, *PASSWORD_OK, expect(Confirm, ok(yes=True)),
        expect(Online, reply(Outcome.APPROVED, settlement=SUMMARY)),
        expect(PrintStep, ok()), expect(Display, ok())])
    assert run.done
    assert Online(request=SettleRequest()) in run.history
    confirm = run.of_type(Confirm)[0].prompt
    assert "批次号: 000001" in confirm and "确认结算?" in confirm
    printed = text(run.of_type(PrintStep)[0].document)
    assert "结算单 SETTLEMENT" in printed and "对账不平 UNBALANCED" in printed
    assert "2笔 ￥17.34" in printed and "1笔 ￥5.00" in printed
    assert "批上送 UPLOADED: 3笔" in printed and "新批次号 NEW BATCH: 000002" in printed
    assert "结算成功" in shown(run) and "对账不平" in shown(run)


def test_an_unfinished_settlement_is_offered_to_continue():
    pending = expect(Online, reply(Outcome.APPROVED, batch=4, notice=Notice.SETTLE_PENDING))
    run = run_flow(settle_flow(CTX), [pending, *PASSWORD_OK, expect(Confirm, ok(yes=False)),
                                      expect(Display, ok())])
    prompt = run.of_type(Confirm)[0].prompt
    assert "结算未完成" in prompt and "继续结算?" in prompt and "000004" in prompt
    assert not any(isinstance(c, Online) and isinstance(c.request, SettleRequest)
                   for c in run.history)


def test_a_settlement_stopped_by_the_host_says_unfinished_and_why():
    refused = reply(Outcome.DECLINED, rc="96", notice=Notice.SETTLE_REFUSED)
    run = run_flow(settle_flow(CTX), [STATUS, *PASSWORD_OK, expect(Confirm, ok(yes=True)),
                                      expect(Online, refused), expect(Display, ok())])
    assert "结算未完成" in shown(run) and "主机拒绝结算 96" in shown(run)
    assert not run.of_type(PrintStep)
    silent = run_flow(settle_flow(CTX), [STATUS, *PASSWORD_OK, expect(Confirm, ok(yes=True)),
                                         expect(Online, reply(Outcome.NO_RESPONSE)),
                                         expect(Display, ok())])
    assert "主机无应答" in shown(silent)


def test_not_signed_on_is_refused_before_the_password():
    run = run_flow(settle_flow(CTX), [expect(Online, reply(Outcome.NOT_SIGNED_ON)),
                                      expect(Display, ok())])
    assert "请先签到" in shown(run) and not run.of_type(Input)


def test_the_reprint_adds_only_the_mark():
    slip = settle_slip(SUMMARY, merchant_name="测试商户", mid=CTX.mid, tid=CTX.tid)
    run = run_flow(settle_reprint_flow(CTX), [
        expect(Online, reply(Outcome.APPROVED, documents=(slip,))), expect(PrintStep, ok()),
        expect(Display, ok())])
    printed = run.of_type(PrintStep)[0].document
    assert [e for e in printed.elements if not (isinstance(e, TextLine)
                                                and e.text == REPRINT)] == list(slip.elements)
    assert REPRINT in text(printed)
    none = run_flow(settle_reprint_flow(CTX), [expect(Online, reply(Outcome.DECLINED)),
                                               expect(Display, ok())])
    assert "无结算单" in shown(none) and not none.of_type(PrintStep)
