"""X2 combined payment (组合支付): third-party balance first, the rest by bank card.

Reached from :func:`xpos.core.flows.order_pay.order_pay_flow` once the order is
confirmed. Third-party card swiped → its password → Online(:class:`OrderComboPay`
``party``): the platform debits the card's balance (at most the amount due); when that
pays it all, the order is paid (order slip). Else the rest is shown → bank card → PIN →
Online(``bank``): a real bank sale of the rest, then the order-paid notice naming both
legs; printed: the bank slip (two copies) and the order slip naming both cards.

Any leg that fails undoes the legs before it: a bank leg declined or without an answer,
or a customer who cancels the bank card or PIN, gets the third-party debit undone
(Online(``undo``) when the customer cancels; the runtime does it itself for a failed
bank leg) and 第三方卡扣款已退回 shown.
"""

from __future__ import annotations

import functools

from xpos.core.flows.card import amount_line, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    ask,
    go_online,
    host_lines,
    notify,
    outcome_text,
    print_slip,
)
from xpos.core.flows.online import Flow, FlowContext, OrderComboPay, OrderDetails, Outcome
from xpos.core.i18n import t
from xpos.core.order_slips import order_bank_slip, order_slip
from xpos.core.steps import ReadCard
from xpos.model import CardSource, format_fen


def combo_flow(ctx: FlowContext, title: str, order: OrderDetails) -> Flow:
    """Pay ``order`` by third-party balance first, the rest by bank card."""
    from xpos.core.flows.order_pay import _bank_slip, _order_slip, refusal_text

    prompt = "\n".join((title, amount_line(ctx, order.due), "", t("order.party_swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=frozenset({CardSource.SWIPE})))
    if not read.ok or read.card is None or not read.card.pan:
        yield from notify(title, "", t("card.no_pan" if read.ok else "txn.cancelled", ctx.lang))
        return
    party_card = read.card
    pin = yield from enter_pin(ctx, title, party_card, order.due)
    if pin is None:
        return
    party = yield from go_online(OrderComboPay(leg="party", order_no=order.order_no,
                                               amount=order.due, card=party_card,
                                               pin_block=pin.block))
    if party.outcome is not Outcome.APPROVED:
        yield from notify(title, "", refusal_text(ctx, party), *host_lines(party.message))
        return
    if party.amount >= order.due:  # the balance paid it all
        if party.notice is not None:  # debited; the order-paid notice goes later
            yield from notify(title, "", outcome_text(party, ctx.lang),
                              *host_lines(party.message))
            return
        slip = _order_slip(ctx, order, party_card, party, by="第三方卡 PARTY CARD")
        yield from print_slip(ctx, functools.partial(order_slip, slip))
        yield from notify(title, "", t("order.paid", ctx.lang), amount_line(ctx, order.due))
        return
    rest = order.due - party.amount
    paid_line = t("order.combo_party", ctx.lang, amount=format_fen(party.amount))
    card = yield from swipe_card(ctx, f"{title}\n{paid_line}", rest)
    pin2 = None if card is None else (yield from enter_pin(ctx, title, card, rest))
    if card is None or pin2 is None:
        yield from go_online(OrderComboPay(leg="undo", order_no=order.order_no))
        yield from notify(title, "", t("txn.cancelled", ctx.lang),
                          t("order.combo_undone", ctx.lang))
        return
    paid = yield from go_online(OrderComboPay(leg="bank", order_no=order.order_no,
                                              amount=rest, card=card, pin_block=pin2.block))
    if paid.outcome is not Outcome.APPROVED:
        yield from notify(title, refusal_text(ctx, paid), t("order.combo_undone", ctx.lang),
                          *host_lines(paid.message))
        return
    bank = _bank_slip(ctx, card, rest, paid)
    yield from print_copies(ctx, lambda copy: order_bank_slip(bank, order.order_no, copy=copy))
    by = f"第三方卡 PARTY {party.masked_pan or party_card.masked_pan} {format_fen(party.amount)}" \
         f" + 银行卡 BANK"
    slip = _order_slip(ctx, order, card, paid, by=by)
    yield from print_slip(ctx, functools.partial(order_slip, slip))
    if paid.notice is None:
        yield from notify(title, "", t("order.paid", ctx.lang), amount_line(ctx, order.due))
        return
    yield from notify(title, "", outcome_text(paid, ctx.lang), *host_lines(paid.message))
