"""Sale (消费): amount, swipe, PIN, online, two receipts.

Amount → ReadCard (swipe) → PIN (ends with 输入密码超时 after ``ctx.pin_timeout_s``,
nothing sent) → Online(SaleRequest). On approval the merchant copy
and then the customer copy are printed (out of paper: reload and retry, or give up),
then 交易成功. Any other outcome shows its reason and prints nothing.
"""

from __future__ import annotations

from xpos.core.flows.card import amount_line, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    outcome_text,
    ready,
)
from xpos.core.flows.online import (
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    SaleRequest,
)
from xpos.core.i18n import t
from xpos.core.slips import SaleSlip, sale_slip
from xpos.core.steps import AmountStep
from xpos.model import CardData


def sale_flow(ctx: FlowContext) -> Flow:
    """Run one bank-card sale."""
    title = t("sale.title", ctx.lang)
    if not (yield from ready(ctx, title)):
        return
    keyed = yield from ask(AmountStep(prompt=t("sale.amount", ctx.lang)))
    if not keyed.ok:
        return
    amount = keyed.amount
    card = yield from swipe_card(ctx, title, amount)
    if card is None:
        return
    pin = yield from enter_pin(ctx, title, card, amount)
    if pin is None:
        return
    reply = yield from go_online(SaleRequest(amount=amount, card=card, pin_block=pin.block))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
        return
    slip = _slip(ctx, card, amount, reply)
    yield from print_copies(ctx, lambda copy: sale_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang), amount_line(ctx, amount))








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

