"""Reconcile a terminal journal against the reference host's ledger (the money invariants).

Theory of operation
-------------------
After a run of transactions (killed, restarted, faulted, recovered) the two sides must
tell the same story about money. :func:`reconcile` reads plain rows from both sides and
counts every way they can disagree; each count must be zero:

* **lost**: the host holds an approved, not reversed money row that the terminal's
  journal does not know as approved (the customer paid, the merchant does not know).
  A refund is never reversed (reference §1.6): one whose answer was lost stays
  ``pending`` in the journal, its outcome unknown (the merchant checks with the
  acquirer); the host holding it approved is then no loss, but approved twice is.
* **phantom**: the journal says approved but the host has no live approval for that
  batch + STAN (the merchant handed over goods for nothing).
* **double_charged**: more than one live host approval for one terminal transaction, or
  a card balance that differs from the initial balance moved by the journal's approved
  rows (:data:`SIGN`: sales and completions debit, voids, completion voids and refunds
  credit, pre-auths only hold) and by its unknown refunds the host approved (in fen).
* **unreversed**: a journal row still pending (its reversal not yet accepted) after
  recovery -- a refund excepted, it has no reversal --, or marked reversed while the
  host still holds its approval.
* **reversal_count**: a reversed transaction for which the host received no 0400, or
  more 0400s than the terminal counted attempts for (a reversal is resent only when a
  kill or a fault left the terminal unsure that its last attempt arrived), or any 0400
  for a refund.
* **stan_reused**: two journal rows with the same batch + STAN, or a host row for a
  batch + STAN whose kind or amount is not the journal's.
* **void_mismatch**: a sale marked voided without an approved void naming it, or an
  approved void whose sale is not marked voided; the same between a pre-auth void or a
  completion and its pre-auth (``voided_by`` / ``completed_by``: a completion must
  match a hold) and between a completion void and its completion.
* **settle_mismatch**: per settled batch (:class:`Settled`), the terminal's settled
  totals plus its unknown refunds the host approved differ from the host's own totals
  for that batch, or the host counted an uploaded item twice.

Counts, not a boolean, so a harness can print them and a test can show which broke.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from xpos.journal import TxnRecord, TxnStatus
from xpos.refhost.rows import LedgerEntry

MONEY_KINDS = ("sale", "void", "refund", "preauth", "preauth_void", "completion",
               "completion_void")
"""Journal / ledger kinds that move (or hold) money (new kinds append theirs and their
sign)."""

SIGN = {"sale": -1, "void": +1, "refund": +1, "preauth": 0, "preauth_void": 0,
        "completion": -1, "completion_void": +1}
"""How an approved transaction of each kind changes the card's balance (a pre-auth
holds, it does not debit)."""

NEVER_REVERSED = frozenset({"refund"})
"""Kinds with no reversal: a lost answer leaves them ``pending`` (unknown)."""

LINKS = {"void": ("sale", "voided_by"), "preauth_void": ("preauth", "voided_by"),
         "completion": ("preauth", "completed_by"),
         "completion_void": ("completion", "voided_by")}
"""An approved kind -> the original's kind and the mark the original must carry."""

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
    settle_mismatch: int = 0

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
    settled: Sequence[Settled] = ()


@dataclass(frozen=True, kw_only=True)
class Settled:
    """One finished settlement, both sides' bank totals (debit/credit count and amount).

    Attributes:
        batch: The settled bank batch.
        terminal: The totals the terminal settled (journaled at the start).
        host: The host's own totals of that batch's ledger.
        duplicates: Uploaded items the host received more than once for that batch.
    """

    batch: int
    terminal: Mapping[str, int]
    host: Mapping[str, int]
    duplicates: int = 0


def reconcile(sides: Sides) -> Invariants:
    """Count the broken invariants (see the module docstring)."""
    txns = [t for t in sides.txns if t.kind in MONEY_KINDS]
    journal = {(t.batch, t.stan): t for t in txns}
    live = [e for e in sides.ledger if e.kind in MONEY_KINDS and e.rc == "00" and not e.reversed]
    live_by_key = Counter((e.batch, e.stan) for e in live)
    reversals = Counter((e.batch, e.stan) for e in sides.ledger if e.kind == "reversal")
    approved = [t for t in txns if t.status is TxnStatus.APPROVED]
    unknown = [t for t in txns if _unknown(t) and live_by_key[(t.batch, t.stan)]]
    expected = sum(SIGN[t.kind] * t.amount for t in (*approved, *unknown))
    return Invariants(
        lost=sum(1 for e in live if not _known(journal, e)),
        phantom=sum(1 for t in approved if live_by_key[(t.batch, t.stan)] == 0),
        double_charged=(sum(1 for n in live_by_key.values() if n > 1)
                        + (sides.balance_change != expected)),
        unreversed=sum(1 for t in txns if (t.status is TxnStatus.PENDING and not _unknown(t))
                       or (t.status is TxnStatus.REVERSED and live_by_key[(t.batch, t.stan)])),
        reversal_count=_reversal_count(txns, reversals, sides.attempts_seen),
        stan_reused=(len(txns) - len(journal)
                     + _foreign(journal, sides.ledger)),
        void_mismatch=_void_mismatch(txns),
        settle_mismatch=_settle_mismatch(sides.settled, unknown),
    )


def _unknown(t: TxnRecord) -> bool:
    """A transaction without a reversal whose answer never arrived (outcome unknown)."""
    return t.kind in NEVER_REVERSED and t.status is TxnStatus.PENDING


def _known(journal: Mapping[Key, TxnRecord], entry: LedgerEntry) -> bool:
    """The journal knows this live host approval: approved, or (refund) unknown."""
    record = journal.get((entry.batch, entry.stan))
    if record is None or record.kind != entry.kind:
        return False
    return record.status is TxnStatus.APPROVED or _unknown(record)


def _reversal_count(txns: Iterable[TxnRecord], reversals: Counter[Key],
                    attempts_seen: Mapping[Key, int]) -> int:
    broken = 0
    for t in txns:
        key = (t.batch, t.stan)
        sent = reversals[key]
        never = t.status is TxnStatus.REVERSED and sent == 0
        broken += (never or sent > attempts_seen.get(key, 0) + 1
                   or (t.kind in NEVER_REVERSED and sent > 0))
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
    broken = 0
    for kind, (original, mark) in LINKS.items():
        links: defaultdict[Key, int] = defaultdict(int)
        for t in txns:
            if t.kind == kind and t.status is TxnStatus.APPROVED:
                links[(int(t.detail.get("original_batch", 0)),
                       int(t.detail.get("original_stan", 0)))] += 1
        marked = {(t.batch, t.stan) for t in txns if t.kind == original and mark in t.detail}
        broken += len(marked ^ set(links)) + sum(1 for n in links.values() if n > 1)
    return broken


def _settle_mismatch(settled: Iterable[Settled], unknown: Iterable[TxnRecord]) -> int:
    """Settled batches whose two sides differ by more than the unknown refunds explain."""
    credits: Counter[int] = Counter()
    counts: Counter[int] = Counter()
    for t in unknown:
        credits[t.batch] += t.amount
        counts[t.batch] += 1
    broken = 0
    for s in settled:
        terminal = dict(s.terminal)
        terminal["credit_amount"] = terminal.get("credit_amount", 0) + credits[s.batch]
        terminal["credit_count"] = terminal.get("credit_count", 0) + counts[s.batch]
        sides = ("debit_count", "debit_amount", "credit_count", "credit_amount")
        broken += (any(terminal.get(k, 0) != s.host.get(k, 0) for k in sides)
                   + (s.duplicates > 0))
    return broken
