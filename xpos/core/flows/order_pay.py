"""X2 order payment (订单支付) by bank card or third-party card, and journey J1.

Readiness → the order number or coupon number, keyed (ended with ``#``) or scanned →
Online(:class:`OrderQuery`): the platform (and, for a coupon, its provider) answers
with the order and the amount due now (full, partial, deposit, after a coupon, points
or a discount; the reason is shown) → the order shown and confirmed → how to pay:

1. 银行卡 (bank card): swipe → PIN → Online(:class:`OrderBankPay`): the runtime journals
   the payment, runs a real bank sale (journal before send, reversal) and then sends the
   order-paid notice naming the bank leg. Printed: the bank slip (merchant copy with the
   signature line, customer copy, both with the order number), then the order slip.
2. 第三方卡 (third-party card, e.g. the platform's member card): swipe → its password on
   the PIN pad (ENTER alone when the card has none) → Online(:class:`OrderPartyPay`): a
   platform debit journaled with its reversal like a sale, then the order-paid notice.
   Printed: the order slip.
3. 组合支付 (combined): third-party balance first, the rest by bank card
   (:mod:`xpos.core.flows.order_combo`).

Then 支付成功. A refusal shows the reason and the platform's own words (DF26).
"""

from __future__ import annotations

import functools
from collections.abc import Generator

from xpos.core.flows.card import amount_line, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    host_lines,
    notify,
    outcome_text,
    print_slip,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    OrderBankPay,
    OrderDetails,
    OrderPartyPay,
    OrderQuery,
    Outcome,
    ReadinessRequest,
)
from xpos.core.i18n import CATALOGUE, t
from xpos.core.order_slips import OrderSlip, order_bank_slip, order_slip
from xpos.core.slips import SaleSlip
from xpos.core.steps import Confirm, Input, InputField, ReadCard, Select
from xpos.model import CardData, CardSource, format_fen
from xpos.model.textwidth import printable

CODE_MAX_LEN = 32
"""Longest order or coupon number accepted."""


def order_pay_flow(ctx: FlowContext) -> Flow:
    """Pay one order of the platform by bank card and PIN."""
    title = t("order.title", ctx.lang)
    ready = yield from go_online(ReadinessRequest())
    if ready.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(ready, ctx.lang))
        return
    order = yield from _find_order(ctx, title)
    if order is None:
        return
    method = yield from ask(Select(title=t("order.method", ctx.lang), items=(
        ("bank", t("order.by_bank", ctx.lang)), ("party", t("order.by_party", ctx.lang)),
        ("combo", t("order.by_combo", ctx.lang)))))
    if not method.ok:
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return
    if method.id == "combo":  # third-party balance first, the rest by bank card
        from xpos.core.flows.order_combo import combo_flow
        yield from combo_flow(ctx, title, order)
        return
    if method.id == "party":
        yield from _pay_by_party(ctx, title, order)
        return
    card = yield from swipe_card(ctx, title, order.due)
    if card is None:
        return
    pin = yield from enter_pin(ctx, title, card, order.due)
    if pin is None:
        return
    paid = yield from go_online(OrderBankPay(order_no=order.order_no, amount=order.due,
                                             card=card, pin_block=pin.block))
    if paid.outcome is not Outcome.APPROVED:
        yield from notify(title, "", refusal_text(ctx, paid), *host_lines(paid.message))
        return
    bank = _bank_slip(ctx, card, order.due, paid)
    yield from print_copies(ctx, lambda copy: order_bank_slip(bank, order.order_no, copy=copy))
    if paid.notice is None:
        slip = _order_slip(ctx, order, card, paid)
        yield from print_slip(ctx, functools.partial(order_slip, slip))
        yield from notify(title, "", t("order.paid", ctx.lang), amount_line(ctx, order.due))
        return
    yield from notify(title, "", outcome_text(paid, ctx.lang), *host_lines(paid.message))


def _pay_by_party(ctx: FlowContext, title: str, order: OrderDetails) -> Flow:
    """Third-party card: swipe, its password (PIN pad), the platform debit, the order slip."""
    prompt = "\n".join((title, amount_line(ctx, order.due), "", t("order.party_swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=frozenset({CardSource.SWIPE})))
    if not read.ok or read.card is None or not read.card.pan:
        yield from notify(title, "", t("card.no_pan" if read.ok else "txn.cancelled", ctx.lang))
        return
    card = read.card
    pin = yield from enter_pin(ctx, title, card, order.due)
    if pin is None:
        return
    paid = yield from go_online(OrderPartyPay(order_no=order.order_no, amount=order.due,
                                              card=card, pin_block=pin.block))
    if paid.outcome is not Outcome.APPROVED:
        yield from notify(title, "", refusal_text(ctx, paid), *host_lines(paid.message))
        return
    if paid.notice is None:
        slip = _order_slip(ctx, order, card, paid, by="第三方卡 PARTY CARD")
        yield from print_slip(ctx, functools.partial(order_slip, slip))
        yield from notify(title, "", t("order.paid", ctx.lang), amount_line(ctx, order.due))
        return
    yield from notify(title, "", outcome_text(paid, ctx.lang), *host_lines(paid.message))


def refusal_text(ctx: FlowContext, reply: OnlineReply) -> str:
    """Why an order step failed: the order codes (25, P1, P2) in order words, else generic."""
    key = f"order.rc.{reply.rc}"
    if reply.outcome is Outcome.DECLINED and reply.notice is None and key in CATALOGUE:
        return t(key, ctx.lang)
    return outcome_text(reply, ctx.lang)


def _find_order(ctx: FlowContext,
                title: str) -> Generator[Command, object, OrderDetails | None]:
    """Key or scan the order/coupon number, query it, show it and have it confirmed."""
    field = InputField(label=t("order.code", ctx.lang), max_len=CODE_MAX_LEN, kind="alnum")
    keyed = yield from ask(Input(prompt=t("order.prompt", ctx.lang), fields=(field,),
                                 sources=frozenset({CardSource.SCAN})))
    if not keyed.ok:
        return None
    code = keyed.card.code if keyed.card is not None and keyed.card.code else keyed.values[0]
    found = yield from go_online(OrderQuery(code=code))
    order = found.order
    if found.outcome is not Outcome.APPROVED or order is None:
        yield from notify(title, "", refusal_text(ctx, found), *host_lines(found.message))
        return None
    lines = [title, *host_lines(order.title)[:2]]
    if order.reason:
        lines.append(t("order.total", ctx.lang, amount=format_fen(order.total)))
        lines.extend(host_lines(order.reason)[:1])
    lines += [t("order.due", ctx.lang, amount=format_fen(order.due)), t("order.confirm", ctx.lang)]
    confirmed = yield from ask(Confirm(prompt="\n".join(lines)))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return None
    return order


def _bank_slip(ctx: FlowContext, card: CardData, amount: int, reply: OnlineReply) -> SaleSlip:
    return SaleSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                    operator=ctx.operator, masked_pan=reply.masked_pan or card.masked_pan,
                    expiry=card.expiry, batch=reply.batch, stan=reply.stan,
                    auth_code=reply.auth_code, rrn=reply.rrn, when=reply.when or NO_TIME,
                    amount=amount)


def _order_slip(ctx: FlowContext, order: OrderDetails, card: CardData,
                reply: OnlineReply, *, by: str = "银行卡 BANK CARD") -> OrderSlip:
    paid_by = f"{by} {reply.masked_pan or card.masked_pan}"
    return OrderSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                     order_no=printable(order.order_no), title=order.title,
                     total=order.total, due=order.due, reason=order.reason, paid_by=paid_by,
                     batch=reply.batch, stan=reply.stan, rrn=reply.rrn,
                     when=reply.when or NO_TIME)

