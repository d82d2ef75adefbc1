"""Void of a sale (0200, F3 200000 -> 0210) at the reference host.

Theory of operation
-------------------
A void names its original in field 61 (batch 6 + STAN 6) and presents the same card
and PIN. It is checked in this order; the first failing check is the answer, and every
answer is written to the ledger (kind ``void``, masked PAN only, ``ref`` = the
original's batch + STAN) before it leaves:

====  =====================================================================
rc    condition
====  =====================================================================
03    unknown TID / TID not under this MID            (terminal gate)
77    terminal not signed on                           (terminal gate)
A0    MAC missing or wrong                             (terminal gate)
13    amount is zero
30    field 61 missing or not digits; card data unreadable
94    this STAN was already approved in this batch for another request, or a
      reversal of it came first
25    no approved, not reversed original with this TID + batch + STAN
12    the original is not a sale, is of another batch than the void, or the
      card is not the original's
64    the amount is more than the original amount
94    the original already has a live (approved, not reversed) void
64    the amount is more than is left of the original after its refunds
40    a partial void (amount below the original's) for a card whose issuer
      does not allow one (``cards.allow_partial`` = 0; demo card bob)
55    PIN missing or wrong;  99 PIN block unreadable
00    approved: the card is credited the void's amount (the original's, or
      less for a partial void: the original keeps the rest) and the ledger
      row written in one transaction; 6-digit auth code
====  =====================================================================

A repeated void (same TID + batch + STAN, card, amount and original) that was approved
is answered again with the stored answer, without a second credit. Its reversal (0400
with the void's STAN) is handled by :func:`xpos.refhost.bank.handle_reversal`, which
takes the credit back exactly once.
"""

from __future__ import annotations

from xpos.model import mask_pan
from xpos.proto.codec import Message
from xpos.proto.messages import parse_original
from xpos.refhost.cards import PresentedCard, pin_refusal
from xpos.refhost.common import Refused, open_card_request, sale_reply
from xpos.refhost.context import RC_APPROVED, RC_DUPLICATE, HostContext, RequestKey, amount_of
from xpos.refhost.rows import LedgerEntry, TerminalRow

RC_NO_ORIGINAL = "25"
RC_INVALID = "12"
RC_WRONG_AMOUNT = "64"
RC_NO_PARTIAL = "40"
KIND = "void"


def handle_void(ctx: HostContext, request: Message) -> Message:
    """Answer a void request (checks in the order of the module table)."""
    target = parse_original(request)
    opened = open_card_request(ctx, request, KIND, readable=target is not None)
    if isinstance(opened, Refused):
        return sale_reply(ctx, request, opened.terminal, opened.entry)
    assert target is not None  # an unreadable original was refused above
    ref = f"{target[0]:06d}{target[1]:06d}"
    entry = _decide(ctx, request, opened.terminal, opened.key, opened.presented, ref)
    return sale_reply(ctx, request, opened.terminal, entry)


def _decide(ctx: HostContext, request: Message, terminal: TerminalRow, key: RequestKey,
            presented: PresentedCard, ref: str) -> LedgerEntry:
    amount = amount_of(request)

    def refuse(rc: str) -> LedgerEntry:
        return ctx.record(key, kind=KIND, rc=rc, amount=amount, pan=presented.pan, ref=ref)

    prior = ctx.store.find(key.tid, key.batch, key.stan, (KIND, "sale", "voucher"))
    if prior is None and ctx.reversed_before(key):
        return refuse(RC_DUPLICATE)
    if prior is not None and prior.approved:
        same = (prior.kind == KIND and not prior.reversed and prior.amount == amount
                and prior.masked_pan == mask_pan(presented.pan) and prior.ref == ref)
        return prior if same else refuse(RC_DUPLICATE)
    original = ctx.store.find(key.tid, int(ref[:6]), int(ref[6:]), ("sale", "voucher", KIND))
    if original is None or not original.approved or original.reversed:
        return refuse(RC_NO_ORIGINAL)
    card = ctx.store.card(presented.pan)
    if (original.kind != "sale" or original.batch != key.batch or card is None
            or card.id != original.account):
        return refuse(RC_INVALID)
    if amount > original.amount:
        return refuse(RC_WRONG_AMOUNT)
    if ctx.store.voided(original):
        return refuse(RC_DUPLICATE)
    if amount > ctx.store.refundable(original):  # refunds of it came first
        return refuse(RC_WRONG_AMOUNT)
    if amount < original.amount and not card.allow_partial:
        return refuse(RC_NO_PARTIAL)
    rc = pin_refusal(request, card, terminal.pik or b"")
    if rc is not None:
        return refuse(rc)
    draft = ctx.draft(key, kind=KIND, rc=RC_APPROVED, amount=amount, pan=presented.pan,
                      auth_code=ctx.auth_code(), account=card.id, ref=ref)
    return ctx.store.void(draft) or refuse(RC_DUPLICATE)
