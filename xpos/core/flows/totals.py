"""Totals (交易汇总, B1): the current batch by transaction type, on screen and printed.

Pre-auths and pre-auth voids are listed but are not sales: 合计 leaves them out;
completions count, completion voids are subtracted like voids.

:class:`TotalsRequest` is answered locally from the journal: approved, not reversed
transactions of the current batch (since the last settlement), counted and summed (fen)
per kind, bank and X-menu batches apart. The screen shows them on as many pages as
needed (``ctx.geometry.body_rows`` rows each under the page title: 6 on the standard 8 x 20
display; any key turns the page); then the totals slip is printed if the user says yes.
"""

from __future__ import annotations

import functools
from collections.abc import Generator

from xpos.core.flows.common import NO_TIME, ask, go_online, notify, outcome_text, print_slip
from xpos.core.flows.online import Command, Flow, FlowContext, OnlineReply, Outcome, TotalsRequest
from xpos.core.geometry import pages as cut_pages
from xpos.core.i18n import CATALOGUE, t
from xpos.core.screen import right
from xpos.core.slips import (
    DOMAIN_LINES,
    NOT_SALES,
    TotalsLine,
    TotalsSlip,
    net_amount,
    totals_slip,
)
from xpos.core.steps import Confirm, Display
from xpos.model import format_fen

PAGE_TIMEOUT_S = 60.0
"""A page left unread this long ends the flow (back to the menu)."""


def totals_flow(ctx: FlowContext) -> Flow:
    """Show the current batch's totals, then print them on request."""
    reply = yield from go_online(TotalsRequest())
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(t("totals.title", ctx.lang), "", outcome_text(reply, ctx.lang))
        return
    shown = yield from _show_pages(ctx, screen_lines(ctx.lang, reply.batch, reply.totals))
    if not shown:
        return
    wanted = yield from ask(Confirm(prompt=t("totals.print", ctx.lang)))
    if wanted.ok and wanted.yes:
        yield from print_slip(ctx, functools.partial(totals_slip, _slip(ctx, reply)))


def screen_lines(lang: str, batch: int, lines: tuple[TotalsLine, ...]) -> list[str]:
    """The totals as display rows: batch, then each domain's kinds and its total."""
    rows = [t("totals.batch", lang, batch=batch)]
    for domain in DOMAIN_LINES:
        rows.append(t(f"totals.{domain}", lang))
        mine = [line for line in lines if line.domain == domain]
        if not mine:
            rows.append("  " + t("totals.none", lang))
            continue
        for line in mine:
            rows += [t("totals.count", lang, label=_kind(line.kind, lang), count=line.count),
                     right(format_fen(line.amount))]
        count = sum(x.count for x in mine if x.kind not in NOT_SALES)
        amount = net_amount(mine)
        rows += [t("totals.sum", lang, count=count), right(format_fen(amount))]
    return rows


def _kind(kind: str, lang: str) -> str:
    key = f"totals.kind.{kind}"
    return t(key, lang) if key in CATALOGUE else kind


def _show_pages(ctx: FlowContext, rows: list[str]) -> Generator[Command, object, bool]:
    pages = cut_pages(rows, ctx.geometry.body_rows)  # the title takes one row, a key hint one
    for number, page in enumerate(pages, start=1):
        head = t("totals.page", ctx.lang, page=number, pages=len(pages))
        step = Display(lines=(head, *page), wait_key=True, timeout_s=PAGE_TIMEOUT_S)
        shown = yield from ask(step)
        if not shown.ok:
            return False
    return True


def _slip(ctx: FlowContext, reply: OnlineReply) -> TotalsSlip:
    return TotalsSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                      batch=reply.batch, when=reply.when or NO_TIME, lines=reply.totals)
