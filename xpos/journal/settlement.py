"""The journal's settlement record: the X-menu batch counter and settlement progress.

Theory of operation
-------------------
A settlement (结算) is a conversation of several messages; a kill -9 or a network loss
may cut it anywhere, and it must go on from there without sending an item twice. Each
run is one row of the ``settlement`` table (schema v3), at most one of them open (state
not ``done``, a unique index holds it)::

    settle ──0510──> upload (index i, 8 items per message) ──> end ──> x_settle ──> done
           └─balanced──────────────────────────────────────────┘

Every step is committed *before* its message is sent: the state, the STAN the message
carries and, while uploading, the index of the next 0320. A restart reads the row and
sends the same message again with the same STAN (the host answers a repeated STAN
without booking it twice). ``done`` is written in the same transaction that moves both
batch counters on (bank and X, 999999 wraps to 1), so a batch number is never used
again and the settled batch's rows can no longer be voided.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from xpos.errors import JournalError
from xpos.journal.db import MAX_COUNTER, Database

STATES = ("settle", "upload", "end", "x_settle", "done")
"""The settlement states, in order."""


@dataclass(frozen=True, kw_only=True)
class SettlementRecord:
    """One settlement run as the journal keeps it.

    Attributes:
        id: Row id.
        batch: The bank batch being settled.
        x_batch: The X-menu batch settled with it.
        state: One of :data:`STATES`.
        stan: The STAN of the current step's message (None before it is taken).
        upload_index: The next 0320 detail message (0-based).
        uploaded: Items uploaded so far.
        totals: What was computed at the start (JSON object).
        result: Reconciliation results of the 0510, domestic + foreign (e.g. ``"11"``).
        x_result: The X settlement's result digit.
        created_at, updated_at: ISO 8601, UTC.
    """

    id: int
    batch: int
    x_batch: int
    state: str
    stan: int | None
    upload_index: int
    uploaded: int
    totals: dict[str, Any]
    result: str
    x_result: str
    created_at: str
    updated_at: str


def _record(row: sqlite3.Row) -> SettlementRecord:
    return SettlementRecord(id=row["id"], batch=row["batch"], x_batch=row["x_batch"],
                            state=row["state"], stan=row["stan"],
                            upload_index=row["upload_index"], uploaded=row["uploaded"],
                            totals=json.loads(row["totals"]), result=row["result"],
                            x_result=row["x_result"], created_at=row["created_at"],
                            updated_at=row["updated_at"])


def _next(batch: int) -> int:
    return 1 if batch >= MAX_COUNTER else batch + 1


class SettlementLog(Database):
    """The settlement part of the journal (mixed into :class:`xpos.journal.Journal`)."""

    @property
    def x_batch_no(self) -> int:
        """The current X-menu batch number (its own counter, from 1)."""
        return self._counter("x_batch")

    def batch_for(self, domain: str) -> int:
        """The current batch of ``domain``: ``"bank"`` or ``"x"``."""
        return self.x_batch_no if domain == "x" else self.batch_no

    def open_settlement(self) -> SettlementRecord | None:
        """The unfinished settlement, or ``None``."""
        row = self._one("SELECT * FROM settlement WHERE state <> 'done' ORDER BY id DESC")
        return _record(row) if row else None

    def last_settlement(self) -> SettlementRecord | None:
        """The newest finished settlement, or ``None``."""
        row = self._one("SELECT * FROM settlement WHERE state = 'done' ORDER BY id DESC")
        return _record(row) if row else None

    def settlement(self, settle_id: int) -> SettlementRecord:
        """The settlement with this id.

        Raises:
            JournalError: if there is none.
        """
        row = self._one("SELECT * FROM settlement WHERE id = ?", settle_id)
        if row is None:
            raise JournalError(f"no settlement with id {settle_id}")
        return _record(row)

    def start_settlement(self, *, totals: dict[str, Any], stan: int) -> SettlementRecord:
        """Open a settlement of the current bank and X batches (state ``settle``).

        Raises:
            JournalError: one is open already, or there is no batch (after a recovery).
        """
        if self.needs_batch:
            raise JournalError("no batch to settle: sign on first")
        now = self._now()
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM settlement WHERE state <> 'done'").fetchone():
                raise JournalError("a settlement is already open")
            cur = conn.execute(
                "INSERT INTO settlement (batch, x_batch, state, stan, totals, created_at,"
                " updated_at) VALUES (?, ?, 'settle', ?, ?, ?, ?)",
                (self.batch_no, self.x_batch_no, stan, json.dumps(totals, sort_keys=True),
                 now, now))
            settle_id = int(cur.lastrowid or 0)
        return self.settlement(settle_id)

    def settlement_step(self, settle_id: int, *, state: str, **changes: Any) -> SettlementRecord:
        """Move an open settlement to ``state`` with ``changes`` (stan, upload_index,
        uploaded, result, x_result), committed before the caller sends anything.

        Raises:
            JournalError: unknown state or column, or the settlement is not open.
        """
        allowed = {"stan", "upload_index", "uploaded", "result", "x_result"}
        if state not in STATES[:-1] or not set(changes) <= allowed:
            raise JournalError(f"bad settlement step {state!r} {sorted(changes)}")
        sets = ", ".join(f"{name} = ?" for name in changes)
        sql = (f"UPDATE settlement SET state = ?, {sets + ', ' if sets else ''}updated_at = ?"
               " WHERE id = ? AND state <> 'done'")
        with self._write() as conn:
            cur = conn.execute(sql, (state, *changes.values(), self._now(), settle_id))
            if cur.rowcount != 1:
                raise JournalError(f"settlement {settle_id} is not open")
        return self.settlement(settle_id)

    def finish_settlement(self, settle_id: int) -> SettlementRecord:
        """Mark a settlement done and open the next bank and X batches, atomically.

        Raises:
            JournalError: the settlement is not open.
        """
        record = self.settlement(settle_id)
        with self._write() as conn:
            cur = conn.execute("UPDATE settlement SET state = 'done', updated_at = ?"
                               " WHERE id = ? AND state <> 'done'", (self._now(), settle_id))
            if cur.rowcount != 1:
                raise JournalError(f"settlement {settle_id} is not open")
            self._set_counter(conn, "batch", _next(record.batch))
            self._set_counter(conn, "x_batch", _next(record.x_batch))
        self._save_marker(self._marker.but(batch=_next(record.batch)))
        return self.settlement(settle_id)

    def last_print_named(self, name: str) -> bytes | None:
        """The bytes of the newest print record called ``name`` (e.g. ``settlement``)."""
        row = self._one("SELECT data FROM print_record WHERE name = ? ORDER BY id DESC", name)
        return bytes(row["data"]) if row else None
