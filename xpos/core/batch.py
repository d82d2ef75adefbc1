"""Batch totals for settlement (pure): which journal kinds are debits and which credits.

:data:`BANK_SIDES` and :data:`X_SIDES` are the tables: a journal kind -> the side of the
settlement totals it counts on. A kind that is in neither table (a sign-on, a balance
inquiry) does not count. A new kind of transaction is one line here, e.g.
``"refund": CREDIT`` or ``"completion": DEBIT``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

DEBIT = "debit"
CREDIT = "credit"

BANK_SIDES: Mapping[str, str] = {
    "sale": DEBIT,
    "void": CREDIT,
    "completion": DEBIT,
    "completion_void": CREDIT,
    "refund": CREDIT,
}
"""Bank-card journal kinds that count in the bank settlement, and on which side."""

X_SIDES: Mapping[str, str] = {
    "voucher": DEBIT,
    "third-party debit": DEBIT,
}
"""X-menu journal kinds that count in the X settlement, and on which side."""


@dataclass(frozen=True, kw_only=True)
class BatchTotals:
    """Debit and credit counts and amounts (fen) of one batch."""

    debit_count: int = 0
    debit_amount: int = 0
    credit_count: int = 0
    credit_amount: int = 0

    @property
    def count(self) -> int:
        """Debits and credits together."""
        return self.debit_count + self.credit_count

    def as_dict(self) -> dict[str, int]:
        """The four numbers by name (for the journal's JSON)."""
        return {"debit_count": self.debit_count, "debit_amount": self.debit_amount,
                "credit_count": self.credit_count, "credit_amount": self.credit_amount}


def batch_totals(rows: Iterable[tuple[str, int]], sides: Mapping[str, str]) -> BatchTotals:
    """Add up approved ``(kind, amount)`` rows by the side ``sides`` gives each kind."""
    debit_count = debit_amount = credit_count = credit_amount = 0
    for kind, amount in rows:
        side = sides.get(kind)
        if side == DEBIT:
            debit_count, debit_amount = debit_count + 1, debit_amount + amount
        elif side == CREDIT:
            credit_count, credit_amount = credit_count + 1, credit_amount + amount
    return BatchTotals(debit_count=debit_count, debit_amount=debit_amount,
                       credit_count=credit_count, credit_amount=credit_amount)


def totals_from(data: Mapping[str, int]) -> BatchTotals:
    """:meth:`BatchTotals.as_dict` back into totals (missing numbers are 0)."""
    return BatchTotals(debit_count=int(data.get("debit_count", 0)),
                       debit_amount=int(data.get("debit_amount", 0)),
                       credit_count=int(data.get("credit_count", 0)),
                       credit_amount=int(data.get("credit_amount", 0)))


@dataclass(frozen=True, kw_only=True)
class SettleSummary:
    """What a finished settlement tells the flow (and prints on the settlement slip).

    Attributes:
        batch: The bank batch settled.
        x_batch: The X-menu batch settled.
        when: When it finished (host time of the last answer, or local).
        bank: The bank totals sent in field 48.
        x: The X-menu totals.
        domestic: Domestic reconciliation result: ``1`` 对账平, ``2`` 对账不平, ``3`` error.
        foreign: Foreign-card result.
        x_result: The X settlement's result.
        uploaded: Items sent in the batch upload (0 when balanced).
        new_batch: The bank batch opened afterwards.
    """

    batch: int
    x_batch: int
    when: datetime
    bank: BatchTotals
    x: BatchTotals
    domestic: str
    foreign: str
    x_result: str
    uploaded: int
    new_batch: int
