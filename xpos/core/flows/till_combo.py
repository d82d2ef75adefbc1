"""X2 combined payment (组合支付) of the till's order: third-party balance, then bank card.

Theory of operation: as the menu's combined payment (:mod:`xpos.core.flows.order_combo`),
reached from :func:`xpos.core.flows.till_order.till_order_pay` when the customer chooses
组合支付, but every end yields one :class:`~xpos.core.flows.till.TillAnswer`:

* third-party card swiped → its password → Online(:class:`OrderComboPay` ``party``).
  Refused: ``DC`` with the card's or the order's words; nothing was taken.
* its balance paid it all: ``00``, ``AM`` the amount due, the third-party leg in both
  the card fields (``PN``/``AC``/``TR``/``RR``) and the third-party fields
  (``XA``/``XT``/``XC``); the order slip.
* else the rest is shown → bank card → PIN → Online(``bank``): approved: ``00``, ``AM``
  the amount due, ``PN``/``AC``/``TR``/``RR`` of the bank leg, ``XA``/``XT``/``XC`` of the
  third-party leg; the bank slip (two copies) and the order slip naming both cards.
* the bank leg declined or without an answer (the shell undoes the third-party debit
  itself), or the customer gives up before it (Online(``undo``) first, so the till is
  answered only once the debit is being given back): ``DC``/``ER``/``CN``/``TO`` with
  第三方卡扣款已退回 in ``TX``.
* the order-paid notice refused (the shell undoes both legs): ``DC`` with
  订单未确认 款项已撤销.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from dataclasses import replace

from xpos.core.flows.card import amount_line, print_copies
from xpos.core.flows.common import ask, go_online, host_lines, notify, outcome_text, print_slip
from xpos.core.flows.online import FlowContext, OnlineReply, OrderComboPay, OrderDetails, Outcome
from xpos.core.flows.order_pay import _bank_slip, _order_slip, refusal_text
from xpos.core.flows.till import (
    TillAnswer,
    TillCommand,
    TillFlow,
    TillStatus,
    _pin,
    _refusal_status,
    _swipe,
)
from xpos.core.i18n import t
from xpos.core.order_slips import order_bank_slip, order_slip
from xpos.core.steps import PinStep, ReadCard, ResultCode
from xpos.model import CardData, CardSource, format_fen


def till_combo(ctx: FlowContext, title: str, details: OrderDetails) -> TillFlow:
    """Pay the till's order by third-party balance first, the rest by bank card."""
    party_card = yield from _swipe(ctx, title, details.due,
                                   prompt=t("order.party_swipe", ctx.lang))
    if party_card is None:
        return
    block = yield from _pin(ctx, title, party_card, details.due)
    if block is None:
        return
    party = yield from go_online(OrderComboPay(leg="party", order_no=details.order_no,
                                               amount=details.due, card=party_card,
                                               pin_block=block[0]))
    if party.outcome is not Outcome.APPROVED:
        yield from _refused(ctx, title, party, refusal_text(ctx, party))
        return
    if party.amount >= details.due:  # the balance paid it all
        yield from _balance_paid_all(ctx, title, details, party_card, party)
        return
    rest = details.due - party.amount
    card = yield from _bank_card(ctx, title, details, party, rest)
    if card is None:
        return
    paid = yield from go_online(OrderComboPay(leg="bank", order_no=details.order_no,
                                              amount=rest, card=card[0], pin_block=card[1]))
    if paid.outcome is not Outcome.APPROVED:
        text = "\n".join((refusal_text(ctx, paid), t("order.combo_undone", ctx.lang)))
        yield from _refused(ctx, title, paid, text)
        return
    text = t("order.paid", ctx.lang) if paid.notice is None else outcome_text(paid, ctx.lang)
    yield _with_party(TillAnswer(
        status=TillStatus.APPROVED, text=text, host_rc=paid.rc or "00", amount=details.due,
        masked_pan=paid.masked_pan or card[0].masked_pan, auth_code=paid.auth_code,
        trace=paid.stan, rrn=paid.rrn), party, party_card)
    bank = _bank_slip(ctx, card[0], rest, paid)
    yield from print_copies(ctx, lambda copy: order_bank_slip(bank, details.order_no, copy=copy))
    by = (f"第三方卡 PARTY {party.masked_pan or party_card.masked_pan} "
          f"{format_fen(party.amount)} + 银行卡 BANK")
    slip = _order_slip(ctx, details, card[0], paid, by=by)
    yield from print_slip(ctx, functools.partial(order_slip, slip))
    yield from notify(title, "", text, *host_lines(paid.message))


def _bank_card(ctx: FlowContext, title: str, details: OrderDetails, party: OnlineReply,
               rest: int) -> Generator[TillCommand, object, tuple[CardData, bytes | None] | None]:
    """Swipe and PIN of the bank leg: ``(card, PIN block)``; or, when the customer gives
    up, the debit undone, the till answered, and ``None``."""
    paid_line = t("order.combo_party", ctx.lang, amount=format_fen(party.amount))
    prompt = "\n".join((title, t("till.from", ctx.lang), paid_line, amount_line(ctx, rest),
                        t("sale.swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=frozenset({CardSource.SWIPE})))
    card = read.card if read.ok and read.card is not None and read.card.pan else None
    code, why = read.code, "card.timeout"
    if card is not None:
        pin = yield from ask(PinStep(pan=card.pan, amount=rest, timeout_s=ctx.pin_timeout_s))
        if pin.ok:
            return card, pin.block
        code, why = pin.code, "pin.timeout"
    yield from go_online(OrderComboPay(leg="undo", order_no=details.order_no))
    if read.ok and card is None:
        status, text = TillStatus.DECLINED, t("card.no_pan", ctx.lang)
    elif code is ResultCode.TIMEOUT:
        status, text = TillStatus.TIMEOUT, t(why, ctx.lang)
    else:
        status, text = TillStatus.CANCELLED, t("txn.cancelled", ctx.lang)
    undone = t("order.combo_undone", ctx.lang)
    yield TillAnswer(status=status, text=f"{text}\n{undone}")
    yield from notify(title, "", text, undone)
    return None


def _balance_paid_all(ctx: FlowContext, title: str, details: OrderDetails,
                      party_card: CardData, party: OnlineReply) -> TillFlow:
    text = t("order.paid", ctx.lang) if party.notice is None else outcome_text(party, ctx.lang)
    yield _with_party(TillAnswer(
        status=TillStatus.APPROVED, text=text, host_rc=party.rc or "00", amount=details.due,
        masked_pan=party.masked_pan or party_card.masked_pan, auth_code=party.auth_code,
        trace=party.stan, rrn=party.rrn), party, party_card)
    if party.notice is None:
        slip = _order_slip(ctx, details, party_card, party, by="第三方卡 PARTY CARD")
        yield from print_slip(ctx, functools.partial(order_slip, slip))
    yield from notify(title, "", text, amount_line(ctx, details.due),
                      *host_lines(party.message))


def _with_party(answer: TillAnswer, party: OnlineReply, card: CardData) -> TillAnswer:
    """``answer`` naming the third-party leg too (``XA``/``XT``/``XC``)."""
    return replace(answer, party_amount=party.amount, party_trace=party.stan,
                   party_pan=party.masked_pan or card.masked_pan)


def _refused(ctx: FlowContext, title: str, reply: OnlineReply, text: str) -> TillFlow:
    yield TillAnswer(status=_refusal_status(reply), text=text, host_rc=reply.rc or "",
                     trace=reply.stan)
    yield from notify(title, "", text, *host_lines(reply.message))
