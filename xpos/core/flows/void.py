"""Void (撤销) of a sale by its trace number: supervisor, original shown, same card, PIN.

Readiness → supervisor password (hidden; :data:`SUPERVISOR_TRIES` wrong ones end the
flow) → the original's trace number → :class:`VoidLookup` (answered from the journal:
unknown trace, already voided, not approved, other batch and not a sale are refused
here with their reason) → the original shown (masked card, amount, date) and confirmed
→ the amount to cancel (0 or ENTER = the whole transaction; less is a partial void,
adjust B5, that only the host/issuer may allow: the terminal never decides a partial by
itself) → the same card swiped (another card is refused before the PIN) → PIN →
Online(:class:`VoidRequest`). On approval the merchant and customer copies of the void
slip are printed, then 交易成功.
"""

from __future__ import annotations

from collections.abc import Generator

from xpos.core.flows.card import amount_line, confirm_original, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    online_or_notify,
    opening,
    outcome_text,
)
from xpos.core.flows.common import PASSWORD_MAX_LEN as PASSWORD_MAX_LEN
from xpos.core.flows.common import SUPERVISOR_TRIES as SUPERVISOR_TRIES
from xpos.core.flows.common import supervisor_ok as supervisor_ok
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    VoidLookup,
    VoidRequest,
)
from xpos.core.i18n import t
from xpos.core.slips import VoidSlip, void_slip
from xpos.core.steps import (
    AmountStep,
    Input,
    InputField,
)
from xpos.model import CardData

TRACE_MAX_LEN = 6
"""A trace number (STAN) has up to 6 digits."""
NO_ORIGINAL_RC = "25"
"""The host's answer when it has no such original (docs/protocol.md §4.5)."""
NO_PARTIAL_RC = "40"
"""The host's answer to a partial void the card's issuer does not allow."""


def void_flow(ctx: FlowContext) -> Flow:
    """Run one full void of a sale of the current batch."""
    title = t("void.title", ctx.lang)
    if not (yield from opening(ctx, title, supervisor=True)):
        return
    original = yield from _original(ctx, title)
    if original is None:
        return
    keyed = yield from ask(AmountStep(prompt=t("void.amount", ctx.lang),
                                      max_amount=original.amount, allow_zero=True))
    if not keyed.ok:
        return
    amount = keyed.amount or original.amount  # 0 / ENTER: the whole transaction
    card = yield from _same_card(ctx, title, original, amount)
    if card is None:
        return
    pin = yield from enter_pin(ctx, title, card, amount)
    if pin is None:
        return
    reply = yield from go_online(VoidRequest(stan=original.stan, card=card,
                                             pin_block=pin.block, amount=amount))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", _refusal_text(ctx, reply))
        return
    slip = _slip(ctx, card, original, reply)
    yield from print_copies(ctx, lambda copy: void_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang), amount_line(ctx, reply.amount))


def _refusal_text(ctx: FlowContext, reply: OnlineReply) -> str:
    """Why the void failed; the host's 25 means "no such original" here, not a voucher,
    and its 40 that the card's issuer allows no partial void."""
    if reply.outcome is Outcome.DECLINED and reply.rc == NO_ORIGINAL_RC:
        return t("online.void_unknown", ctx.lang)
    if reply.outcome is Outcome.DECLINED and reply.rc == NO_PARTIAL_RC:
        return t("void.partial_refused", ctx.lang)
    return outcome_text(reply, ctx.lang)


def _original(ctx: FlowContext, title: str) -> Generator[Command, object, OnlineReply | None]:
    """Key the trace number, look the sale up, show it and have the void confirmed."""
    field = InputField(label=t("void.trace", ctx.lang), max_len=TRACE_MAX_LEN)
    keyed = yield from ask(Input(prompt=t("void.trace_prompt", ctx.lang), fields=(field,)))
    if not keyed.ok:
        return None
    found = yield from online_or_notify(ctx, title, VoidLookup(stan=int(keyed.values[0] or "0")))
    if found is None or not (yield from confirm_original(ctx, title, found, "void.confirm")):
        return None
    return found


def _same_card(
    ctx: FlowContext, title: str, original: OnlineReply, amount: int
) -> Generator[Command, object, CardData | None]:
    """Read the card; refuse (before the PIN) one that is not the original's."""
    card = yield from swipe_card(ctx, title, amount)
    if card is None:
        return None
    if not same_card(card, original.masked_pan):
        yield from notify(title, "", t("online.void_other_card", ctx.lang))
        return None
    return card


def same_card(card: CardData, masked_pan: str) -> bool:
    """True when ``card`` matches a masked PAN: same length, first 6 and last 4 digits."""
    return bool(masked_pan) and card.masked_pan == masked_pan






def _slip(ctx: FlowContext, card: CardData, original: OnlineReply,
          reply: OnlineReply) -> VoidSlip:
    return VoidSlip(
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
        amount=reply.amount,
        original_stan=original.stan,
    )

