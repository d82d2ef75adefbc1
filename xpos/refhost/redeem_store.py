"""SQL of X1 redemption in parts (schema v7), inside the host store's transactions.

Theory of operation
-------------------
``vouchers.quantity`` is the number of items *left*; a redemption takes ``units`` of
them (status ``used`` once none are left) and writes its ledger row and its
``redemptions`` row in the same SQLite transaction. An X void puts the items back and
marks the redemption (``voided_by``) in one transaction; a reversal of either undoes
exactly that, once (:meth:`xpos.refhost.store.HostStore.reverse` calls
:func:`undo_redemption` and :func:`undo_void`). A redemption recorded before v7 has no
``redemptions`` row: its reversal makes the voucher valid again as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xpos.refhost.rows import LedgerDraft, LedgerEntry
from xpos.refhost.schema import insert_ledger

if TYPE_CHECKING:
    from xpos.refhost.store import HostStore

DEFAULT_VOID_WINDOW_S = 86_400
"""How long after a redemption an X void is accepted, unless the provider says."""


@dataclass(frozen=True, kw_only=True)
class VoucherTerms:
    """What v7 adds to a voucher: unit value (fen), first valid day, its one merchant."""

    value: int = 0
    valid_from: str = ""
    mid: str | None = None


@dataclass(frozen=True, kw_only=True)
class Redemption:
    """One redemption: the ledger row, the voucher, the items, the void (if any)."""

    ledger: int
    code: str
    units: int
    voided_by: int | None


def put_terms(store: HostStore, code: str, terms: VoucherTerms) -> None:
    """Set (or replace) a voucher's terms."""
    with store._tx() as db:
        db.execute("INSERT OR REPLACE INTO voucher_terms VALUES (?, ?, ?, ?)",
                   (code, terms.value, terms.valid_from, terms.mid))


def terms_of(store: HostStore, code: str) -> VoucherTerms:
    """A voucher's terms (defaults when it has none)."""
    row = store._one("SELECT value, valid_from, mid FROM voucher_terms"
                     " WHERE code = ?", code)
    return VoucherTerms() if row is None else VoucherTerms(value=row[0], valid_from=row[1],
                                                            mid=row[2])


def set_void_window(store: HostStore, provider: str, seconds: int) -> None:
    """Give ``provider`` its own X void window."""
    with store._tx() as db:
        db.execute("INSERT OR REPLACE INTO provider_terms VALUES (?, ?)", (provider, seconds))


def void_window(store: HostStore, provider: str, default: int) -> int:
    """The provider's X void window in seconds (``default`` when it has none)."""
    row = store._one("SELECT void_window_s FROM provider_terms WHERE provider = ?",
                     provider)
    return default if row is None else int(row[0])


def redemption(store: HostStore, ledger: int) -> Redemption | None:
    """The redemption recorded with ledger row ``ledger``, if any."""
    row = store._one("SELECT ledger, code, units, voided_by FROM redemptions"
                     " WHERE ledger = ?", ledger)
    return None if row is None else Redemption(ledger=row[0], code=row[1], units=row[2],
                                               voided_by=row[3])


def redeem_units(store: HostStore, code: str, units: int, draft: LedgerDraft) -> LedgerEntry | None:
    """Take ``units`` items of a valid voucher and record the approval (one transaction).

    Returns:
        The ledger entry, or None (nothing changed) if fewer items are left.
    """
    with store._tx() as db:
        cur = db.execute(
            "UPDATE vouchers SET quantity = quantity - ?, used_at = ?, used_by_tid = ?,"
            " status = CASE WHEN quantity = ? THEN 'used' ELSE status END"
            " WHERE code = ? AND status = 'valid' AND quantity >= ?",
            (units, draft.when.isoformat(), draft.tid, units, code, units))
        if cur.rowcount != 1:
            return None
        entry_id = insert_ledger(db, draft)
        db.execute("INSERT INTO redemptions (ledger, code, units) VALUES (?, ?, ?)",
                   (entry_id, code, units))
    return store.entry(entry_id)


def void_redemption(store: HostStore, original: Redemption,
                    draft: LedgerDraft) -> LedgerEntry | None:
    """Put a redemption's items back and record the X void (one transaction).

    Returns:
        The ledger entry, or None (nothing changed) if it is voided already.
    """
    with store._tx() as db:
        entry_id = insert_ledger(db, draft)
        cur = db.execute("UPDATE redemptions SET voided_by = ? WHERE ledger = ?"
                         " AND voided_by IS NULL", (entry_id, original.ledger))
        if cur.rowcount != 1:
            raise _Voided
        db.execute("UPDATE vouchers SET quantity = quantity + ?, status = 'valid'"
                   " WHERE code = ?", (original.units, original.code))
    return store.entry(entry_id)


class _Voided(Exception):
    """Rolls :func:`void_redemption`'s transaction back (the redemption is voided)."""


def void_or_none(store: HostStore, original: Redemption,
                 draft: LedgerDraft) -> LedgerEntry | None:
    """:func:`void_redemption`, None when another void came first."""
    try:
        return void_redemption(store, original, draft)
    except _Voided:
        return None


def undo_redemption(db: sqlite3.Connection, original: LedgerEntry) -> None:
    """Inside a reversal's transaction: give a redemption's items back (once)."""
    row = db.execute("SELECT units, voided_by FROM redemptions WHERE ledger = ?",
                     (original.id,)).fetchone()
    if row is None:  # before v7: one redemption used the whole voucher
        db.execute("UPDATE vouchers SET status = 'valid', used_at = NULL,"
                   " used_by_tid = NULL WHERE code = ?", (original.ref,))
        return
    if row[1] is None:  # a voided redemption's items are back already
        db.execute("UPDATE vouchers SET quantity = quantity + ?, status = 'valid'"
                   " WHERE code = ?", (row[0], original.ref))


def undo_void(db: sqlite3.Connection, original: LedgerEntry) -> None:
    """Inside a reversal's transaction: take the items of a voided redemption again.

    Raises:
        ValueError: (the caller's transaction rolls back) the items are gone again.
    """
    row = db.execute("SELECT ledger, code, units FROM redemptions WHERE voided_by = ?",
                     (original.id,)).fetchone()
    if row is None:
        return
    taken = db.execute("UPDATE vouchers SET quantity = quantity - ?,"
                       " status = CASE WHEN quantity = ? THEN 'used' ELSE status END"
                       " WHERE code = ? AND quantity >= ?", (row[2], row[2], row[1], row[2]))
    if taken.rowcount != 1:
        raise ValueError("the voucher no longer holds the restored items")
    db.execute("UPDATE redemptions SET voided_by = NULL WHERE ledger = ?", (row[0],))
