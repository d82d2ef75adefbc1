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

from dataclasses import dataclass, field, replace
from datetime import datetime

from xpos.errors import DecodeError, SecurityError
from xpos.model import mask_pan
from xpos.proto.codec import Message
from xpos.proto.messages import reversal_response, sale_response
from xpos.refhost.context import (
    RC_APPROVED,
    RC_DUPLICATE,
    RC_FORMAT_ERROR,
    HostContext,
    RequestKey,
    amount_of,
    request_key,
)
from xpos.refhost.rows import (
    CardKind,
    CardRow,
    CardStatus,
    LedgerEntry,
    TerminalRow,
    pin_matches,
)
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block
from xpos.security.track import decrypt_track2

TRACK_ENCRYPTED = "1"  # field 53 position 3
RC_NO_FUNDS = "51"


@dataclass(frozen=True, kw_only=True)
class PresentedCard:
    """The card as the request presents it (PAN hidden from ``repr``)."""

    pan: str = field(repr=False)
    expiry: str


def presented_card(request: Message, tdk: bytes | None) -> PresentedCard:
    """PAN and expiry from field 35 (decrypted with the TDK when 53.3 says so) or 2 + 14.

    Raises:
        DecodeError: no usable card data.
        SecurityError: the track is encrypted and cannot be decrypted.
    """
    track = request.get(35)
    if track is None:
        return _checked(request.get(2) or "", request.get(14) or "")
    if (request.get(53) or "")[2:3] == TRACK_ENCRYPTED:
        if tdk is None:
            raise SecurityError("track 2 is encrypted but the terminal has no TDK")
        track = decrypt_track2(track, tdk)
    pan, separator, rest = track.upper().replace("=", "D").partition("D")
    if not separator:
        raise DecodeError("track 2 has no separator", field="35", position=0)
    return _checked(pan, rest[:4])


def _checked(pan: str, expiry: str) -> PresentedCard:
    if not (pan.isdigit() and 12 <= len(pan) <= 19):
        raise DecodeError("no usable PAN", field="35", position=0)
    if not (expiry.isdigit() and len(expiry) == 4):
        raise DecodeError("no usable expiry date", field="14", position=0)
    return PresentedCard(pan=pan, expiry=expiry)


def card_refusal(card: CardRow, presented: PresentedCard, now: datetime) -> str | None:
    """The response code that refuses this known card, or None if it may be used."""
    if card.status is CardStatus.BLOCKED:
        return "62"
    if min(card.expiry, presented.expiry) < now.strftime("%y%m"):
        return "54"
    if card.kind is not CardKind.BANK:
        return "57"
    return None


def pin_refusal(request: Message, card: CardRow, pik: bytes) -> str | None:
    """``55`` for a missing or wrong PIN, ``99`` for an unreadable block, else None."""
    if card.pin_hash is None:
        return None
    block = request.get(52)
    if block is None:
        return "55"
    try:
        clear = decrypt_pin_block(pik, bytes.fromhex(block))
        ok = pin_matches(card.pin_hash, pin_from_clear_block(clear, card.pan))
    except (SecurityError, ValueError):
        return "99"
    return None if ok else "55"


def handle_sale(ctx: HostContext, request: Message) -> Message:
    """Answer a sale request (checks in the order of the module table)."""
    key, amount = request_key(request), amount_of(request)
    gate = ctx.admit(request)
    terminal = gate.terminal
    if gate.rc is not None or terminal is None:
        return _reply(ctx, request, terminal, ctx.record(key, kind="sale", rc=gate.rc or "03",
                                                         amount=amount))
    if amount == 0:
        return _reply(ctx, request, terminal, ctx.record(key, kind="sale", rc="13"))
    try:
        presented = presented_card(request, terminal.tdk)
    except (DecodeError, SecurityError):
        entry = ctx.record(key, kind="sale", rc=RC_FORMAT_ERROR, amount=amount)
        return _reply(ctx, request, terminal, entry)
    return _reply(ctx, request, terminal, _decide(ctx, request, terminal, key, presented))


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


def _reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
           entry: LedgerEntry) -> Message:
    response = sale_response(request, rc=entry.rc, auth_code=entry.auth_code, rrn=entry.rrn,
                             when=datetime.fromisoformat(entry.created_at))
    return ctx.seal(terminal, response)


def handle_reversal(ctx: HostContext, request: Message) -> Message:
    """Answer a reversal request (see the module docstring)."""
    key = request_key(request)
    gate = ctx.admit(request)
    if gate.rc is not None or gate.terminal is None:
        ctx.record(key, kind="reversal", rc=gate.rc or "03")
        return _reversal_reply(ctx, request, gate.terminal, gate.rc or "03")
    return _reversal_reply(ctx, request, gate.terminal, _undo(ctx, request, key))


def _undo(ctx: HostContext, request: Message, key: RequestKey) -> str:
    original = ctx.store.find(key.tid, key.batch, key.stan,
                              ("sale", "voucher", "void", "x_debit"))
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


def _reversal_reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
                    rc: str) -> Message:
    return ctx.seal(terminal, reversal_response(request, rc=rc, when=ctx.now()))
