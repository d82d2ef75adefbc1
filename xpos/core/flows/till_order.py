"""X2 order payment started by the till (``CM=XPAY``): the till names the order.

Theory of operation: as the menu's order payment (:mod:`xpos.core.flows.order_pay`) but
the order number comes from the till (``ON``) instead of being keyed or scanned, and the
order is not confirmed by the operator (the till's operator chose it). Readiness →
Online(:class:`OrderQuery`) (refused: ``DC`` with the order words, 无此订单, 订单已支付 …)
→ the customer chooses how to pay on the terminal, bank card (swipe, PIN,
:class:`OrderBankPay`), third-party card (swipe, its password, :class:`OrderPartyPay`) or
combined (:mod:`xpos.core.flows.till_combo`: balance first, the rest by bank card)
→ one :class:`~xpos.core.flows.till.TillAnswer` (amount = the amount due now, masked
card, auth code, trace, RRN) → the slips as from the menu. A payment whose money leg was
approved but whose order-paid notice is still to be sent is answered approved (the money
was taken; the notice is sent again by the terminal) with the notice's words as text.
"""

from __future__ import annotations

import functools

from xpos.core.flows.card import amount_line, print_copies
from xpos.core.flows.common import ask, go_online, host_lines, notify, outcome_text, print_slip
from xpos.core.flows.online import (
    FlowContext,
    OnlineReply,
    OrderBankPay,
    OrderDetails,
    OrderPartyPay,
    OrderQuery,
    Outcome,
)
from xpos.core.flows.order_pay import _bank_slip, _order_slip, refusal_text
from xpos.core.flows.till import (
    TillAnswer,
    TillFlow,
    TillOrder,
    TillStatus,
    _pin,
    _ready,
    _swipe,
)
from xpos.core.i18n import t
from xpos.core.order_slips import order_bank_slip, order_slip
from xpos.core.steps import Select
from xpos.model import CardData, format_fen


def till_order_pay(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """Pay the till's order (``order.order_no``) by bank or third-party card, then answer."""
    title = t("order.title", ctx.lang)
    if not order.order_no:
        yield TillAnswer(status=TillStatus.DECLINED, text=t("order.rc.25", ctx.lang))
        return
    if not (yield from _ready(ctx, title)):
        return
    found = yield from go_online(OrderQuery(code=order.order_no))
    details = found.order
    if found.outcome is not Outcome.APPROVED or details is None:
        yield from _refuse(ctx, title, found)
        return
    lines = (*host_lines(details.title)[:1],
             t("order.due", ctx.lang, amount=format_fen(details.due)))
    method = yield from ask(Select(title="\n".join((t("order.method", ctx.lang), *lines)),
                                   items=(("bank", t("order.by_bank", ctx.lang)),
                                          ("party", t("order.by_party", ctx.lang)),
                                          ("combo", t("order.by_combo", ctx.lang)))))
    if not method.ok:
        yield TillAnswer(status=TillStatus.CANCELLED, text=t("txn.cancelled", ctx.lang))
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return
    if method.id == "combo":  # third-party balance first, the rest by bank card
        from xpos.core.flows.till_combo import till_combo  # it builds on this module
        yield from till_combo(ctx, title, details)
        return
    party = method.id == "party"
    prompt = t("order.party_swipe", ctx.lang) if party else None
    card = yield from _swipe(ctx, title, details.due, prompt=prompt)
    if card is None:
        return
    block = yield from _pin(ctx, title, card, details.due)
    if block is None:
        return
    request = (OrderPartyPay if party else OrderBankPay)(
        order_no=details.order_no, amount=details.due, card=card, pin_block=block[0])
    paid = yield from go_online(request)
    if paid.outcome is not Outcome.APPROVED:
        yield from _refuse(ctx, title, paid)
        return
    text = t("order.paid", ctx.lang) if paid.notice is None else outcome_text(paid, ctx.lang)
    yield TillAnswer(status=TillStatus.APPROVED, text=text, host_rc=paid.rc or "00",
                     amount=details.due, masked_pan=paid.masked_pan or card.masked_pan,
                     auth_code=paid.auth_code, trace=paid.stan, rrn=paid.rrn)
    yield from _print(ctx, details, card, paid, party=party)
    yield from notify(title, "", text, amount_line(ctx, details.due))


def _print(ctx: FlowContext, details: OrderDetails, card: CardData, paid: OnlineReply, *,
           party: bool) -> TillFlow:
    if not party:
        bank = _bank_slip(ctx, card, details.due, paid)
        yield from print_copies(
            ctx, lambda copy: order_bank_slip(bank, details.order_no, copy=copy))
    if paid.notice is None:
        by = "第三方卡 PARTY CARD" if party else "银行卡 BANK CARD"
        slip = _order_slip(ctx, details, card, paid, by=by)
        yield from print_slip(ctx, functools.partial(order_slip, slip))


def _refuse(ctx: FlowContext, title: str, reply: OnlineReply) -> TillFlow:
    text = refusal_text(ctx, reply)
    declined = reply.outcome is Outcome.DECLINED or reply.notice is not None
    yield TillAnswer(status=TillStatus.DECLINED if declined else TillStatus.ERROR, text=text,
                     host_rc=reply.rc or "", trace=reply.stan)
    yield from notify(title, "", text, *host_lines(reply.message))
