"""Reconcile a terminal journal against the reference host's ledger (the money invariants).

Theory of operation
-------------------
After a run of transactions (killed, restarted, faulted, recovered) the two sides must
tell the same story about money. :func:`reconcile` reads plain rows from both sides and
counts every way they can disagree; each count must be zero:

* **lost**: the host holds an approved, not reversed sale or void that the terminal's
  journal does not know as approved (the customer paid, the merchant does not know).
* **phantom**: the journal says approved but the host has no live approval for that
  batch + STAN (the merchant handed over goods for nothing).
* **double_charged**: more than one live host approval for one terminal transaction, or
  a card balance that differs from the initial balance minus the journal's approved
  sales plus its approved voids (in fen).
* **unreversed**: a journal row still pending (its reversal not yet accepted) after
  recovery, or marked reversed while the host still holds its approval.
* **reversal_count**: a reversed transaction for which the host received no 0400, or
  more 0400s than the terminal counted attempts for (a reversal is resent only when a
  kill or a fault left the terminal unsure that its last attempt arrived).
* **stan_reused**: two journal rows with the same batch + STAN, or a host row for a
  batch + STAN whose kind or amount is not the journal's.
* **void_mismatch**: a sale marked voided without an approved void naming it, or an
  approved void whose sale is not marked voided.

Counts, not a boolean, so a harness can print them and a test can show which broke.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from xpos.journal import TxnRecord, TxnStatus
from xpos.refhost.rows import LedgerEntry

MONEY_KINDS = ("sale", "void")
"""Journal / ledger kinds that move money (new kinds append theirs and their sign)."""

SIGN = {"sale": -1, "void": +1}
"""How an approved transaction of each kind changes the card's balance."""

Key = tuple[int, int]
"""(batch, STAN)."""


@dataclass(frozen=True)
class Invariants:
    """How many times each invariant was broken (all zero is a pass)."""

    lost: int = 0
    phantom: int = 0
    double_charged: int = 0
    unreversed: int = 0
    reversal_count: int = 0
    stan_reused: int = 0
    void_mismatch: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing was broken."""
        return not any(getattr(self, f.name) for f in fields(self))

    def __str__(self) -> str:
        """``lost=0 phantom=0 …``."""
        return " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


@dataclass(frozen=True, kw_only=True)
class Sides:
    """What both sides hold, as plain rows.

    Attributes:
        txns: The journal's transactions (one terminal).
        ledger: The host ledger rows of that terminal.
        balance_change: The card's host balance now minus at the start (fen).
        attempts_seen: Per (batch, STAN), the most reversal attempts the journal had
            counted at any moment the terminal was killed or faulted (0 if never seen).
    """

    txns: list[TxnRecord]
    ledger: list[LedgerEntry]
    balance_change: int
    attempts_seen: Mapping[Key, int]


def reconcile(sides: Sides) -> Invariants:
    """Count the broken invariants (see the module docstring)."""
    txns = [t for t in sides.txns if t.kind in MONEY_KINDS]
    journal = {(t.batch, t.stan): t for t in txns}
    live = [e for e in sides.ledger if e.kind in MONEY_KINDS and e.rc == "00" and not e.reversed]
    live_by_key = Counter((e.batch, e.stan) for e in live)
    reversals = Counter((e.batch, e.stan) for e in sides.ledger if e.kind == "reversal")
    approved = [t for t in txns if t.status is TxnStatus.APPROVED]
    expected = sum(SIGN[t.kind] * t.amount for t in approved)
    return Invariants(
        lost=sum(1 for e in live if _status(journal, e) is not TxnStatus.APPROVED),
        phantom=sum(1 for t in approved if live_by_key[(t.batch, t.stan)] == 0),
        double_charged=(sum(1 for n in live_by_key.values() if n > 1)
                        + (sides.balance_change != expected)),
        unreversed=sum(1 for t in txns if t.status is TxnStatus.PENDING
                       or (t.status is TxnStatus.REVERSED and live_by_key[(t.batch, t.stan)])),
        reversal_count=_reversal_count(txns, reversals, sides.attempts_seen),
        stan_reused=(len(txns) - len(journal)
                     + _foreign(journal, sides.ledger)),
        void_mismatch=_void_mismatch(txns),
    )


def _status(journal: Mapping[Key, TxnRecord], entry: LedgerEntry) -> TxnStatus | None:
    record = journal.get((entry.batch, entry.stan))
    return None if record is None or record.kind != entry.kind else record.status


def _reversal_count(txns: Iterable[TxnRecord], reversals: Counter[Key],
                    attempts_seen: Mapping[Key, int]) -> int:
    broken = 0
    for t in txns:
        key = (t.batch, t.stan)
        sent = reversals[key]
        never = t.status is TxnStatus.REVERSED and sent == 0
        broken += never or sent > attempts_seen.get(key, 0) + 1
    return broken


def _foreign(journal: Mapping[Key, TxnRecord], ledger: Iterable[LedgerEntry]) -> int:
    """Host money rows whose batch + STAN the journal gives to another kind or amount."""
    bad = 0
    for e in ledger:
        if e.kind not in MONEY_KINDS:
            continue
        record = journal.get((e.batch, e.stan))
        if record is None:
            continue  # a row the journal never began cannot exist: "lost" counts it if live
        if record.kind != e.kind or (e.rc == "00" and record.amount != e.amount):
            bad += 1
    return bad


def _void_mismatch(txns: list[TxnRecord]) -> int:
    voids_of: defaultdict[Key, int] = defaultdict(int)
    for t in txns:
        if t.kind == "void" and t.status is TxnStatus.APPROVED:
            voids_of[(int(t.detail.get("original_batch", 0)),
                      int(t.detail.get("original_stan", 0)))] += 1
    marked = {(t.batch, t.stan) for t in txns if t.kind == "sale" and t.voided}
    return len(marked ^ set(voids_of)) + sum(1 for n in voids_of.values() if n > 1)
