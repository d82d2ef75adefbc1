"""Transactions a cash register (the till) starts over the ECR port.

The till gives what the operator would key (the amount of a sale, the trace of a void);
the customer does the rest at the terminal as from the menu: swipe, PIN. A till flow
yields exactly one :class:`TillAnswer` as soon as the outcome is known (before the
slips are printed, so the till is not kept waiting on paper), then prints and shows
the result like the menu's flow. The shell (``xpos.terminal.ecr``) turns the answer into
the ECR response.

A void from the till asks no supervisor password (the till's operator is authorised at
the till) and shows no confirmation: the original is looked up by its trace, the same
card is swiped, the PIN entered. A refund from the till likewise: the till names the
original by its RRN and date (as the menu's refund keys them), no password, no
confirmation.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from xpos.core.flows.card import abandon, amount_line, print_copies
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    outcome_text,
    print_document,
)
from xpos.core.flows.online import (
    Command,
    FlowContext,
    Notice,
    OnlineReply,
    OnlineRequest,
    Outcome,
    ReadinessRequest,
    RefundRequest,
    SaleRequest,
    SettleRequest,
    SettleStatus,
    VoidLookup,
    VoidRequest,
)
from xpos.core.flows.refund import RRN_LEN, refusal_text, valid_date
from xpos.core.flows.void import NO_ORIGINAL_RC, same_card
from xpos.core.i18n import t
from xpos.core.settle_slip import settle_slip
from xpos.core.slips import RefundSlip, SaleSlip, VoidSlip, refund_slip, sale_slip, void_slip
from xpos.core.steps import PinStep, ReadCard, ResultCode
from xpos.model import CardData, CardSource


class TillStatus(enum.Enum):
    """How a till's request ended."""

    APPROVED = "approved"
    DECLINED = "declined"
    """The host answered with a refusal (``TillAnswer.host_rc``) or the terminal refused."""
    CANCELLED = "cancelled"
    """The customer or operator cancelled at the terminal."""
    TIMEOUT = "timeout"
    """No card or no PIN in time."""
    ERROR = "error"
    """Not signed on, host unreachable, no answer (a reversal is pending) …"""


@dataclass(frozen=True, kw_only=True)
class TillAnswer:
    """Yielded once by a till flow: the outcome for the till (nothing secret in it)."""

    status: TillStatus
    text: str
    host_rc: str = ""
    amount: int = 0
    masked_pan: str = ""
    auth_code: str = ""
    trace: int = 0
    rrn: str = ""
    party_amount: int = 0
    """X2 combined payment: the third-party leg's amount (0: no such leg)."""
    party_trace: int = 0
    """X2 combined payment: the third-party leg's trace (STAN)."""
    party_pan: str = ""
    """X2 combined payment: the third-party card, masked."""


@dataclass(frozen=True, kw_only=True)
class TillOrder:
    """What the till asked for (decoded by the shell from the ECR request)."""

    amount: int = 0
    original_trace: int | None = None
    original_rrn: str = ""
    original_date: str = ""
    order_no: str = ""


TillCommand = Command | TillAnswer
TillFlow = Generator[TillCommand, object, None]
TillFlowFactory = Callable[[FlowContext, TillOrder], TillFlow]


def till_sale(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """A sale of the till's amount: swipe, PIN, online, answer, two slips."""
    title = t("sale.title", ctx.lang)
    if order.amount <= 0:
        yield _refused(ctx, t("amount.zero", ctx.lang))
        return
    if not (yield from _ready(ctx, title)):
        return
    card = yield from _swipe(ctx, title, order.amount)
    if card is None:
        return
    block = yield from _pin(ctx, title, card, order.amount)
    if block is None:
        return
    request = SaleRequest(amount=order.amount, card=card, pin_block=block[0])
    reply = yield from _online(ctx, title, request, card, order.amount)
    if reply is None:
        return
    slip = SaleSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                    operator=ctx.operator, masked_pan=reply.masked_pan or card.masked_pan,
                    expiry=card.expiry, batch=reply.batch, stan=reply.stan,
                    auth_code=reply.auth_code, rrn=reply.rrn, when=reply.when or NO_TIME,
                    amount=order.amount)
    yield from print_copies(ctx, lambda copy: sale_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang), amount_line(ctx, order.amount))


def till_void(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """A full void of the sale with the till's trace: same card, PIN, online, two slips."""
    title = t("void.title", ctx.lang)
    if order.original_trace is None:
        yield _refused(ctx, t("online.void_unknown", ctx.lang))
        return
    if not (yield from _ready(ctx, title)):
        return
    found = yield from go_online(VoidLookup(stan=order.original_trace))
    if found.outcome is not Outcome.APPROVED:
        yield from _refuse(ctx, title, found, outcome_text(found, ctx.lang))
        return
    card = yield from _swipe(ctx, title, found.amount)
    if card is None:
        return
    if not same_card(card, found.masked_pan):
        text = t("online.void_other_card", ctx.lang)
        yield _refused(ctx, text)
        yield from notify(title, "", text)
        return
    block = yield from _pin(ctx, title, card, found.amount)
    if block is None:
        return
    request = VoidRequest(stan=found.stan, card=card, pin_block=block[0])
    reply = yield from _online(ctx, title, request, card, found.amount)
    if reply is None:
        return
    slip = VoidSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                    operator=ctx.operator, masked_pan=reply.masked_pan or card.masked_pan,
                    expiry=card.expiry, batch=reply.batch, stan=reply.stan,
                    auth_code=reply.auth_code, rrn=reply.rrn, when=reply.when or NO_TIME,
                    amount=reply.amount, original_stan=found.stan)
    yield from print_copies(ctx, lambda copy: void_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang), amount_line(ctx, reply.amount))


def till_settle(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """Settle the batch (or finish the unfinished settlement), then print its slip.

    As from the menu but for the supervisor password and the confirmation (the till's
    operator is authorised at the till). Approved: ``TX`` is 结算成功 and the domestic
    reconciliation (对账平 / 对账不平 已批上送).
    """
    title = t("settle.title", ctx.lang)
    status = yield from go_online(SettleStatus())
    if status.outcome is not Outcome.APPROVED:
        yield from _refuse(ctx, title, status, outcome_text(status, ctx.lang))
        return
    reply = yield from go_online(SettleRequest())
    summary = reply.settlement
    if reply.outcome is not Outcome.APPROVED or summary is None:
        why = outcome_text(reply, ctx.lang)
        if reply.outcome is Outcome.NO_RESPONSE:
            why = t("outcome.no_reply", ctx.lang)
        if reply.notice is Notice.SETTLE_REFUSED:
            why = t("online.settle_refused", ctx.lang, rc=reply.rc or "")
        yield TillAnswer(status=TillStatus.ERROR, text=why, host_rc=reply.rc or "")
        yield from notify(title, t("settle.unfinished", ctx.lang), why)
        return
    result = t("settle.balanced" if summary.domestic == "1" else "settle.unbalanced", ctx.lang)
    yield TillAnswer(status=TillStatus.APPROVED, host_rc=reply.rc or "00",
                     text=f"{t('settle.done', ctx.lang)} {result}")
    slip = settle_slip(summary, merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid)
    yield from print_document(ctx, slip)
    yield from notify(title, t("settle.done", ctx.lang), result)


def till_refund(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """A refund of the till's amount against the sale with the till's RRN and date.

    As from the menu but for the supervisor password and the confirmation: swipe, the PIN
    when ``refund_pin`` is set, online, answer, two slips. A refund is never reversed:
    without a usable answer the till gets ``ER`` with 退货结果未知.
    """
    title = t("refund.title", ctx.lang)
    if order.amount <= 0:
        yield _refused(ctx, t("amount.zero", ctx.lang))
        return
    if len(order.original_rrn) != RRN_LEN or not valid_date(order.original_date):
        yield _refused(ctx, t("refund.bad_original", ctx.lang))
        return
    if not (yield from _ready(ctx, title)):
        return
    card = yield from _swipe(ctx, title, order.amount)
    if card is None:
        return
    pin_block: bytes | None = None
    if ctx.refund_pin:
        block = yield from _pin(ctx, title, card, order.amount)
        if block is None:
            return
        pin_block = block[0]
    reply = yield from go_online(RefundRequest(
        rrn=order.original_rrn, date=order.original_date, amount=order.amount, card=card,
        pin_block=pin_block))
    if reply.outcome is not Outcome.APPROVED:
        text = refusal_text(ctx, reply)
        unknown = reply.notice is Notice.REFUND_UNKNOWN
        status = TillStatus.ERROR if unknown else _refusal_status(reply)
        yield TillAnswer(status=status, text=text, host_rc=reply.rc or "", trace=reply.stan)
        yield from notify(title, "", text)
        return
    yield TillAnswer(status=TillStatus.APPROVED, text=t("txn.approved", ctx.lang),
                     host_rc=reply.rc or "00", amount=reply.amount or order.amount,
                     masked_pan=reply.masked_pan or card.masked_pan,
                     auth_code=reply.auth_code, trace=reply.stan, rrn=reply.rrn)
    slip = RefundSlip(
        merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid, operator=ctx.operator,
        masked_pan=reply.masked_pan or card.masked_pan, expiry=card.expiry,
        batch=reply.batch, stan=reply.stan, auth_code=reply.auth_code, rrn=reply.rrn,
        when=reply.when or NO_TIME, amount=reply.amount or order.amount,
        original_rrn=order.original_rrn, original_date=order.original_date)
    yield from print_copies(ctx, lambda copy: refund_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang),
                      amount_line(ctx, reply.amount or order.amount))


def till_xpay(ctx: FlowContext, order: TillOrder) -> TillFlow:
    """X2 order payment of the till's order (:mod:`xpos.core.flows.till_order`)."""
    from xpos.core.flows.till_order import till_order_pay  # it builds on this module
    return till_order_pay(ctx, order)


TILL_FLOWS: Mapping[str, TillFlowFactory] = MappingProxyType({
    "SALE": till_sale,
    "VOID": till_void,
    "SETTLE": till_settle,
    "REFUND": till_refund,
    "XPAY": till_xpay,
})
"""The till's commands this terminal runs; each further one is one line here."""


# -- the shared steps ------------------------------------------------------------------


def _refused(ctx: FlowContext, text: str) -> TillAnswer:
    return TillAnswer(status=TillStatus.DECLINED, text=text)


def _ready(ctx: FlowContext, title: str) -> Generator[TillCommand, object, bool]:
    ready = yield from go_online(ReadinessRequest())
    if ready.outcome is Outcome.APPROVED:
        return True
    text = outcome_text(ready, ctx.lang)
    yield TillAnswer(status=TillStatus.ERROR, text=text)
    yield from notify(title, "", text)
    return False


def _swipe(ctx: FlowContext, title: str, amount: int, *,
           prompt: str | None = None) -> Generator[TillCommand, object, CardData | None]:
    asked = "\n".join((title, t("till.from", ctx.lang), amount_line(ctx, amount),
                       prompt or t("sale.swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=asked, sources=frozenset({CardSource.SWIPE})))
    if read.ok and read.card is not None and read.card.pan:
        return read.card
    if not read.ok:
        yield _stopped(ctx, read.code, "card.timeout")
        yield from abandon(ctx, title, read, timeout_key="card.timeout")
    else:
        yield _refused(ctx, t("card.no_pan", ctx.lang))
        yield from notify(title, "", t("card.no_pan", ctx.lang))
    return None


def _pin(ctx: FlowContext, title: str, card: CardData,
         amount: int) -> Generator[TillCommand, object, tuple[bytes | None] | None]:
    """The PIN block in a 1-tuple (its item None when bypassed), or None when stopped."""
    pin = yield from ask(PinStep(pan=card.pan, amount=amount, timeout_s=ctx.pin_timeout_s))
    if pin.ok:
        return (pin.block,)
    yield _stopped(ctx, pin.code, "pin.timeout")
    yield from abandon(ctx, title, pin, timeout_key="pin.timeout")
    return None


def _stopped(ctx: FlowContext, code: ResultCode, timeout_key: str) -> TillAnswer:
    if code is ResultCode.TIMEOUT:
        return TillAnswer(status=TillStatus.TIMEOUT, text=t(timeout_key, ctx.lang))
    return TillAnswer(status=TillStatus.CANCELLED, text=t("txn.cancelled", ctx.lang))


def _online(ctx: FlowContext, title: str, request: OnlineRequest, card: CardData,
            amount: int) -> Generator[TillCommand, object, OnlineReply | None]:
    """Send; answer the till; the reply when approved (else the reason is shown)."""
    reply = yield from go_online(request)
    if reply.outcome is not Outcome.APPROVED:
        text = outcome_text(reply, ctx.lang)
        if isinstance(request, VoidRequest) and reply.rc == NO_ORIGINAL_RC:
            text = t("online.void_unknown", ctx.lang)
        yield from _refuse(ctx, title, reply, text)
        return None
    yield TillAnswer(status=TillStatus.APPROVED, text=t("txn.approved", ctx.lang),
                     host_rc=reply.rc or "00", amount=amount,
                     masked_pan=reply.masked_pan or card.masked_pan,
                     auth_code=reply.auth_code, trace=reply.stan, rrn=reply.rrn)
    return reply


def _refusal_status(reply: OnlineReply) -> TillStatus:
    declined = reply.outcome is Outcome.DECLINED or reply.notice is not None
    return TillStatus.DECLINED if declined else TillStatus.ERROR


def _refuse(ctx: FlowContext, title: str, reply: OnlineReply,
            text: str) -> Generator[TillCommand, object, None]:
    status = _refusal_status(reply)
    yield TillAnswer(status=status, text=text, host_rc=reply.rc or "", trace=reply.stan)
    yield from notify(title, "", text)
