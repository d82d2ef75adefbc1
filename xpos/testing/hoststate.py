"""What the embedded reference host holds, for test-side checks (QA ``expect_host_state``).

A small read-only query API over :class:`~xpos.refhost.store.HostStore`, so that the QA
runner and tests ask the host's state (a card's balance, a voucher's status, the ledger
rows of a terminal, its batch number) without any SQL of their own. Nothing here writes,
and nothing returns a full PAN, a PIN hash or a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.refhost.server import ReferenceHost

__all__ = ["CardState", "LedgerRow", "card_state", "host_batch", "ledger_rows", "voucher_quantity",
           "voucher_status"]


@dataclass(frozen=True, kw_only=True)
class CardState:
    """A card account as the host has it now.

    Attributes:
        balance: In fen.
        status: ``active`` or ``blocked``.
    """

    balance: int
    status: str


@dataclass(frozen=True, kw_only=True)
class LedgerRow:
    """One ledger row of the host (masked PAN only).

    Attributes:
        kind: The message kind recorded (``sale``, ``void``, ``reversal``, ``voucher`` …).
        trace: Field 11 of the request.
        batch: Field 60.2 of the request.
        amount: In fen.
        rc: The response code the host gave.
        reversed: True once a reversal undid it.
        masked_pan: First 6 / last 4, or empty.
    """

    kind: str
    trace: int
    batch: int
    amount: int
    rc: str
    reversed: bool
    masked_pan: str


def card_state(host: ReferenceHost, pan: str) -> CardState | None:
    """The account of the card with this PAN, or None if the host does not know it."""
    row = host.store.card(pan)
    if row is None:
        return None
    return CardState(balance=row.balance, status=row.status.value)


def voucher_status(host: ReferenceHost, code: str) -> str | None:
    """``valid`` / ``used`` for the voucher (or order) ``code``, or None if unknown."""
    row = host.store.voucher(code)
    return None if row is None else row.status.value


def voucher_quantity(host: ReferenceHost, code: str) -> int | None:
    """The items left on the voucher (or order) ``code``, or None if unknown."""
    row = host.store.voucher(code)
    return None if row is None else row.quantity


def ledger_rows(host: ReferenceHost, tid: str, *, kind: str | None = None,
                trace: int | None = None) -> list[LedgerRow]:
    """The terminal's ledger rows in the order the host wrote them, optionally filtered."""
    rows = [LedgerRow(kind=e.kind, trace=e.stan, batch=e.batch, amount=e.amount, rc=e.rc,
                      reversed=e.reversed, masked_pan=e.masked_pan)
            for e in host.store.entries(tid=tid, kind=kind)]
    return [r for r in rows if trace is None or r.trace == trace]


def host_batch(host: ReferenceHost, tid: str) -> int | None:
    """The batch number the host has open for the terminal, or None if it is unknown."""
    row = host.store.terminal(tid)
    return None if row is None else row.batch
