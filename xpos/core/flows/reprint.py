"""Reprints (重打印, B2/B3): the last transaction's receipts, or one found by trace number.

The receipts come back from the journal's print record as first printed
(:class:`ReprintRequest`, answered locally); each is printed again with the 重打印 REPRINT
mark added by :func:`~xpos.core.slips.mark_reprint`, and nothing else changed. A receipt
that was lost (out of paper, the user gave up) is in the record too, so a reprint
recovers it; an approved card transaction that never got as far as a print record (a
power cut right after its commit) is laid out again from its journal row by the shell
(docs/operations.md, "The lost receipt"). An unknown trace number, or a transaction with
nothing to print, shows 无此交易.
"""

from __future__ import annotations

from collections.abc import Generator

from xpos.core.flows.common import ask, go_online, notify, print_document
from xpos.core.flows.online import Command, Flow, FlowContext, Outcome, ReprintRequest
from xpos.core.i18n import t
from xpos.core.slips import mark_reprint
from xpos.core.steps import Input, InputField

TRACE_LEN = 6
"""Digits of a trace number (凭证号, field 11)."""


def reprint_last_flow(ctx: FlowContext) -> Flow:
    """Reprint the receipts of the last transaction that printed any."""
    yield from _reprint(ctx, ReprintRequest())


def reprint_trace_flow(ctx: FlowContext) -> Flow:
    """Ask for a trace number and reprint that transaction's receipts."""
    field = InputField(label=t("reprint.trace", ctx.lang), max_len=TRACE_LEN)
    keyed = yield from ask(Input(prompt=t("reprint.trace_prompt", ctx.lang), fields=(field,)))
    if not keyed.ok:
        return
    yield from _reprint(ctx, ReprintRequest(stan=int(keyed.values[0])))


def _reprint(ctx: FlowContext, request: ReprintRequest) -> Generator[Command, object, None]:
    title = t("reprint.title", ctx.lang)
    found = yield from go_online(request)
    if found.outcome is not Outcome.APPROVED or not found.documents:
        yield from notify(title, "", t("reprint.not_found", ctx.lang))
        return
    for document in found.documents:
        printed = yield from print_document(ctx, mark_reprint(document))
        if not printed:
            return
    yield from notify(title, "", t("reprint.done", ctx.lang))
