"""Sale (消费): amount, swipe, PIN, online, two receipts.

Amount → ReadCard (swipe) → PIN (ends with 输入密码超时 after ``ctx.pin_timeout_s``,
nothing sent) → Online(SaleRequest). On approval the merchant copy
and then the customer copy are printed (out of paper: reload and retry, or give up),
then 交易成功. Any other outcome shows its reason and prints nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Generator

from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    outcome_text,
    print_slip,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    ReadinessRequest,
    SaleRequest,
)
from xpos.core.i18n import t
from xpos.core.slips import SaleSlip, sale_slip
from xpos.core.steps import AmountStep, PinStep, ReadCard, ResultCode, StepResult
from xpos.model import CardData, CardSource, format_fen

COPIES = ("merchant", "customer")
"""Receipt copies of an approved sale, in print order."""


def sale_flow(ctx: FlowContext) -> Flow:
    """Run one bank-card sale."""
    title = t("sale.title", ctx.lang)
    ready = yield from go_online(ReadinessRequest())
    if ready.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(ready, ctx.lang))
        return
    keyed = yield from ask(AmountStep(prompt=t("sale.amount", ctx.lang)))
    if not keyed.ok:
        return
    amount = keyed.amount
    card = yield from _read_card(ctx, title, amount)
    if card is None:
        return
    pin = yield from ask(PinStep(pan=card.pan, amount=amount, timeout_s=ctx.pin_timeout_s))
    if not pin.ok:
        yield from _abandon(ctx, title, pin, timeout_key="pin.timeout")
        return
    reply = yield from go_online(SaleRequest(amount=amount, card=card, pin_block=pin.block))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
        return
    yield from _print_copies(ctx, _slip(ctx, card, amount, reply))
    yield from notify(title, "", t("txn.approved", ctx.lang), _amount_line(ctx, amount))


def _read_card(
    ctx: FlowContext, title: str, amount: int
) -> Generator[Command, object, CardData | None]:
    prompt = "\n".join((title, _amount_line(ctx, amount), "", t("sale.swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=frozenset({CardSource.SWIPE})))
    if not read.ok:
        yield from _abandon(ctx, title, read, timeout_key="card.timeout")
        return None
    if read.card is None or not read.card.pan:
        yield from notify(title, "", t("card.no_pan", ctx.lang))
        return None
    return read.card


def _abandon(
    ctx: FlowContext, title: str, result: StepResult, *, timeout_key: str
) -> Generator[Command, object, None]:
    key = timeout_key if result.code is ResultCode.TIMEOUT else "txn.cancelled"
    yield from notify(title, "", t(key, ctx.lang))


def _print_copies(ctx: FlowContext, slip: SaleSlip) -> Generator[Command, object, None]:
    for copy in COPIES:
        printed = yield from print_slip(ctx, functools.partial(sale_slip, slip, copy=copy))
        if not printed:
            return


def _slip(ctx: FlowContext, card: CardData, amount: int, reply: OnlineReply) -> SaleSlip:
    return SaleSlip(
        merchant_name=ctx.merchant_name,
        mid=ctx.mid,
        tid=ctx.tid,
        operator=ctx.operator,
        masked_pan=reply.masked_pan or card.masked_pan,
        expiry=card.expiry,
        batch=reply.batch,
        stan=reply.stan,
        auth_code=reply.auth_code,
        rrn=reply.rrn,
        when=reply.when or NO_TIME,
        amount=amount,
    )


def _amount_line(ctx: FlowContext, amount: int) -> str:
    return t("pin.amount", ctx.lang, amount=format_fen(amount))
