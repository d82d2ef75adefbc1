"""The journal: the terminal's memory, one SQLite file.

Theory of operation
-------------------
* WAL with ``synchronous=FULL``: once a commit returns, the data survives kill -9 and
  power loss. Every public method that changes anything runs in ONE
  ``BEGIN IMMEDIATE … COMMIT`` and returns only after the commit, so the caller's rule
  is simply "journal first, then send".
* An online transaction::

      stan = j.next_stan()
      tid = j.begin_txn(..., reversal=draft)   # PENDING row + reversal (reason 98), atomic
      ... send the request ...
      answered      -> j.complete_txn(tid, status=APPROVED | DECLINED, rc=...)
                       (deletes the reversal in the same transaction)
      no answer     -> the reversal stays with reason 98
      bad MAC       -> j.set_reversal_reason(tid, "A0", auth_code=...); the row stays
                       PENDING until the reversal ends it (REVERSED or FAILED)
      reversal answered but not accepted -> j.set_reversal_reason(tid, "06")

  Before the next online transaction the runtime takes ``pending_reversal()`` (oldest
  first), counts the try with ``reversal_attempted()`` and ends it with
  ``finish_reversal(rev_id, txn_status=REVERSED)`` or, once it gives up,
  ``txn_status=FAILED``.
* ``complete_txn`` moves a transaction out of PENDING exactly once; completing it again
  is a :class:`~xpos.errors.JournalError`, so a late duplicate cannot book twice.
* The journal refuses card secrets (see :mod:`xpos.journal.guards`).
* One :class:`Journal` per thread; several processes may share the file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from xpos.errors import JournalError
from xpos.journal import guards
from xpos.journal.db import check_counter
from xpos.journal.records import (
    VOIDED_BY,
    ReversalDraft,
    ReversalRecord,
    TxnRecord,
    TxnStatus,
    fields_to_json,
    reversal_from_row,
    txn_from_row,
)
from xpos.journal.settlement import SettlementLog


class Journal(SettlementLog):
    """Transactions, reversal queue, counters and print records in one SQLite file.

    Args:
        path: The database file (created with its schema if missing).
        clock: Returns the current time (aware); defaults to the system clock in UTC.

    Raises:
        JournalError: if the file cannot be opened as a journal.
    """

    # -- transactions -----------------------------------------------------------

    def begin_txn(
        self,
        *,
        kind: str,
        domain: str,
        stan: int,
        batch: int,
        amount: int,
        masked_pan: str,
        tid: str,
        mid: str,
        detail: Mapping[str, Any] | None = None,
        reversal: ReversalDraft | None = None,
    ) -> int:
        """Journal a new PENDING transaction, with its reversal if it needs one.

        Both rows are written in one transaction; the reversal gets reason ``98``.

        Returns:
            The transaction id.

        Raises:
            JournalError: on a refused or invalid value (full PAN, sensitive reversal
                field, unknown domain, out-of-range STAN/batch/amount).
        """
        guards.check_txn(kind=kind, domain=domain, amount=amount, masked_pan=masked_pan)
        check_counter("stan", stan)
        check_counter("batch", batch)
        if reversal is not None:
            guards.check_reversal(reversal)
        detail_text = guards.detail_json(detail or {})
        now = self._now()
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO txn (kind, domain, stan, batch, amount, masked_pan, status,"
                " tid, mid, detail, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                (kind, domain, stan, batch, amount, masked_pan, tid, mid, detail_text, now, now),
            )
            txn_id = int(cur.lastrowid or 0)
            if reversal is not None:
                conn.execute(
                    "INSERT INTO reversal (txn_id, mti, fields, reason, created_at)"
                    " VALUES (?, ?, ?, '98', ?)",
                    (txn_id, reversal.mti, fields_to_json(reversal.fields), now),
                )
        return txn_id

    def complete_txn(
        self,
        txn_id: int,
        *,
        status: TxnStatus,
        rc: str | None = None,
        auth_code: str | None = None,
        rrn: str | None = None,
        detail_update: Mapping[str, Any] | None = None,
        clear_reversal: bool = True,
        voids: int | None = None,
    ) -> TxnRecord:
        """Record the outcome of a PENDING transaction.

        Args:
            txn_id: From :meth:`begin_txn`.
            status: The outcome (not PENDING).
            rc: Field 39.
            auth_code: Field 38.
            rrn: Field 37.
            detail_update: Keys merged into the stored detail.
            clear_reversal: Delete the pending reversal in the same transaction.
            voids: For an approved void: the id of the sale it voids, marked voided
                (detail ``voided_by`` = this transaction's STAN) in the same transaction.

        Returns:
            The updated record.

        Raises:
            JournalError: if the transaction is unknown or no longer PENDING, or the
                status is PENDING; or ``voids`` names a transaction that is not an
                approved, not yet voided sale (nothing is changed then).
        """
        if status is TxnStatus.PENDING:
            raise JournalError("complete_txn needs a final status, not PENDING")
        with self._write() as conn:
            old = self.get(txn_id)
            if old.status is not TxnStatus.PENDING:
                raise JournalError(f"transaction {txn_id} is already {old.status.value}")
            detail = guards.detail_json({**old.detail, **(detail_update or {})})
            conn.execute(
                "UPDATE txn SET status = ?, rc = ?, auth_code = ?, rrn = ?, detail = ?,"
                " updated_at = ? WHERE id = ?",
                (status.value, rc, auth_code, rrn, detail, self._now(), txn_id),
            )
            if clear_reversal:
                conn.execute("DELETE FROM reversal WHERE txn_id = ?", (txn_id,))
            if voids is not None and status is TxnStatus.APPROVED:
                self._mark_voided(conn, voids, by_stan=old.stan)
            return self.get(txn_id)

    def _mark_voided(self, conn: sqlite3.Connection, txn_id: int, *, by_stan: int) -> None:
        """Mark an approved sale voided, inside the caller's write transaction."""
        original = self.get(txn_id)
        if original.kind != "sale" or original.status is not TxnStatus.APPROVED:
            raise JournalError(f"transaction {txn_id} is not an approved sale; cannot void it")
        if original.voided:
            raise JournalError(f"transaction {txn_id} is already voided")
        detail = guards.detail_json({**original.detail, VOIDED_BY: by_stan})
        conn.execute("UPDATE txn SET detail = ?, updated_at = ? WHERE id = ?",
                     (detail, self._now(), txn_id))

    def get(self, txn_id: int) -> TxnRecord:
        """The transaction with this id.

        Raises:
            JournalError: if there is none.
        """
        row = self._one("SELECT * FROM txn WHERE id = ?", txn_id)
        if row is None:
            raise JournalError(f"no transaction with id {txn_id}")
        return txn_from_row(row)

    def by_stan(self, stan: int, batch: int | None = None) -> TxnRecord | None:
        """The newest transaction with this STAN (in ``batch`` if given)."""
        if batch is None:
            row = self._one("SELECT * FROM txn WHERE stan = ? ORDER BY id DESC", stan)
        else:
            sql = "SELECT * FROM txn WHERE stan = ? AND batch = ? ORDER BY id DESC"
            row = self._one(sql, stan, batch)
        return txn_from_row(row) if row else None

    def last(self, kind: str | None = None) -> TxnRecord | None:
        """The newest transaction (of ``kind`` if given)."""
        if kind is None:
            row = self._one("SELECT * FROM txn ORDER BY id DESC")
        else:
            row = self._one("SELECT * FROM txn WHERE kind = ? ORDER BY id DESC", kind)
        return txn_from_row(row) if row else None

    def transactions(
        self, *, batch: int | None = None, domain: str | None = None
    ) -> list[TxnRecord]:
        """All transactions, oldest first, optionally of one batch and/or domain."""
        sql, args = "SELECT * FROM txn WHERE 1", list[Any]()
        if batch is not None:
            sql, args = sql + " AND batch = ?", [*args, batch]
        if domain is not None:
            sql, args = sql + " AND domain = ?", [*args, domain]
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [txn_from_row(r) for r in rows]

    # -- reversal queue ---------------------------------------------------------

    def set_reversal_reason(self, txn_id: int, reason: str, *,
                            auth_code: str | None = None) -> None:
        """Change the field 39 reason of a transaction's pending reversal.

        Args:
            txn_id: The transaction whose reversal changes.
            reason: ``98``, ``A0`` or ``06``.
            auth_code: The authorisation code the host returned, carried in field 38
                of the reversal (reference §1.6).

        Raises:
            JournalError: on an unknown reason or if the transaction has no reversal.
        """
        guards.check_reason(reason)
        with self._write() as conn:
            row = conn.execute("SELECT fields FROM reversal WHERE txn_id = ?",
                               (txn_id,)).fetchone()
            if row is None:
                raise JournalError(f"transaction {txn_id} has no pending reversal")
            fields = {int(k): str(v) for k, v in json.loads(row[0]).items()}
            if auth_code:
                fields[38] = auth_code
            conn.execute("UPDATE reversal SET reason = ?, fields = ? WHERE txn_id = ?",
                         (reason, fields_to_json(fields), txn_id))

    def pending_reversal(self) -> ReversalRecord | None:
        """The oldest pending reversal, or ``None``."""
        row = self._one("SELECT * FROM reversal ORDER BY id")
        return reversal_from_row(row) if row else None

    def reversal_attempted(self, rev_id: int) -> int:
        """Count one send of a reversal (call before sending).

        Returns:
            The number of attempts including this one.

        Raises:
            JournalError: if the reversal is not pending.
        """
        with self._write() as conn:
            conn.execute("UPDATE reversal SET attempts = attempts + 1 WHERE id = ?", (rev_id,))
            row = self._one("SELECT attempts FROM reversal WHERE id = ?", rev_id)
            if row is None:
                raise JournalError(f"no pending reversal with id {rev_id}")
        self._note_reversals()  # the marker names it, should the journal be lost
        return int(row["attempts"])

    def finish_reversal(self, rev_id: int, *, txn_status: TxnStatus) -> None:
        """Drop a reversal from the queue and set its transaction's status.

        Args:
            rev_id: The reversal.
            txn_status: REVERSED if the host took it, FAILED if the terminal gave up.

        Raises:
            JournalError: on another status or an unknown reversal.
        """
        if txn_status not in (TxnStatus.REVERSED, TxnStatus.FAILED):
            raise JournalError("a finished reversal leaves its transaction REVERSED or FAILED")
        with self._write() as conn:
            row = self._one("SELECT txn_id FROM reversal WHERE id = ?", rev_id)
            if row is None:
                raise JournalError(f"no pending reversal with id {rev_id}")
            conn.execute("DELETE FROM reversal WHERE id = ?", (rev_id,))
            conn.execute(
                "UPDATE txn SET status = ?, updated_at = ? WHERE id = ?",
                (txn_status.value, self._now(), row["txn_id"]),
            )

    def queue_reversal(self, txn_id: int, draft: ReversalDraft, *, reason: str) -> None:
        """Queue the reversal of an APPROVED transaction (an undone leg, e.g. the
        third-party debit of a combined payment whose bank leg failed).

        It joins the pending reversals, sent before anything else; when the host takes
        it the transaction becomes REVERSED.

        Raises:
            JournalError: the transaction is not APPROVED or already has a reversal; a
                sensitive field in ``draft``; an unknown reason.
        """
        guards.check_reason(reason)
        guards.check_reversal(draft)
        with self._write() as conn:
            if self.get(txn_id).status is not TxnStatus.APPROVED:
                raise JournalError(f"transaction {txn_id} is not approved; nothing to undo")
            if conn.execute("SELECT 1 FROM reversal WHERE txn_id = ?", (txn_id,)).fetchone():
                raise JournalError(f"transaction {txn_id} already has a pending reversal")
            conn.execute(
                "INSERT INTO reversal (txn_id, mti, fields, reason, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (txn_id, draft.mti, fields_to_json(draft.fields), reason, self._now()),
            )

    # -- print record -----------------------------------------------------------

    def record_print(self, txn_id: int | None, name: str, data: bytes) -> int:
        """Keep the bytes of a document about to be printed, for reprints (B2, B3).

        Returns:
            The record's id; it says *not printed* until :meth:`mark_printed`.
        """
        with self._write(checkpoint=False) as conn:
            cursor = conn.execute(
                "INSERT INTO print_record (txn_id, name, data, created_at) VALUES (?, ?, ?, ?)",
                (txn_id, name, bytes(data), self._now()),
            )
        return int(cursor.lastrowid or 0)

    def mark_printed(self, record_id: int) -> None:
        """The printer took the whole job of print record ``record_id``."""
        with self._write(checkpoint=False) as conn:
            conn.execute("UPDATE print_record SET printed_at = ? WHERE id = ?",
                         (self._now(), record_id))

    def print_status(self, txn_id: int) -> list[tuple[str, bool]]:
        """``(name, printed)`` of every print record of a transaction, oldest first.

        A record not printed is a slip lost to paper-out (sent again whole after the
        reload: a new record), a slip the operator gave up on, or one cut by a kill.
        """
        rows = self._conn.execute(
            "SELECT name, printed_at FROM print_record WHERE txn_id = ? ORDER BY id", (txn_id,))
        return [(row["name"], row["printed_at"] is not None) for row in rows]

    def last_print(self) -> tuple[str, bytes] | None:
        """The newest print record as ``(name, data)``, or ``None``."""
        row = self._one("SELECT name, data FROM print_record ORDER BY id DESC")
        return (row["name"], bytes(row["data"])) if row else None

    def receipts_of(self, txn_id: int) -> list[tuple[str, bytes]]:
        """A transaction's documents for a reprint: the newest record of each name.

        In the order they were first printed (a job recorded again after a paper-out
        retry counts once).
        """
        rows = self._conn.execute(
            "SELECT name, data FROM print_record WHERE txn_id = ? ORDER BY id", (txn_id,))
        newest: dict[str, bytes] = {}  # keeps the first-seen order, takes the last data
        for row in rows:
            newest[row["name"]] = bytes(row["data"])
        return list(newest.items())

    def last_printed_txn(self) -> TxnRecord | None:
        """The newest transaction that has a print record (for 重打印最后一笔)."""
        row = self._one("SELECT txn_id FROM print_record WHERE txn_id IS NOT NULL"
                        " ORDER BY id DESC")
        return self.get(row["txn_id"]) if row else None

    def batch_totals(self, batch: int) -> list[tuple[str, str, int, int]]:
        """Approved transactions of ``batch`` as ``(domain, kind, count, amount)`` rows.

        Only ``approved`` rows count (declined, failed, pending and reversed do not);
        ordered by domain, then kind.
        """
        rows = self._conn.execute(
            "SELECT domain, kind, COUNT(*) AS n, SUM(amount) AS total FROM txn"
            " WHERE batch = ? AND status = 'approved' AND kind NOT IN ('sign_on', 'balance')"
            " GROUP BY domain, kind ORDER BY domain, kind", (batch,)).fetchall()
        return [(r["domain"], r["kind"], int(r["n"]), int(r["total"])) for r in rows]

    def prints_for(self, txn_id: int) -> list[tuple[str, bytes]]:
        """The print records of one transaction, oldest first."""
        rows = self._conn.execute(
            "SELECT name, data FROM print_record WHERE txn_id = ? ORDER BY id", (txn_id,)
        ).fetchall()
        return [(r["name"], bytes(r["data"])) for r in rows]

    # -- the pre-authorisation family (issue 10) ------------------------------------

    def complete_linked(self, txn_id: int, *, rc: str, auth_code: str | None,
                        rrn: str | None, detail_update: Mapping[str, Any],
                        original: int, mark: str, original_kind: str) -> TxnRecord:
        """Approve a PENDING pre-auth void / completion / completion void and mark its
        original, in one SQLite transaction (a kill -9 leaves both or neither).

        Args:
            txn_id: From :meth:`begin_txn`.
            rc, auth_code, rrn: Fields 39, 38, 37.
            detail_update: Keys merged into the row's detail.
            original: The journal id of the original.
            mark: The detail key set on the original (``voided_by`` or
                ``completed_by``) to this transaction's STAN.
            original_kind: The kind the original must have.

        Raises:
            JournalError: the transaction is not PENDING, or the original is not an
                approved ``original_kind`` without ``voided_by`` / ``mark`` (nothing is
                changed then).
        """
        with self._write() as conn:
            old = self.get(txn_id)
            if old.status is not TxnStatus.PENDING:
                raise JournalError(f"transaction {txn_id} is already {old.status.value}")
            linked = self.get(original)
            if (linked.kind != original_kind or linked.status is not TxnStatus.APPROVED
                    or VOIDED_BY in linked.detail or mark in linked.detail):
                raise JournalError(f"transaction {original} cannot be marked {mark}")
            detail = guards.detail_json({**old.detail, **detail_update})
            now = self._now()
            conn.execute(
                "UPDATE txn SET status = 'approved', rc = ?, auth_code = ?, rrn = ?,"
                " detail = ?, updated_at = ? WHERE id = ?",
                (rc, auth_code, rrn, detail, now, txn_id))
            conn.execute("DELETE FROM reversal WHERE txn_id = ?", (txn_id,))
            marked = guards.detail_json({**linked.detail, mark: old.stan})
            conn.execute("UPDATE txn SET detail = ?, updated_at = ? WHERE id = ?",
                         (marked, now, original))
            return self.get(txn_id)
