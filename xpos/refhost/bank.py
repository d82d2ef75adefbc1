"""Bank-card sale (0200 -> 0210) and reversal (0400 -> 0410) at the reference host.

Theory of operation
-------------------
A sale is checked in this order; the first failing check is the answer, and every
answer is written to the ledger (masked PAN only) before it leaves:

====  =====================================================================
rc    condition
====  =====================================================================
03    unknown TID / TID not under this MID            (terminal gate)
77    terminal not signed on                           (terminal gate)
A0    MAC missing or wrong                             (terminal gate)
13    amount is zero
30    card data unreadable (no 35 / 2, bad track, TDK decryption failed)
94    the STAN was already approved in this batch for another card/amount,
      or that approval was reversed, or a reversal of this STAN came first
      (a late original is never processed once its reversal was accepted)
14    unknown card
62    card blocked
54    card expired (record or presented expiry before this month)
57    not a bank card (member cards are for the X menu)
55    PIN missing or wrong
99    PIN block malformed (wrong PIK?)
51    balance below the amount
00    approved: debit + ledger row in one transaction; 6-digit auth code
====  =====================================================================

A repeated sale (same TID + batch + STAN, same card and amount) that was approved is
answered again with the stored answer (same 38, 37, 12/13), without a second debit.

A reversal finds the original by TID + batch (60.2) + STAN. An approved, not yet
reversed original is undone (credit back / voucher valid again / a void's credit taken
back) exactly once; the answer is ``00`` in every case the host can settle: undone now,
undone before, original declined, or original never seen (nothing to undo). Only a sale
or void whose field 4 differs from the reversal's gets ``64``; the reversal of a void
whose card no longer holds the amount gets ``51`` (nothing undone; the terminal retries).
"""

from __future__ import annotations

from dataclasses import replace

from xpos.model import mask_pan
from xpos.proto.codec import Message
from xpos.refhost.cards import (
    TRACK_ENCRYPTED,
    PresentedCard,
    card_refusal,
    pin_refusal,
    presented_card,
)
from xpos.refhost.common import Refused, answer_reversal, open_card_request, sale_reply
from xpos.refhost.context import RC_APPROVED, RC_DUPLICATE, HostContext, RequestKey, amount_of
from xpos.refhost.rows import LedgerEntry, TerminalRow

__all__ = [
    "TRACK_ENCRYPTED", "PresentedCard", "card_refusal", "handle_reversal", "handle_sale",
    "pin_refusal", "presented_card",
]

RC_NO_FUNDS = "51"


def handle_sale(ctx: HostContext, request: Message) -> Message:
    """Answer a sale request (checks in the order of the module table)."""
    opened = open_card_request(ctx, request, "sale")
    if isinstance(opened, Refused):
        return sale_reply(ctx, request, opened.terminal, opened.entry)
    entry = _decide(ctx, request, opened.terminal, opened.key, opened.presented)
    return sale_reply(ctx, request, opened.terminal, entry)


def _decide(ctx: HostContext, request: Message, terminal: TerminalRow, key: RequestKey,
            presented: PresentedCard) -> LedgerEntry:
    amount = amount_of(request)
    prior = ctx.store.find(key.tid, key.batch, key.stan, ("sale",))
    if prior is None and ctx.reversed_before(key):
        return ctx.record(key, kind="sale", rc=RC_DUPLICATE, amount=amount, pan=presented.pan)
    if prior is not None and prior.approved:
        same = (not prior.reversed and prior.amount == amount
                and prior.masked_pan == mask_pan(presented.pan))
        return prior if same else ctx.record(key, kind="sale", rc=RC_DUPLICATE, amount=amount,
                                             pan=presented.pan)
    card = ctx.store.card(presented.pan)
    rc = "14" if card is None else (
        card_refusal(card, presented, ctx.now())
        or pin_refusal(request, card, terminal.pik or b"")
        or ("51" if card.balance < amount else None))
    if rc is not None or card is None:
        return ctx.record(key, kind="sale", rc=rc or "14", amount=amount, pan=presented.pan)
    draft = ctx.draft(key, kind="sale", rc=RC_APPROVED, amount=amount, pan=presented.pan,
                      auth_code=ctx.auth_code(), account=card.id)
    entry = ctx.store.debit(draft)
    if entry is None:  # the balance changed under us
        return ctx.record(key, kind="sale", rc="51", amount=amount, pan=presented.pan)
    return entry


def handle_reversal(ctx: HostContext, request: Message) -> Message:
    """Answer a reversal request (see the module docstring)."""
    return answer_reversal(ctx, request, _undo)


def _undo(ctx: HostContext, request: Message, key: RequestKey) -> str:
    original = ctx.store.find(key.tid, key.batch, key.stan,
                              ("sale", "voucher", "void", "x_debit", "voucher_void"))
    claimed = int(request.get(4) or "0")
    if original is None:
        ctx.record(key, kind="reversal", rc=RC_APPROVED, amount=claimed)
        return RC_APPROVED
    if (original.kind in ("sale", "void", "x_debit") and original.approved
            and claimed != original.amount):
        ctx.record(key, kind="reversal", rc="64", amount=claimed)
        return "64"
    draft = ctx.draft(key, kind="reversal", rc=RC_APPROVED, amount=original.amount,
                      ref=original.ref)
    try:
        ctx.store.reverse(original, replace(draft, masked_pan=original.masked_pan))
    except ValueError:  # a void's credit is spent: nothing undone
        ctx.record(key, kind="reversal", rc=RC_NO_FUNDS, amount=claimed)
        return RC_NO_FUNDS
    return RC_APPROVED
