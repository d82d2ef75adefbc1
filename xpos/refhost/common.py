"""The steps every handler of the reference host shares: the openings and the answers.

A card request (sale, void, refund, balance, the pre-auth family) opens the same way: the
terminal gate (03 / 77 / A0), then, where the request carries money, ``13`` for a zero
amount, then the card data (``30`` when it is unreadable or the request's own reference
to its original is). An X-menu request (voucher, voucher query, X void, order query,
order-paid notice) opens with the gate, then ``30`` when its field 62 does not parse
(:func:`open_x_request`); the third-party debit with the gate alone (:func:`pass_gate`).
Each refusal is written to the ledger before it leaves. The answers are a 0210-shaped
response built from the ledger row, a 0110 voucher answer, or a 0410 for a reversal, all
sealed (MAC) for the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from xpos.errors import DecodeError, SecurityError
from xpos.proto.codec import Message
from xpos.proto.messages import reversal_response, sale_response
from xpos.proto.voucher import VoucherInfo, voucher_response
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
    terminal = pass_gate(ctx, request, key, kind, amount=amount)
    if isinstance(terminal, Refused):
        return terminal
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
    terminal = pass_gate(ctx, request, key, "reversal")
    if isinstance(terminal, Refused):
        rc = terminal.entry.rc
        return ctx.seal(terminal.terminal, reversal_response(request, rc=rc, when=ctx.now()))
    rc = undo(ctx, request, key)
    return ctx.seal(terminal, reversal_response(request, rc=rc, when=ctx.now()))


def pass_gate(ctx: HostContext, request: Message, key: RequestKey, kind: str, *,
              amount: int = 0, pan: str = "") -> TerminalRow | Refused:
    """The terminal gate (03 / 77 / A0, :meth:`HostContext.admit`); a refusal is recorded.

    Args:
        ctx: the host context.
        request: the request.
        key: its TID + batch + STAN.
        kind: the ledger kind a refusal is recorded under.
        amount: the amount a refusal's ledger row carries.
        pan: the card number a refusal's ledger row carries (masked there).

    Returns:
        The terminal's row when the request passed, else the recorded refusal.
    """
    gate = ctx.admit(request)
    if gate.rc is not None or gate.terminal is None:
        rc = gate.rc or RC_UNKNOWN_TERMINAL
        return Refused(gate.terminal, ctx.record(key, kind=kind, rc=rc, amount=amount, pan=pan))
    return gate.terminal


T = TypeVar("T")


@dataclass(frozen=True)
class XOpening(Generic[T]):
    """An X-menu request that passed the gate and whose field 62 parsed.

    Attributes:
        key: TID + batch + STAN of the request.
        terminal: the terminal's row.
        wanted: what field 62 asks for, as ``parse`` read it.
    """

    key: RequestKey
    terminal: TerminalRow
    wanted: T


def open_x_request(ctx: HostContext, request: Message, kind: str,
                   parse: Callable[[Message], T]) -> XOpening[T] | Refused:
    """The gate, then ``30`` when ``parse`` cannot read the request; refusals are recorded.

    Args:
        ctx: the host context.
        request: the X-menu request.
        kind: the ledger kind the refusals are recorded under.
        parse: reads the request's field 62 (raises :class:`DecodeError` when it cannot).
    """
    key = request_key(request)
    terminal = pass_gate(ctx, request, key, kind)
    if isinstance(terminal, Refused):
        return terminal
    try:
        wanted = parse(request)
    except DecodeError:
        return Refused(terminal, ctx.record(key, kind=kind, rc=RC_FORMAT_ERROR))
    return XOpening(key, terminal, wanted)


def voucher_reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
                  entry: LedgerEntry, info: VoucherInfo | None) -> Message:
    """The sealed 0110 voucher-shaped answer (X1) built from the ledger row ``entry``."""
    response = voucher_response(request, rc=entry.rc, info=info,
                                when=datetime.fromisoformat(entry.created_at), rrn=entry.rrn)
    return ctx.seal(terminal, response)
