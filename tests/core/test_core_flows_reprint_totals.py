"""Reprint and totals flows on the pure driver (no I/O)."""

from __future__ import annotations

from datetime import datetime

from xpos.core.flows import (
    FlowContext,
    Online,
    Outcome,
    ReprintRequest,
    TotalsRequest,
    reprint_last_flow,
    reprint_trace_flow,
    totals_flow,
)
from xpos.core.flows.totals import screen_lines
from xpos.core.screen import COLS, ROWS, text_width
from xpos.core.slips import REPRINT, RULE, TotalsLine
from xpos.core.steps import Confirm, Display, Input, PrintStep, ResultCode
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.model import Document, TextLine

CTX = FlowContext(merchant_name="蛋糕店", tid="12345678", mid="123456789012345")
EN = FlowContext(merchant_name="Shop", tid="12345678", mid="123456789012345", lang="en")


def _doc(name: str, copy: str) -> Document:
    lines = ("签购单 POS SALES SLIP", copy, RULE, "卡号 CARD NO.:", RULE)
    return Document(name=name, elements=tuple(TextLine(text=x) for x in lines))


MERCHANT = _doc("sale-merchant", "商户存根 MERCHANT COPY")
CUSTOMER = _doc("sale-customer", "持卡人存根 CARDHOLDER COPY")
FOUND = reply(Outcome.APPROVED, stan=42, documents=(MERCHANT, CUSTOMER))
NOT_FOUND = reply(Outcome.DECLINED, rc=None)


def _texts(step: PrintStep) -> list[str]:
    return [e.text for e in step.document.elements if isinstance(e, TextLine)]


def test_reprint_last_asks_locally_and_prints_every_copy_with_the_mark_after_the_header() -> None:
    run = run_flow(reprint_last_flow(CTX), [expect(Online, FOUND), ok(), ok()])
    assert run.of_type(Online)[0].request == ReprintRequest(stan=None)
    prints = run.of_type(PrintStep)
    assert [p.document.name for p in prints] == ["reprint-sale-merchant", "reprint-sale-customer"]
    for step, original in zip(prints, (MERCHANT, CUSTOMER), strict=True):
        texts = _texts(step)
        assert texts[2] == REPRINT
        assert texts[:2] + texts[3:] == [e.text for e in original.elements
                                         if isinstance(e, TextLine)]
    assert "重打印完成" in run.expect(Display).lines


def test_reprint_by_trace_sends_the_keyed_number() -> None:
    run = run_flow(reprint_trace_flow(CTX), [keyed("4", "2", "#")])
    step = run.of_type(Input)[0]
    assert step.prompt == "请输入凭证号" and step.fields[0].max_len == 6
    assert run.expect(Online).request == ReprintRequest(stan=42)


def test_unknown_trace_is_refused_with_no_such_transaction_and_prints_nothing() -> None:
    run = run_flow(reprint_trace_flow(CTX), [keyed("9", "9", "#"), NOT_FOUND])
    assert "无此交易" in run.expect(Display).lines
    assert run.of_type(PrintStep) == []
    en = run_flow(reprint_trace_flow(EN), [keyed("9", "#"), NOT_FOUND])
    assert "No such transaction" in en.expect(Display).lines


def test_reprint_trace_cancelled_sends_nothing() -> None:
    run = run_flow(reprint_trace_flow(CTX), [keyed("CANCEL")])
    assert run.done and run.of_type(Online) == []


def test_paper_out_during_a_reprint_reloads_and_retries_or_stops() -> None:
    run = run_flow(reprint_last_flow(CTX), [
        FOUND, step_result(ResultCode.UNABLE), expect(Confirm, ok(yes=True)), ok(), ok()])
    assert [p.document.name for p in run.of_type(PrintStep)] == [
        "reprint-sale-merchant", "reprint-sale-merchant", "reprint-sale-customer"]
    gave_up = run_flow(reprint_last_flow(CTX), [
        FOUND, step_result(ResultCode.UNABLE), expect(Confirm, ok(yes=False))])
    assert gave_up.done and len(gave_up.of_type(PrintStep)) == 1


LINES = (TotalsLine(domain="bank", kind="sale", count=2, amount=350),
         TotalsLine(domain="x", kind="voucher", count=1, amount=0))
TOTALS = reply(Outcome.APPROVED, batch=3, when=datetime(2026, 11, 28, 23, 0), totals=LINES)


def test_totals_are_shown_paged_then_printed_on_yes() -> None:
    run = run_flow(totals_flow(CTX), [expect(Online, TOTALS), ok(), ok()])
    assert run.of_type(Online)[0].request == TotalsRequest()
    pages = run.of_type(Display)
    assert pages[0].lines[0] == "交易汇总 1/2" and pages[1].lines[0] == "交易汇总 2/2"
    rows = [row for page in pages for row in page.lines[1:]]
    assert rows[:4] == ["批次号: 000003", "银行卡", "消费 2笔", " " * 16 + "3.50"]
    assert "X菜单" in rows and "券兑换 1笔" in rows
    for page in pages:
        assert len(page.lines) <= ROWS - 1
        assert all(text_width(row) <= COLS for row in page.lines)
    run.answer(ok(yes=True))
    slip = "\n".join(_texts(run.expect(PrintStep)))
    assert "交易汇总 TOTALS" in slip and "000003" in slip and "2笔 ￥3.50" in slip


def test_totals_not_printed_on_no_and_cancel_on_a_page_ends() -> None:
    run = run_flow(totals_flow(CTX), [TOTALS, ok(), ok(), ok(yes=False)])
    assert run.done and run.of_type(PrintStep) == []
    cancelled = run_flow(totals_flow(CTX), [TOTALS, step_result(ResultCode.CANCELLED)])
    assert cancelled.done and cancelled.of_type(Confirm) == []


def test_empty_batch_says_none_for_both_domains() -> None:
    rows = screen_lines("zh", 1, ())
    assert rows == ["批次号: 000001", "银行卡", "  无交易", "X菜单", "  无交易"]
    assert screen_lines("en", 1, ())[1:] == ["Bank card", "  None", "X menu", "  None"]


def test_totals_refused_by_the_runtime_shows_why() -> None:
    run = run_flow(totals_flow(CTX), [reply(Outcome.ERROR)])
    assert "交易失败" in run.expect(Display).lines
