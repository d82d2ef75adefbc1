"""Settlement (结算, B4) and the settlement-slip reprint (重打结算单).

Theory of operation
-------------------
Supervisor password (as for a void) → :class:`SettleStatus` (answered locally: the
batch, and whether an unfinished settlement is to be continued: 结算未完成) → confirm →
:class:`SettleRequest`, which the shell runs to its end or to the step that stopped it
(``xpos.terminal.settle``: pending reversals, 0500, batch upload when unbalanced,
batch-upload end, X settlement, new batch; each step journaled before it is sent) →
the settlement slip (one copy, :func:`~xpos.core.settle_slip.settle_slip`) → 结算成功
with the domestic reconciliation result. A settlement that stopped half-way shows
结算未完成 and why; the next 结算 continues it, and no other transaction is taken until
it is done.

The reprint asks :class:`SettleReprintRequest` for the last settlement slip as first
printed and prints it with the 重打印 REPRINT mark (:func:`~xpos.core.slips.mark_reprint`).
"""

from __future__ import annotations

from xpos.core.batch import SettleSummary
from xpos.core.flows.common import (
    ask,
    go_online,
    notify,
    online_or_notify,
    outcome_text,
    print_document,
    supervisor_ok,
)
from xpos.core.flows.online import (
    Flow,
    FlowContext,
    Notice,
    Outcome,
    SettleReprintRequest,
    SettleRequest,
    SettleStatus,
)
from xpos.core.i18n import t
from xpos.core.settle_slip import settle_slip
from xpos.core.slips import mark_reprint
from xpos.core.steps import Confirm


def settle_flow(ctx: FlowContext) -> Flow:
    """Settle the current batch (or continue the unfinished settlement)."""
    title = t("settle.title", ctx.lang)
    status = yield from online_or_notify(ctx, title, SettleStatus())
    if status is None or not (yield from supervisor_ok(ctx, title)):
        return
    resume = status.notice is Notice.SETTLE_PENDING
    lines = [title, t("totals.batch", ctx.lang, batch=status.batch)]
    if resume:
        lines.append(t("online.settle_pending", ctx.lang))
    lines.append(t("settle.resume" if resume else "settle.confirm", ctx.lang))
    confirmed = yield from ask(Confirm(prompt="\n".join(lines)))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return
    reply = yield from go_online(SettleRequest())
    summary = reply.settlement
    if reply.outcome is not Outcome.APPROVED or summary is None:
        why = outcome_text(reply, ctx.lang)
        if reply.outcome is Outcome.NO_RESPONSE:
            why = t("outcome.no_reply", ctx.lang)
        if reply.notice is Notice.SETTLE_REFUSED:
            why = t("online.settle_refused", ctx.lang, rc=reply.rc or "")
        yield from notify(title, t("settle.unfinished", ctx.lang), why)
        return
    slip = settle_slip(summary, merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid)
    yield from print_document(ctx, slip)
    yield from notify(title, t("settle.done", ctx.lang), _result_line(ctx, summary))


def _result_line(ctx: FlowContext, summary: SettleSummary) -> str:
    key = "settle.balanced" if summary.domestic == "1" else "settle.unbalanced"
    return t(key, ctx.lang)


def settle_reprint_flow(ctx: FlowContext) -> Flow:
    """Reprint the last settlement slip with the 重打印 REPRINT mark."""
    title = t("settle.reprint_title", ctx.lang)
    found = yield from go_online(SettleReprintRequest())
    if found.outcome is not Outcome.APPROVED or not found.documents:
        yield from notify(title, "", t("settle.no_slip", ctx.lang))
        return
    for document in found.documents:
        if not (yield from print_document(ctx, mark_reprint(document))):
            return
    yield from notify(title, "", t("reprint.done", ctx.lang))
