"""Holds of the pre-authorisation family in the reference host's store.

Every function is one committed SQLite transaction on the :class:`HostStore` (its
write helper): a ledger row and the change it stands for are written together, so a
crash leaves both or neither. The table (migration v3 in :mod:`.schema`):

* a pre-auth approval places a hold (``held``) for its amount, only while the card's
  balance minus its other held amounts covers it; the balance is not touched;
* a pre-auth void releases a ``held`` hold (``released``);
* a completion debits the card (only if the balance holds the amount) and marks the
  hold ``completed`` with the completion's ledger row; its amount is at most the hold's
  (the handler checks: no tolerance above the hold);
* a completion void credits the completion's amount back; the hold stays
  ``completed`` (a completion void does not bring the pre-auth back);
* a reversal undoes exactly one of these, once (see :func:`reverse_family`).

Ledger ``ref`` links the rows: ``H<hold id>`` for a pre-auth void and a completion,
``C<completion ledger id>`` for a completion void.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xpos.refhost.rows import LedgerDraft, LedgerEntry
from xpos.refhost.schema import LEDGER_COLUMNS, insert_ledger, ledger_entry
from xpos.refhost.store import HostStore

HOLD_COLUMNS = "h.id, h.preauth, h.account, h.amount, h.status, h.completion"
_LEDGER_L = ", ".join(f"l.{c.strip()}" for c in LEDGER_COLUMNS.split(","))
_MMDD = "substr(l.created_at, 6, 2) || substr(l.created_at, 9, 2)"


@dataclass(frozen=True, kw_only=True)
class Hold:
    """One hold: the amount a pre-auth reserved on a card.

    Attributes:
        id: Row id.
        preauth: The ledger id of the approved pre-auth.
        account: The card row id.
        amount: In fen.
        status: ``held``, ``released`` or ``completed``.
        completion: The ledger id of the completion, once completed.
    """

    id: int
    preauth: int
    account: int
    amount: int
    status: str
    completion: int | None


def _hold(row: tuple[Any, ...]) -> Hold:
    return Hold(id=row[0], preauth=row[1], account=row[2], amount=row[3], status=row[4],
                completion=row[5])


def held_amount(store: HostStore, account: int) -> int:
    """The sum of the card's ``held`` holds, in fen."""
    row = store._one("SELECT coalesce(sum(amount), 0) FROM holds WHERE account = ?"
                     " AND status = 'held'", account)
    return int(row[0]) if row else 0


def holds(store: HostStore, account: int | None = None) -> list[Hold]:
    """Every hold (of one card if given), oldest first."""
    rows = store._db.execute(
        f"SELECT {HOLD_COLUMNS} FROM holds h WHERE (? IS NULL OR h.account = ?) ORDER BY h.id",
        (account, account)).fetchall()
    return [_hold(row) for row in rows]


def hold_of(store: HostStore, preauth: LedgerEntry) -> Hold | None:
    """The hold an approved pre-auth placed, or None."""
    row = store._one(f"SELECT {HOLD_COLUMNS} FROM holds h WHERE h.preauth = ?", preauth.id)
    return None if row is None else _hold(row)


def place_hold(store: HostStore, draft: LedgerDraft, balance: int) -> LedgerEntry | None:
    """Record an approved pre-auth and hold its amount on card ``draft.account``.

    Args:
        store: The host store.
        draft: The approval (kind ``preauth``).
        balance: The card's balance as read by the caller (checked again here).

    Returns:
        The ledger entry, or None (nothing written) when the balance minus the card's
        held amounts does not cover it.
    """
    with store._tx() as db:
        row = db.execute("SELECT c.balance - coalesce((SELECT sum(amount) FROM holds"
                         " WHERE account = c.id AND status = 'held'), 0) FROM cards c"
                         " WHERE c.id = ?", (draft.account,)).fetchone()
        if row is None or int(row[0]) < draft.amount or balance < draft.amount:
            return None
        entry_id = insert_ledger(db, draft)
        db.execute("INSERT INTO holds (preauth, account, amount, status)"
                   " VALUES (?, ?, ?, 'held')", (entry_id, draft.account, draft.amount))
    return store.entry(entry_id)


def find_preauth(store: HostStore, account: int, auth_code: str,
                 date: str) -> tuple[LedgerEntry, Hold] | None:
    """The approved, not reversed pre-auth on this card with this auth code and MMDD."""
    row = store._one(
        f"SELECT {_LEDGER_L}, {HOLD_COLUMNS} FROM ledger l JOIN holds h ON h.preauth = l.id"
        f" WHERE l.kind = 'preauth' AND l.rc = '00' AND l.reversed = 0 AND l.account = ?"
        f" AND l.auth_code = ? AND {_MMDD} = ? ORDER BY l.id DESC LIMIT 1",
        account, auth_code, date)
    if row is None:
        return None
    width = len(LEDGER_COLUMNS.split(","))
    return ledger_entry(row[:width]), _hold(row[width:])


def find_completion(store: HostStore, account: int, auth_code: str,
                    date: str) -> LedgerEntry | None:
    """The approved, not reversed completion on this card with this auth code and MMDD."""
    row = store._one(
        f"SELECT {_LEDGER_L} FROM ledger l WHERE l.kind = 'completion' AND l.rc = '00'"
        f" AND l.reversed = 0 AND l.account = ? AND l.auth_code = ? AND {_MMDD} = ?"
        " ORDER BY l.id DESC LIMIT 1", account, auth_code, date)
    return None if row is None else ledger_entry(row)


def completion_voided(store: HostStore, completion: LedgerEntry) -> bool:
    """True if the completion has a live (approved, not reversed) completion void."""
    row = store._one("SELECT 1 FROM ledger WHERE kind = 'completion_void' AND rc = '00'"
                     " AND reversed = 0 AND ref = ?", f"C{completion.id}")
    return row is not None


def release(store: HostStore, hold: Hold, draft: LedgerDraft) -> LedgerEntry | None:
    """Release a ``held`` hold (pre-auth void) and record it; None if it is not held."""
    with store._tx() as db:
        cur = db.execute("UPDATE holds SET status = 'released' WHERE id = ?"
                         " AND status = 'held'", (hold.id,))
        if cur.rowcount != 1:
            return None
        entry_id = insert_ledger(db, draft)
    return store.entry(entry_id)


class _NoFunds(Exception):
    """Rolls a transaction back when the card cannot be debited."""


def complete(store: HostStore, hold: Hold, draft: LedgerDraft) -> LedgerEntry | None:
    """Debit the completion amount, mark the hold completed, record the completion.

    Returns:
        The ledger entry, or None (nothing changed) when the hold is no longer held or
        the balance does not cover the amount.
    """
    try:
        with store._tx() as db:
            debit = db.execute("UPDATE cards SET balance = balance - ? WHERE id = ?"
                               " AND balance >= ?", (draft.amount, hold.account, draft.amount))
            if debit.rowcount != 1:
                raise _NoFunds
            entry_id = insert_ledger(db, draft)
            cur = db.execute("UPDATE holds SET status = 'completed', completion = ?"
                             " WHERE id = ? AND status = 'held'", (entry_id, hold.id))
            if cur.rowcount != 1:
                raise _NoFunds
    except _NoFunds:
        return None
    return store.entry(entry_id)


def void_completion(store: HostStore, completion: LedgerEntry,
                    draft: LedgerDraft) -> LedgerEntry | None:
    """Credit a completion's amount back and record the void; None if already voided."""
    with store._tx() as db:
        live = db.execute("SELECT 1 FROM ledger WHERE kind = 'completion_void' AND rc = '00'"
                          " AND reversed = 0 AND ref = ?", (draft.ref,)).fetchone()
        if live is not None:
            return None
        db.execute("UPDATE cards SET balance = balance + ? WHERE id = ?",
                   (completion.amount, completion.account))
        entry_id = insert_ledger(db, draft)
    return store.entry(entry_id)


def reverse_family(store: HostStore, original: LedgerEntry, draft: LedgerDraft) -> bool:
    """Undo an approved family row once and record the reversal.

    pre-auth: its hold is released. Pre-auth void: the hold is held again. Completion:
    the amount is credited back and the hold is held again. Completion void: the
    amount is debited again (only if the balance holds it).

    Returns:
        True if this call undid it; False if it was not approved or already reversed.

    Raises:
        ValueError: (nothing changed) the card no longer holds a completion void's amount.
    """
    try:
        with store._tx() as db:
            cur = db.execute("UPDATE ledger SET reversed = 1 WHERE id = ? AND reversed = 0"
                             " AND rc = '00'", (original.id,))
            undone = cur.rowcount == 1
            if undone:
                _undo(db, original)
            insert_ledger(db, draft)
    except _NoFunds:
        raise ValueError("the card no longer holds the completion void's amount") from None
    return undone


def _undo(db: Any, original: LedgerEntry) -> None:
    hold_id = original.ref[1:] if original.ref.startswith("H") else ""
    if original.kind == "preauth":
        db.execute("UPDATE holds SET status = 'released' WHERE preauth = ? AND status = 'held'",
                   (original.id,))
    elif original.kind == "preauth_void":
        db.execute("UPDATE holds SET status = 'held' WHERE id = ? AND status = 'released'",
                   (hold_id,))
    elif original.kind == "completion":
        db.execute("UPDATE cards SET balance = balance + ? WHERE id = ?",
                   (original.amount, original.account))
        db.execute("UPDATE holds SET status = 'held', completion = NULL WHERE completion = ?",
                   (original.id,))
    elif original.kind == "completion_void":
        debit = db.execute("UPDATE cards SET balance = balance - ? WHERE id = ?"
                           " AND balance >= ?",
                           (original.amount, original.account, original.amount))
        if debit.rowcount != 1:
            raise _NoFunds
