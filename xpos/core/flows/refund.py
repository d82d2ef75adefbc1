"""Refund (退货) of a sale by its RRN and date; balance inquiry (查余额).

Refund: readiness → supervisor password (as for void) → the original's RRN (12 digits)
and date (MMDD) → :class:`RefundLookup` (the journal's copy of the original, shown if the
terminal has it; a sale of an earlier batch or day is not there, and the host decides)
→ the refund amount (partial allowed; the host checks it against what is left) → swipe
→ PIN only when ``refund_pin`` is set → confirm → Online(:class:`RefundRequest`). A
refund is never reversed: without a usable answer the flow says 退货结果未知 and the
merchant checks with the acquirer. On approval the merchant and customer copies of the
refund slip (amount as a credit) are printed.

Balance: readiness → swipe → PIN (required) → Online(:class:`BalanceRequest`) → the
balance on screen until a key is pressed. Nothing is printed.
"""

from __future__ import annotations

from collections.abc import Generator

from xpos.core.flows.card import abandon, amount_line, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import NO_TIME, ask, go_online, notify, opening, outcome_text, ready
from xpos.core.flows.online import (
    BalanceRequest,
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    RefundLookup,
    RefundRequest,
)
from xpos.core.i18n import t
from xpos.core.slips import RefundSlip, refund_slip
from xpos.core.steps import AmountStep, Confirm, Display, Input, InputField, ReadCard
from xpos.model import CardData, CardSource, format_fen

RRN_LEN = 12
DATE_LEN = 4
BALANCE_SHOWN_S = 60.0
"""How long the balance stays on screen without a key."""
REFUSALS = {"25": "refund.unknown_rrn", "12": "refund.not_refundable", "61": "refund.over"}
"""The reference host's refund refusals (docs/reference-host.md) → their own words."""


def refund_flow(ctx: FlowContext) -> Flow:
    """Run one refund (full or partial) of a sale named by RRN and date."""
    title = t("refund.title", ctx.lang)
    if not (yield from opening(ctx, title, supervisor=True)):
        return
    named = yield from _original(ctx, title)
    if named is None:
        return
    rrn, date = named
    keyed = yield from ask(AmountStep(prompt=t("refund.amount", ctx.lang)))
    if not keyed.ok:
        return
    amount = keyed.amount
    card = yield from swipe_card(ctx, title, amount)
    if card is None:
        return
    pin_block: bytes | None = None
    if ctx.refund_pin:
        pin = yield from enter_pin(ctx, title, card, amount)
        if pin is None:
            return
        pin_block = pin.block
    prompt = "\n".join((title, card.masked_pan, amount_line(ctx, amount),
                        t("refund.confirm", ctx.lang)))
    confirmed = yield from ask(Confirm(prompt=prompt))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return
    reply = yield from go_online(RefundRequest(rrn=rrn, date=date, amount=amount, card=card,
                                               pin_block=pin_block))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", refusal_text(ctx, reply))
        return
    slip = _slip(ctx, card, rrn, date, reply)
    yield from print_copies(ctx, lambda copy: refund_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang), amount_line(ctx, amount))


def refusal_text(ctx: FlowContext, reply: OnlineReply) -> str:
    """Why the refund failed, in words (the host's refund codes have their own)."""
    if reply.outcome is Outcome.DECLINED and reply.notice is None and reply.rc in REFUSALS:
        return t(REFUSALS[reply.rc], ctx.lang)
    return outcome_text(reply, ctx.lang)


def valid_date(mmdd: str) -> bool:
    """True for a plausible MMDD (month 01-12, day 01-31)."""
    return (len(mmdd) == DATE_LEN and mmdd.isdigit() and 1 <= int(mmdd[:2]) <= 12
            and 1 <= int(mmdd[2:]) <= 31)


def _original(ctx: FlowContext, title: str) -> Generator[Command, object, tuple[str, str] | None]:
    """Key the original's RRN and date; show the journal's copy of it if there is one."""
    rrn_field = InputField(label=t("refund.rrn", ctx.lang), min_len=RRN_LEN, max_len=RRN_LEN)
    keyed = yield from ask(Input(prompt=t("refund.rrn_prompt", ctx.lang), fields=(rrn_field,)))
    if not keyed.ok:
        return None
    date_field = InputField(label=t("refund.date", ctx.lang), min_len=DATE_LEN,
                            max_len=DATE_LEN)
    dated = yield from ask(Input(prompt=t("refund.date_prompt", ctx.lang), fields=(date_field,)))
    if not dated.ok:
        return None
    rrn, date = keyed.values[0], dated.values[0]
    if not valid_date(date):
        yield from notify(title, "", t("refund.bad_date", ctx.lang))
        return None
    found = yield from go_online(RefundLookup(rrn=rrn, date=date))
    if found.outcome is Outcome.APPROVED:
        lines = (title, t("refund.original", ctx.lang, stan=found.stan), t("void.card", ctx.lang),
                 found.masked_pan, amount_line(ctx, found.amount))
        shown = yield from ask(Display(lines=lines, wait_key=True, timeout_s=BALANCE_SHOWN_S))
        if not shown.ok:
            return None
    return rrn, date


def _slip(ctx: FlowContext, card: CardData, rrn: str, date: str,
          reply: OnlineReply) -> RefundSlip:
    return RefundSlip(
        merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid, operator=ctx.operator,
        masked_pan=reply.masked_pan or card.masked_pan, expiry=card.expiry,
        batch=reply.batch, stan=reply.stan, auth_code=reply.auth_code, rrn=reply.rrn,
        when=reply.when or NO_TIME, amount=reply.amount, original_rrn=rrn,
        original_date=date)


def balance_flow(ctx: FlowContext) -> Flow:
    """Run one balance inquiry: swipe, PIN, the balance on screen (never printed)."""
    title = t("balance.title", ctx.lang)
    if not (yield from ready(ctx, title)):
        return
    read = yield from ask(ReadCard(prompt="\n".join((title, "", t("sale.swipe", ctx.lang))),
                                   sources=frozenset({CardSource.SWIPE})))
    if not read.ok:
        yield from abandon(ctx, title, read, timeout_key="card.timeout")
        return
    if read.card is None or not read.card.pan:
        yield from notify(title, "", t("card.no_pan", ctx.lang))
        return
    card = read.card
    pin = yield from enter_pin(ctx, title, card, 0)
    if pin is None:
        return
    reply = yield from go_online(BalanceRequest(card=card, pin_block=pin.block))
    if reply.outcome is not Outcome.APPROVED or reply.balance is None:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
        return
    shown = t("balance.shown", ctx.lang, amount=_signed(reply.balance))
    yield from ask(Display(lines=(title, card.masked_pan, "", shown), wait_key=True,
                           timeout_s=BALANCE_SHOWN_S))


def _signed(balance: int) -> str:
    return ("-" if balance < 0 else "") + format_fen(abs(balance))
