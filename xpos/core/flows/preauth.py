"""The pre-authorisation family (预授权): pre-auth, its void, completion, its void.

Theory of operation
-------------------
Pre-auth (预授权): readiness → amount → swipe → PIN → Online(PreauthRequest). The
host holds the amount on the card (nothing is debited); the slip shows the auth code
and the held amount.

Pre-auth void (预授权撤销), completion (预授权完成) and completion void (预授权完成撤销)
refer to an original: readiness → supervisor password (the two voids) → the original's
trace number. A trace number found in the journal is shown (masked card, amount,
date) and confirmed, and the card must be the original's; an empty trace number (the
original is not in this terminal's journal) asks for the original's auth code and date
(MMDD) and amount instead. The completion asks for its amount (at most the held amount
when the original is known; the host checks it in every case). Then swipe → PIN →
Online(PreauthRequest); on approval two copies are printed and 交易成功 shows the auth
code. Every refusal says why.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from xpos.core.flows.card import amount_line, confirm_original, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    online_or_notify,
    opening,
    outcome_text,
    ready,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
)
from xpos.core.flows.preauth_requests import (
    COMPLETION,
    COMPLETION_VOID,
    PREAUTH,
    PREAUTH_VOID,
    PreauthLookup,
    PreauthRef,
    PreauthRequest,
)
from xpos.core.flows.void import TRACE_MAX_LEN, same_card
from xpos.core.i18n import t
from xpos.core.slips_preauth import PreauthSlip, preauth_slip
from xpos.core.steps import AmountStep, Input, InputField
from xpos.model import CardData

NO_ORIGINAL_RC = "25"
"""The host's answer when it finds no such original (docs/reference-host.md)."""
AUTH_CODE_LEN = 6
DATE_LEN = 4


@dataclass(frozen=True, kw_only=True)
class _Original:
    """The original as the flow knows it: the reference sent, and what is shown."""

    ref: PreauthRef
    amount: int = 0
    """The original's amount when it is in the journal, else 0."""
    masked_pan: str = ""
    auth_code: str = ""
    date: str = ""


def preauth_flow(ctx: FlowContext) -> Flow:
    """Run one pre-authorisation (预授权)."""
    title = t("preauth.title", ctx.lang)
    if not (yield from ready(ctx, title)):
        return
    keyed = yield from ask(AmountStep(prompt=t("preauth.amount", ctx.lang)))
    if not keyed.ok:
        return
    yield from _card_and_online(ctx, PREAUTH, title, keyed.amount, None)


def preauth_void_flow(ctx: FlowContext) -> Flow:
    """Run one pre-authorisation void (预授权撤销): the hold is released."""
    yield from _linked_flow(ctx, PREAUTH_VOID, supervisor=True)


def completion_flow(ctx: FlowContext) -> Flow:
    """Run one completion (预授权完成): the card is debited, at most the held amount."""
    yield from _linked_flow(ctx, COMPLETION, supervisor=False)


def completion_void_flow(ctx: FlowContext) -> Flow:
    """Run one completion void (预授权完成撤销): the completion's amount is credited back."""
    yield from _linked_flow(ctx, COMPLETION_VOID, supervisor=True)


def _linked_flow(ctx: FlowContext, kind: str, *, supervisor: bool) -> Flow:
    title = t(f"{kind}.title", ctx.lang)
    if not (yield from opening(ctx, title, supervisor=supervisor)):
        return
    original = yield from _choose_original(ctx, kind, title)
    if original is None:
        return
    amount = original.amount
    if kind == COMPLETION or not amount:
        prompt = "completion.amount" if kind == COMPLETION else "preauth.original_amount"
        keyed = yield from ask(AmountStep(prompt=t(prompt, ctx.lang)))
        if not keyed.ok:
            return
        if kind == COMPLETION and original.amount and keyed.amount > original.amount:
            yield from notify(title, "", t("online.preauth_over", ctx.lang))
            return
        amount = keyed.amount
    yield from _card_and_online(ctx, kind, title, amount, original)


def _choose_original(ctx: FlowContext, kind: str,
                     title: str) -> Generator[Command, object, _Original | None]:
    """The original by trace number (shown and confirmed), or keyed auth code + date."""
    field = InputField(label=t("void.trace", ctx.lang), min_len=0, max_len=TRACE_MAX_LEN)
    keyed = yield from ask(Input(prompt=t("preauth.trace_prompt", ctx.lang), fields=(field,)))
    if not keyed.ok:
        return None
    if not keyed.values[0]:
        return (yield from _keyed_original(ctx))
    lookup = PreauthLookup(kind=kind, stan=int(keyed.values[0]))
    found = yield from online_or_notify(ctx, title, lookup)
    if found is None or not (yield from confirm_original(ctx, title, found, "preauth.confirm")):
        return None
    when = found.when or NO_TIME
    return _Original(ref=PreauthRef(stan=found.stan), amount=found.amount,
                     masked_pan=found.masked_pan, auth_code=found.auth_code,
                     date=when.strftime("%m%d"))


def _keyed_original(ctx: FlowContext) -> Generator[Command, object, _Original | None]:
    auth = InputField(label=t("preauth.auth", ctx.lang), min_len=AUTH_CODE_LEN,
                      max_len=AUTH_CODE_LEN)
    keyed = yield from ask(Input(prompt=t("preauth.auth_prompt", ctx.lang), fields=(auth,)))
    if not keyed.ok:
        return None
    date = InputField(label=t("preauth.date", ctx.lang), min_len=DATE_LEN, max_len=DATE_LEN)
    day = yield from ask(Input(prompt=t("preauth.date_prompt", ctx.lang), fields=(date,)))
    if not day.ok:
        return None
    ref = PreauthRef(auth_code=keyed.values[0], date=day.values[0])
    return _Original(ref=ref, auth_code=ref.auth_code, date=ref.date)


def _card_and_online(ctx: FlowContext, kind: str, title: str, amount: int,
                     original: _Original | None) -> Flow:
    card = yield from swipe_card(ctx, title, amount)
    if card is None:
        return
    if original is not None and original.masked_pan and not same_card(card,
                                                                       original.masked_pan):
        yield from notify(title, "", t("online.void_other_card", ctx.lang))
        return
    pin = yield from enter_pin(ctx, title, card, amount)
    if pin is None:
        return
    reply = yield from go_online(PreauthRequest(
        kind=kind, amount=amount, card=card, pin_block=pin.block,
        original=original.ref if original is not None else None))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", _refusal_text(ctx, reply))
        return
    slip = _slip(ctx, kind, card, amount, reply, original)
    yield from print_copies(ctx, lambda copy: preauth_slip(slip, copy=copy))
    yield from notify(title, "", t("txn.approved", ctx.lang),
                      t("preauth.auth_code", ctx.lang, code=reply.auth_code),
                      amount_line(ctx, amount))


def _refusal_text(ctx: FlowContext, reply: OnlineReply) -> str:
    """Why it failed; the host's 25 means "no such original" here."""
    if reply.outcome is Outcome.DECLINED and reply.rc == NO_ORIGINAL_RC:
        return t("online.preauth_unknown", ctx.lang)
    return outcome_text(reply, ctx.lang)


def _slip(ctx: FlowContext, kind: str, card: CardData, amount: int, reply: OnlineReply,
          original: _Original | None) -> PreauthSlip:
    return PreauthSlip(
        merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid, operator=ctx.operator,
        masked_pan=reply.masked_pan or card.masked_pan, expiry=card.expiry,
        batch=reply.batch, stan=reply.stan, auth_code=reply.auth_code, rrn=reply.rrn,
        when=reply.when or NO_TIME, amount=amount, kind=kind,
        original_stan=original.ref.stan if original is not None else 0,
        original_auth=original.auth_code if original is not None else "",
        original_date=original.date if original is not None else "")
