"""X4: look up local X-menu records and print them; the X batch's totals.

:func:`x_records_flow`: how to search (凭证号 trace, 订单号 order, 券号 voucher code,
日期 date) → the value keyed (or scanned, for an order or voucher code) →
Online(:class:`XRecordsRequest`), answered from the journal → the records shown, one
per page (any key turns the page; a record taller than the display, ``ctx.geometry``,
goes on as many pages as it needs) → printed on request.

:func:`x_totals_flow`: the totals of the current X batch (the X part of B1) on screen,
printed on request.
"""

from __future__ import annotations

import functools
from collections.abc import Generator

from xpos.core.flows.common import ask, go_online, notify, print_slip
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    Outcome,
    TotalsRequest,
    XRecord,
    XRecordsRequest,
)
from xpos.core.geometry import pages as cut_pages
from xpos.core.i18n import t
from xpos.core.order_slips import X_KIND_LABELS, XRecordLine, x_records_slip
from xpos.core.screen import right
from xpos.core.slips import TotalsSlip, net_amount, totals_slip
from xpos.core.steps import Confirm, Display, Input, InputField, Select
from xpos.model import CardSource, format_fen

PAGE_TIMEOUT_S = 60.0
"""A page left unread this long ends the flow."""
_FIELDS = {"trace": ("digits", 1, 6), "order": ("alnum", 1, 32), "code": ("alnum", 1, 32),
           "date": ("digits", 8, 8)}


def x_records_flow(ctx: FlowContext) -> Flow:
    """Find X records by trace, order, voucher code or date; show; print on request."""
    title = t("xrec.title", ctx.lang)
    how = yield from ask(Select(title=title, items=tuple(
        (by, t(f"xrec.by.{by}", ctx.lang)) for by in _FIELDS)))
    if not how.ok:
        return
    kind, shortest, longest = _FIELDS[how.id]
    field = InputField(label=t(f"xrec.by.{how.id}", ctx.lang), min_len=shortest,
                       max_len=longest, kind=kind)
    sources = frozenset({CardSource.SCAN}) if kind == "alnum" else frozenset()
    keyed = yield from ask(Input(prompt=t(f"xrec.prompt.{how.id}", ctx.lang), fields=(field,),
                                 sources=sources))
    if not keyed.ok:
        return
    value = keyed.card.code if keyed.card is not None and keyed.card.code else keyed.values[0]
    found = yield from go_online(XRecordsRequest(by=how.id, value=value))
    if found.outcome is not Outcome.APPROVED or not found.records:
        yield from notify(title, "", t("xrec.none", ctx.lang))
        return
    for number, record in enumerate(found.records, start=1):
        head = f"{title} {number}/{len(found.records)}"
        for part in cut_pages(record_rows(ctx.lang, record), ctx.geometry.body_rows):
            shown = yield from ask(Display(lines=(head, *part), wait_key=True,
                                           timeout_s=PAGE_TIMEOUT_S))
            if not shown.ok:
                return
    wanted = yield from ask(Confirm(prompt=t("xrec.print", ctx.lang)))
    if wanted.ok and wanted.yes:
        lines = tuple(XRecordLine(stan=r.stan, kind=r.kind, status=r.status, amount=r.amount,
                                  ref=r.ref, when=r.when) for r in found.records)
        layout = functools.partial(x_records_slip, merchant_name=ctx.merchant_name,
                                   mid=ctx.mid, tid=ctx.tid, title=f"{how.id}: {value}",
                                   records=lines)
        yield from print_slip(ctx, layout)


def record_rows(lang: str, record: XRecord) -> tuple[str, ...]:
    """One record as display rows (the reference masked as the journal keeps it)."""
    label = X_KIND_LABELS.get(record.kind, record.kind).split("/")[0 if lang != "en" else -1]
    rows = [t("xrec.trace", lang, stan=record.stan), label,
            t("pin.amount", lang, amount=format_fen(record.amount)),
            t(f"xrec.st.{record.status}", lang)]
    if record.ref:
        rows.append(record.ref[-20:])
    if record.when is not None:
        rows.append(record.when.strftime("%Y/%m/%d %H:%M"))
    return tuple(rows)


def x_totals_flow(ctx: FlowContext) -> Flow:
    """The current X batch's totals on screen, then printed on request."""
    title = t("xrec.totals", ctx.lang)
    reply = yield from go_online(TotalsRequest(domain="x"))
    lines = tuple(line for line in reply.totals if line.domain == "x")
    rows = [t("totals.batch", ctx.lang, batch=reply.batch)]
    for line in lines:
        label = X_KIND_LABELS.get(line.kind, line.kind).split("/")[0 if ctx.lang != "en" else -1]
        rows += [t("totals.count", ctx.lang, label=label, count=line.count),
                 right(format_fen(line.amount))]
    count = sum(line.count for line in lines)
    rows += [t("totals.sum", ctx.lang, count=count), right(format_fen(net_amount(lines)))]
    if not (yield from _pages(title, rows, ctx.geometry.body_rows)):
        return
    wanted = yield from ask(Confirm(prompt=t("totals.print", ctx.lang)))
    if wanted.ok and wanted.yes and reply.when is not None:
        slip = TotalsSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                          batch=reply.batch, when=reply.when, lines=lines)
        yield from print_slip(ctx, functools.partial(totals_slip, slip))


def _pages(title: str, rows: list[str], size: int) -> Generator[Command, object, bool]:
    pages = cut_pages(rows, size)
    for number, page in enumerate(pages, start=1):
        shown = yield from ask(Display(lines=(f"{title} {number}/{len(pages)}", *page),
                                       wait_key=True, timeout_s=PAGE_TIMEOUT_S))
        if not shown.ok:
            return False
    return True
