"""Balance inquiry (0200, F3 310000 -> 0210 with field 54) at the reference host.

Theory of operation
-------------------
An inquiry moves no money. It is checked like a sale without the amount checks; the
first failing check is the answer, and every answer is written to the ledger (kind
``balance``, amount 0, masked PAN only) before it leaves:

====  =====================================================================
rc    condition
====  =====================================================================
03    unknown TID / TID not under this MID            (terminal gate)
77    terminal not signed on                           (terminal gate)
A0    MAC missing or wrong                             (terminal gate)
30    card data unreadable
14    unknown card;  62 blocked;  54 expired;  57 not a bank card
55    PIN missing or wrong (a balance inquiry always needs the PIN)
99    PIN block unreadable
00    approved: field 54 = ``10`` (account) + ``02`` (available balance) +
      ``156`` + ``C`` + the card's ledger balance, 12 digits in fen
====  =====================================================================
"""

from __future__ import annotations

from datetime import datetime

from xpos.proto.codec import Message
from xpos.proto.refund import balance_response
from xpos.refhost.cards import card_refusal, pin_refusal
from xpos.refhost.common import Refused, open_card_request
from xpos.refhost.context import RC_APPROVED, HostContext
from xpos.refhost.rows import LedgerEntry, TerminalRow

KIND = "balance"
RC_PIN = "55"


def handle_balance(ctx: HostContext, request: Message) -> Message:
    """Answer a balance inquiry (checks in the order of the module table)."""
    opened = open_card_request(ctx, request, KIND, with_amount=False)
    if isinstance(opened, Refused):
        return _reply(ctx, request, opened.terminal, opened.entry)
    key, terminal, presented = opened.key, opened.terminal, opened.presented
    card = ctx.store.card(presented.pan)
    rc = "14" if card is None else (
        card_refusal(card, presented, ctx.now())
        or (RC_PIN if request.get(52) is None else None)
        or pin_refusal(request, card, terminal.pik or b""))
    entry = ctx.record(key, kind=KIND, rc=rc or RC_APPROVED, pan=presented.pan)
    balance = card.balance if rc is None and card is not None else None
    return _reply(ctx, request, terminal, entry, balance)


def _reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
           entry: LedgerEntry, balance: int | None = None) -> Message:
    response = balance_response(request, rc=entry.rc, balance=balance, rrn=entry.rrn,
                                when=datetime.fromisoformat(entry.created_at))
    return ctx.seal(terminal, response)
