"""The settlement slip (结算单): batch, date/time, terminal, totals and both results.

One copy, laid out for 58 mm paper like every slip (:mod:`xpos.core.slips`): the bank
batch (debit and credit counts and amounts, domestic and foreign reconciliation
results 对账平 / 对账不平), then the X-menu batch settled with the platform, then the
new batch number. A reprint (重打结算单) is this document from the journal's print
record with the 重打印 REPRINT mark added after the title (:func:`slips.mark_reprint`).
"""

from __future__ import annotations

from xpos.core.batch import BatchTotals, SettleSummary
from xpos.core.slips import (
    RULE,
    _center,
    _columns,
    _field,
    _line,
    _merchant,
    _when,
    format_yuan,
)
from xpos.model import Document, Feed, TextLine

TITLE_SETTLE = "结算单 SETTLEMENT"
DOCUMENT_NAME = "settlement"
"""The print record name of a settlement slip (what 重打结算单 looks for)."""
RESULTS = {"1": "对账平 BALANCED", "2": "对账不平 UNBALANCED", "3": "对账出错 ERROR"}
NO_RESULT = "未对账 NONE"


def result_text(code: str) -> str:
    """对账平 / 对账不平 / 对账出错 for a result digit."""
    return RESULTS.get(code, NO_RESULT)


def _totals(totals: BatchTotals) -> list[TextLine]:
    return [*_columns("借记 DEBIT", f"{totals.debit_count}笔 {format_yuan(totals.debit_amount)}"),
            *_columns("贷记 CREDIT",
                      f"{totals.credit_count}笔 {format_yuan(totals.credit_amount)}")]


def settle_slip(summary: SettleSummary, *, merchant_name: str, mid: str,
                tid: str) -> Document:
    """Lay out the settlement slip of a finished settlement."""
    body: list[TextLine | Feed] = [
        _center(TITLE_SETTLE, bold=True),
        *_merchant(merchant_name, mid, tid),
        *_field("批次号 BATCH NO.:", f"{summary.batch:06d}"),
        _line("日期/时间 DATE/TIME:"),
        _line(_when(summary.when)),
        _line(RULE),
        _line("银行卡 BANK CARD", bold=True),
        _line("内卡 DOMESTIC"),
        *_totals(summary.bank),
        *_columns("内卡对账", result_text(summary.domestic)),
        _line("外卡 FOREIGN"),
        *_totals(BatchTotals()),
        *_columns("外卡对账", result_text(summary.foreign)),
        *_field("批上送 UPLOADED:", f"{summary.uploaded}笔"),
        _line(RULE),
        _line("X菜单 X MENU", bold=True),
        *_field("X批次号 X BATCH:", f"{summary.x_batch:06d}"),
        *_totals(summary.x),
        *_columns("平台对账", result_text(summary.x_result)),
        _line(RULE),
        *_field("新批次号 NEW BATCH:", f"{summary.new_batch:06d}"),
        _center("结算成功 SETTLED", bold=True),
    ]
    return Document(name=DOCUMENT_NAME, elements=tuple(body), cut=True)
