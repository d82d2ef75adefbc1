"""The steps every card handler of the reference host shares: the opening and the answers.

A card request (sale, void, refund, balance, the pre-auth family) opens the same way: the
terminal gate (03 / 77 / A0), then, where the request carries money, ``13`` for a zero
amount, then the card data (``30`` when it is unreadable or the request's own reference
to its original is). Each refusal is written to the ledger before it leaves. The answers
are a 0210-shaped response built from the ledger row, or a 0410 for a reversal, both
sealed (MAC) for the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from xpos.errors import DecodeError, SecurityError
from xpos.proto.codec import Message
from xpos.proto.messages import reversal_response, sale_response
from xpos.refhost.cards import PresentedCard, presented_card
from xpos.refhost.context import (
    RC_FORMAT_ERROR,
    HostContext,
    RequestKey,
    amount_of,
    request_key,
)
from xpos.refhost.rows import LedgerEntry, TerminalRow

RC_ZERO_AMOUNT = "13"
RC_UNKNOWN_TERMINAL = "03"


@dataclass(frozen=True)
class Opening:
    """A card request that passed the common checks.

    Attributes:
        key: TID + batch + STAN of the request.
        terminal: the terminal's row.
        presented: the card as presented.
    """

    key: RequestKey
    terminal: TerminalRow
    presented: PresentedCard


@dataclass(frozen=True)
class Refused:
    """A card request refused by the common checks (the refusal already recorded).

    Attributes:
        terminal: the terminal's row (None when the gate did not find it).
        entry: the ledger row of the refusal to answer with.
    """

    terminal: TerminalRow | None
    entry: LedgerEntry


def open_card_request(ctx: HostContext, request: Message, kind: str, *,
                      with_amount: bool = True, readable: bool = True) -> Opening | Refused:
    """Gate, amount and card checks, in that order; the first failing one is recorded.

    Args:
        ctx: the host context.
        request: the request.
        kind: the ledger kind the refusals are recorded under.
        with_amount: the request carries field 4 (refused with ``13`` when zero).
        readable: the request's own extra data (e.g. its original) could be read;
            False refuses it with ``30`` like unreadable card data.

    Returns:
        The refusal (recorded), or the terminal and presented card to go on with.
    """
    key = request_key(request)
    amount = amount_of(request) if with_amount else 0
    gate = ctx.admit(request)
    terminal = gate.terminal
    if gate.rc is not None or terminal is None:
        entry = ctx.record(key, kind=kind, rc=gate.rc or RC_UNKNOWN_TERMINAL, amount=amount)
        return Refused(terminal, entry)
    if with_amount and amount == 0:
        return Refused(terminal, ctx.record(key, kind=kind, rc=RC_ZERO_AMOUNT))
    try:
        presented: PresentedCard | None = presented_card(request, terminal.tdk)
    except (DecodeError, SecurityError):
        presented = None
    if presented is None or not readable:
        entry = ctx.record(key, kind=kind, rc=RC_FORMAT_ERROR, amount=amount)
        return Refused(terminal, entry)
    return Opening(key, terminal, presented)


def sale_reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
               entry: LedgerEntry) -> Message:
    """The sealed 0210-shaped answer built from the ledger row ``entry``."""
    response = sale_response(request, rc=entry.rc, auth_code=entry.auth_code, rrn=entry.rrn,
                             when=datetime.fromisoformat(entry.created_at))
    return ctx.seal(terminal, response)


def answer_reversal(ctx: HostContext, request: Message,
                    undo: Callable[[HostContext, Message, RequestKey], str]) -> Message:
    """Answer a 0400: the gate's refusal (recorded), else ``undo``'s response code.

    Args:
        ctx: the host context.
        request: the reversal request.
        undo: undoes the original and returns the response code (it records its answer).
    """
    key = request_key(request)
    gate = ctx.admit(request)
    if gate.rc is not None or gate.terminal is None:
        rc = gate.rc or RC_UNKNOWN_TERMINAL
        ctx.record(key, kind="reversal", rc=rc)
        return ctx.seal(gate.terminal, reversal_response(request, rc=rc, when=ctx.now()))
    rc = undo(ctx, request, key)
    return ctx.seal(gate.terminal, reversal_response(request, rc=rc, when=ctx.now()))
