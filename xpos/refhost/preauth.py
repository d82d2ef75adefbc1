"""The pre-authorisation family at the reference host: pre-auth, pre-auth void,
completion, completion void, and their reversals.

Theory of operation
-------------------
Each request is checked in this order; the first failing check is the answer, and
every answer is written to the ledger (kind ``preauth``, ``preauth_void``,
``completion`` or ``completion_void``; masked PAN only) before it leaves:

====  =====================================================================
rc    condition
====  =====================================================================
03    unknown TID / TID not under this MID            (terminal gate)
77    terminal not signed on                           (terminal gate)
A0    MAC missing or wrong                             (terminal gate)
13    amount is zero
30    card data unreadable; (void / completion) 38 or 61 missing or unreadable
94    the STAN was already approved in this batch for another request, or a
      reversal of it came first
14    unknown card;  62 blocked;  54 expired;  57 not a bank card
55    PIN missing or wrong;  99 PIN block unreadable
25    (void / completion) no approved, not reversed original on this card with
      this auth code (38) and date (61.3, MMDD of the host's date)
12    (void / completion) the pre-auth's hold is no longer held (voided or
      completed), or the completion is already voided
64    (pre-auth void / completion void) the amount is not the original's
61    (completion) the amount is above the held amount: completion <= hold, no
      tolerance above it
51    (pre-auth) the balance minus the card's other holds is below the amount;
      (completion) the balance is below the amount
00    approved: hold placed / released / card debited and hold completed /
      card credited back, with the ledger row, in one transaction
====  =====================================================================

A repeated request (same TID + batch + STAN, card and amount) that was approved is
answered again with the stored answer. A reversal (0400 with F25 ``06``) finds its
original by TID + batch + STAN among the family rows and undoes it exactly once
(:func:`xpos.refhost.holds.reverse_family`); like a sale's it answers ``00`` when
there is nothing (more) to undo, ``64`` for an amount that is not the original's and
``51`` (nothing undone) when a completion void's credit is spent. Any other 0400 goes
to :func:`xpos.refhost.bank.handle_reversal`.
"""

from __future__ import annotations

from collections.abc import Callable

from xpos.model import mask_pan
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message
from xpos.proto.preauth import PreauthOriginal, family_kind, parse_preauth_original
from xpos.refhost import holds
from xpos.refhost.bank import handle_reversal
from xpos.refhost.cards import PresentedCard, card_refusal, pin_refusal
from xpos.refhost.common import Refused, answer_reversal, open_card_request, sale_reply
from xpos.refhost.context import (
    RC_APPROVED,
    RC_DUPLICATE,
    RC_FORMAT_ERROR,
    HostContext,
    RequestKey,
    amount_of,
)
from xpos.refhost.rows import CardRow, LedgerDraft, LedgerEntry, TerminalRow

RC_NO_ORIGINAL = "25"
RC_INVALID = "12"
RC_WRONG_AMOUNT = "64"
RC_OVER_LIMIT = "61"
RC_NO_FUNDS = "51"
FAMILY_KINDS = ("preauth", "preauth_void", "completion", "completion_void")


class _Request:
    """One family request being decided: its parts and a ``refuse`` shortcut."""

    def __init__(self, ctx: HostContext, request: Message, key: RequestKey, kind: str,
                 presented: PresentedCard) -> None:
        self.ctx, self.request, self.key, self.kind = ctx, request, key, kind
        self.presented = presented
        self.amount = amount_of(request)

    def refuse(self, rc: str) -> LedgerEntry:
        return self.ctx.record(self.key, kind=self.kind, rc=rc, amount=self.amount,
                               pan=self.presented.pan)

    def approve(self, card: CardRow, ref: str = "") -> LedgerDraft:
        return self.ctx.draft(self.key, kind=self.kind, rc=RC_APPROVED, amount=self.amount,
                              pan=self.presented.pan, auth_code=self.ctx.auth_code(),
                              account=card.id, ref=ref)


def handle_preauth_family(ctx: HostContext, request: Message) -> Message:
    """Answer a pre-auth, pre-auth void, completion or completion void."""
    family = family_kind(request)
    kind = family.value if family is not None else "preauth"
    opened = open_card_request(ctx, request, kind)
    if isinstance(opened, Refused):
        return sale_reply(ctx, request, opened.terminal, opened.entry)
    state = _Request(ctx, request, opened.key, kind, opened.presented)
    return sale_reply(ctx, request, opened.terminal, _decide(state, opened.terminal))


def _decide(state: _Request, terminal: TerminalRow) -> LedgerEntry:
    ctx, key = state.ctx, state.key
    prior = ctx.store.find(key.tid, key.batch, key.stan, FAMILY_KINDS)
    if prior is None and ctx.reversed_before(key):
        return state.refuse(RC_DUPLICATE)
    if prior is not None and prior.approved:
        same = (prior.kind == state.kind and not prior.reversed
                and prior.amount == state.amount
                and prior.masked_pan == mask_pan(state.presented.pan))
        return prior if same else state.refuse(RC_DUPLICATE)
    original = parse_preauth_original(state.request)
    if state.kind != "preauth" and original is None:
        return state.refuse(RC_FORMAT_ERROR)
    card = ctx.store.card(state.presented.pan)
    rc = "14" if card is None else (
        card_refusal(card, state.presented, ctx.now())
        or pin_refusal(state.request, card, terminal.pik or b""))
    if rc is not None or card is None:
        return state.refuse(rc or "14")
    return _DECIDERS[state.kind](state, card, original)


def _preauth(state: _Request, card: CardRow, _: PreauthOriginal | None) -> LedgerEntry:
    entry = holds.place_hold(state.ctx.store, state.approve(card), card.balance)
    return entry or state.refuse(RC_NO_FUNDS)


def _found_hold(state: _Request, card: CardRow,
                original: PreauthOriginal | None) -> holds.Hold | LedgerEntry:
    assert original is not None
    found = holds.find_preauth(state.ctx.store, card.id, original.auth_code, original.date)
    if found is None:
        return state.refuse(RC_NO_ORIGINAL)
    _, hold = found
    if hold.status != "held":
        return state.refuse(RC_INVALID)
    return hold


def _preauth_void(state: _Request, card: CardRow,
                  original: PreauthOriginal | None) -> LedgerEntry:
    hold = _found_hold(state, card, original)
    if isinstance(hold, LedgerEntry):
        return hold
    if state.amount != hold.amount:
        return state.refuse(RC_WRONG_AMOUNT)
    draft = state.approve(card, ref=f"H{hold.id}")
    entry = holds.release(state.ctx.store, hold, draft)
    return entry or state.refuse(RC_INVALID)


def _completion(state: _Request, card: CardRow,
                original: PreauthOriginal | None) -> LedgerEntry:
    hold = _found_hold(state, card, original)
    if isinstance(hold, LedgerEntry):
        return hold
    if state.amount > hold.amount:
        return state.refuse(RC_OVER_LIMIT)
    if card.balance < state.amount:
        return state.refuse(RC_NO_FUNDS)
    draft = state.approve(card, ref=f"H{hold.id}")
    entry = holds.complete(state.ctx.store, hold, draft)
    return entry or state.refuse(RC_NO_FUNDS)


def _completion_void(state: _Request, card: CardRow,
                     original: PreauthOriginal | None) -> LedgerEntry:
    assert original is not None
    store = state.ctx.store
    completion = holds.find_completion(store, card.id, original.auth_code, original.date)
    if completion is None:
        return state.refuse(RC_NO_ORIGINAL)
    if holds.completion_voided(store, completion):
        return state.refuse(RC_INVALID)
    if state.amount != completion.amount:
        return state.refuse(RC_WRONG_AMOUNT)
    draft = state.approve(card, ref=f"C{completion.id}")
    entry = holds.void_completion(store, completion, draft)
    return entry or state.refuse(RC_INVALID)


_DECIDERS: dict[str, Callable[[_Request, CardRow, PreauthOriginal | None], LedgerEntry]] = {
    "preauth": _preauth,
    "preauth_void": _preauth_void,
    "completion": _completion,
    "completion_void": _completion_void,
}



# -- reversal ------------------------------------------------------------------------


def handle_any_reversal(ctx: HostContext, request: Message) -> Message:
    """Answer a 0400: the family's here, every other one by the bank's handler."""
    if family_kind(request) is None:
        return handle_reversal(ctx, request)
    return answer_reversal(ctx, request, _undo)


def _undo(ctx: HostContext, request: Message, key: RequestKey) -> str:
    original = ctx.store.find(key.tid, key.batch, key.stan, FAMILY_KINDS)
    claimed = int(request.get(4) or "0")
    if original is None:
        ctx.record(key, kind="reversal", rc=RC_APPROVED, amount=claimed)
        return RC_APPROVED
    if original.approved and claimed != original.amount:
        ctx.record(key, kind="reversal", rc=RC_WRONG_AMOUNT, amount=claimed)
        return RC_WRONG_AMOUNT
    draft = ctx.draft(key, kind="reversal", rc=RC_APPROVED, amount=original.amount,
                      ref=original.ref)
    try:
        holds.reverse_family(ctx.store, original, draft)
    except ValueError:
        ctx.record(key, kind="reversal", rc=RC_NO_FUNDS, amount=claimed)
        return RC_NO_FUNDS
    return RC_APPROVED


FAMILY_MESSAGES = (MessageKind.PREAUTH, MessageKind.PREAUTH_VOID, MessageKind.COMPLETION,
                   MessageKind.COMPLETION_VOID)
"""The request kinds :func:`handle_preauth_family` answers."""
