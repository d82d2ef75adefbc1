"""Refund of a sale (0220, F3 200000 -> 0230) at the reference host.

Theory of operation
-------------------
A refund names its original by RRN (field 37) and date (61.3, MMDD); 61.1/61.2 (batch,
STAN) may be zeros, since a refund may be for a sale of an earlier batch or day. It is
checked in this order; the first failing check is the answer, and every answer is
written to the ledger (kind ``refund``, masked PAN only, ``ref`` = the original's RRN)
before it leaves:

====  =====================================================================
rc    condition
====  =====================================================================
03    unknown TID / TID not under this MID            (terminal gate)
77    terminal not signed on                           (terminal gate)
A0    MAC missing or wrong                             (terminal gate)
13    amount is zero
30    field 37 / 61 missing or malformed; card data unreadable
94    this STAN was already approved in this batch for another refund
25    no sale with this RRN at this merchant, or its date is not 61.3
12    the original was declined or reversed, the card is not the original's,
      or the original is older than the refund window (default 30 days)
55    a PIN was sent and is wrong (a refund needs no PIN);  99 unreadable block
61    the amount is more than is left to refund (original − live voids −
      approved refunds)
00    approved: the card is credited and the ledger row written in one
      transaction (the remaining amount re-checked inside it)
====  =====================================================================

A repeated refund (same TID + batch + STAN, card, amount and original) that was approved
is answered again with the stored answer, without a second credit. A refund is never
reversed (reference §1.6): the terminal does not send a 0400 for it, and a refund whose
answer was lost is checked by the merchant with the acquirer (docs/operations.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from xpos.model import mask_pan
from xpos.proto.codec import Message
from xpos.proto.refund import RefundOriginal, parse_refund_original
from xpos.refhost.cards import PresentedCard, pin_refusal
from xpos.refhost.common import Refused, open_card_request, sale_reply
from xpos.refhost.context import RC_APPROVED, RC_DUPLICATE, HostContext, RequestKey, amount_of
from xpos.refhost.rows import LedgerEntry, TerminalRow

KIND = "refund"
RC_NO_ORIGINAL = "25"
RC_NOT_REFUNDABLE = "12"
RC_OVER_REMAINING = "61"
DEFAULT_WINDOW_DAYS = 30
"""How old a sale may be and still be refunded (``HostContext.refund_window_days``)."""


def handle_refund(ctx: HostContext, request: Message) -> Message:
    """Answer a refund request (checks in the order of the module table)."""
    named = parse_refund_original(request)
    opened = open_card_request(ctx, request, KIND, readable=named is not None)
    if isinstance(opened, Refused):
        return sale_reply(ctx, request, opened.terminal, opened.entry)
    assert named is not None  # an unreadable original was refused above
    entry = _decide(ctx, request, opened.terminal, opened.key, opened.presented, named)
    return sale_reply(ctx, request, opened.terminal, entry)


def _decide(ctx: HostContext, request: Message, terminal: TerminalRow, key: RequestKey,
            presented: PresentedCard, named: RefundOriginal) -> LedgerEntry:
    amount = amount_of(request)

    def refuse(rc: str) -> LedgerEntry:
        return ctx.record(key, kind=KIND, rc=rc, amount=amount, pan=presented.pan,
                          ref=named.rrn)

    prior = ctx.store.find(key.tid, key.batch, key.stan, (KIND,))
    if prior is not None and prior.approved:
        same = (prior.amount == amount and prior.masked_pan == mask_pan(presented.pan)
                and prior.ref == named.rrn)
        return prior if same else refuse(RC_DUPLICATE)
    original = ctx.store.sale_by_rrn(named.rrn)
    if original is None or not _same_merchant(ctx, original, terminal) \
            or _mmdd(original) != named.date:
        return refuse(RC_NO_ORIGINAL)
    card = ctx.store.card(presented.pan)
    if (not original.approved or original.reversed or card is None
            or card.id != original.account or _too_old(ctx, original)):
        return refuse(RC_NOT_REFUNDABLE)
    if request.get(52) is not None:
        rc = pin_refusal(request, card, terminal.pik or b"")
        if rc is not None:
            return refuse(rc)
    if ctx.store.refundable(original) < amount:
        return refuse(RC_OVER_REMAINING)
    draft = ctx.draft(key, kind=KIND, rc=RC_APPROVED, amount=amount, pan=presented.pan,
                      auth_code=ctx.auth_code(), account=card.id, ref=named.rrn)
    return ctx.store.refund(original, draft) or refuse(RC_OVER_REMAINING)


def _same_merchant(ctx: HostContext, original: LedgerEntry, terminal: TerminalRow) -> bool:
    owner = ctx.store.terminal(original.tid)
    return owner is not None and owner.mid == terminal.mid


def _mmdd(entry: LedgerEntry) -> str:
    return datetime.fromisoformat(entry.created_at).strftime("%m%d")


def _too_old(ctx: HostContext, original: LedgerEntry) -> bool:
    sold = datetime.fromisoformat(original.created_at)
    now = ctx.now()
    if (sold.tzinfo is None) != (now.tzinfo is None):
        sold, now = sold.replace(tzinfo=None), now.replace(tzinfo=None)
    return now - sold > timedelta(days=ctx.refund_window_days)
