"""Journal plumbing: the connection, write transactions, timestamps and counters."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from xpos.errors import JournalError, XposError
from xpos.journal import sqlite
from xpos.journal.integrity import open_journal, synced_marker
from xpos.journal.marker import Marker, marker_path, read_marker, write_marker

MAX_COUNTER = 999999
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def check_counter(name: str, value: int) -> None:
    """Refuse a STAN or batch number outside 1..999999.

    Raises:
        JournalError: naming the counter.
    """
    if isinstance(value, bool) or not 1 <= value <= MAX_COUNTER:
        raise JournalError(f"{name} must be 1..{MAX_COUNTER}, got {value}")


class Database:
    """The open journal file; :class:`xpos.journal.Journal` builds on it.

    Args:
        path: The database file (created with its schema, and its marker
            ``journal.id``, on a first start: when neither exists).
        clock: Returns the current time (aware); defaults to the system clock in UTC.

    Raises:
        JournalLostError: the journal is missing, empty, replaced, behind its marker or
            damaged (:mod:`xpos.journal.integrity`); nothing was created.
        JournalError: if the file cannot be opened as a journal.
    """

    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        self._path = Path(path)
        self._clock = clock or _utc_now
        self._conn, self._marker = open_journal(self._path)
        self._closed = False

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Bring the marker up to date (STAN floor, pending reversals) and close.

        The object is unusable afterwards; closing again does nothing.
        """
        if self._closed:
            return
        self._closed = True
        try:
            current = read_marker(marker_path(self._path)) or self._marker
            if current.journal_id == self._marker.journal_id:
                self._save_marker(synced_marker(self._conn, current))
        except (XposError, sqlite3.Error) as exc:
            log.warning("journal marker not updated at close: %s", exc)
        finally:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="milliseconds")

    @contextlib.contextmanager
    def _write(self, *, checkpoint: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (and checkpointed) before the block is left.

        The checkpoint copies the commit from the WAL into ``journal.db`` (fsynced under
        ``synchronous=FULL``), so deleting the WAL cannot lose it. Two kinds of commit
        skip it, and the next checkpoint takes them along: print records (reprint
        copies, no money) and taking a STAN, which is checkpointed with the transaction
        that sends it (``begin_txn``) or, for a sign-on, with its batch.
        """
        with sqlite.write(self._conn, error=JournalError, what="journal") as conn:
            yield conn
        if checkpoint:
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    # -- marker -----------------------------------------------------------------

    @property
    def marker(self) -> Marker:
        """What the marker ``journal.id`` says (as last written by this object)."""
        return self._marker

    @property
    def journal_id(self) -> str:
        """This journal's id (also in its marker)."""
        return self._marker.journal_id

    def _save_marker(self, marker: Marker) -> None:
        if marker == self._marker:
            return
        try:
            write_marker(marker_path(self._path), marker.but(updated_at=self._now()))
        except OSError as exc:
            raise JournalError(f"cannot write the journal marker: {exc}") from exc
        self._marker = marker

    @property
    def tmk_kcv(self) -> str | None:
        """The check value of the TMK the marker says was loaded, or None."""
        return self._marker.tmk_kcv

    def note_tmk(self, kcv: str) -> None:
        """Record in the marker that a TMK with check value ``kcv`` is loaded."""
        self._save_marker(self._marker.but(tmk_kcv=kcv))

    def _note_reversals(self) -> None:
        rows = self._conn.execute(
            "SELECT t.stan FROM reversal r JOIN txn t ON t.id = r.txn_id ORDER BY r.id")
        self._save_marker(self._marker.but(pending_reversals=tuple(int(r[0]) for r in rows)))

    def _one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(sql, args).fetchone()
        return row

    @property
    def sqlite_settings(self) -> dict[str, Any]:
        """The durability settings in effect on this connection, for diagnostics."""
        return sqlite.settings(self._conn)

    # -- counters ---------------------------------------------------------------

    def _counter(self, name: str) -> int:
        row = self._one("SELECT value FROM counter WHERE name = ?", name)
        assert row is not None
        return int(row["value"])

    def _set_counter(self, conn: sqlite3.Connection, name: str, value: int) -> None:
        conn.execute("UPDATE counter SET value = ? WHERE name = ?", (value, name))

    def next_stan(self) -> int:
        """Take the next system trace number: 1..999999, then 1 again (committed).

        When the STAN leaves the marker's reservation, the marker is rewritten first
        (floor = the last STAN, a new block reserved), under the journal's write lock.
        """
        with self._write(checkpoint=False) as conn:
            last = self._counter("stan")
            stan = 1 if last >= MAX_COUNTER else last + 1
            reservation = self._marker.next_reservation(stan)
            if reservation is not None:
                self._save_marker(reservation)
            self._set_counter(conn, "stan", stan)
        return stan

    def set_next_stan(self, stan: int) -> None:
        """Make the next :meth:`next_stan` return ``stan`` (admin "set trace number")."""
        check_counter("stan", stan)
        with self._write() as conn:
            floor = min(self._marker.stan_floor, stan - 1)
            self._save_marker(self._marker.but(stan_floor=floor))
            self._set_counter(conn, "stan", stan - 1)

    @property
    def batch_no(self) -> int:
        """The current batch number (starts at 1; 0 after a recovery, until a sign-on)."""
        return self._counter("batch")

    @property
    def needs_batch(self) -> bool:
        """True after a recovery until a sign-on brought a new batch number (no sales)."""
        return self.batch_no == 0

    def clear_batch(self) -> None:
        """Set the batch numbers to 0, "none": a recovered journal, until a sign-on.

        Both the bank batch and the X-menu batch: the lost journal's X batch is not known
        either, so the X batch takes the host's new bank batch number at the sign-on
        (:meth:`set_batch_no`) instead of starting again at 1, a batch the platform may
        have closed already.
        """
        with self._write() as conn:
            self._set_counter(conn, "batch", 0)
            self._set_counter(conn, "x_batch", 0)

    def set_batch_no(self, n: int) -> None:
        """Set the batch number (after settlement, or from the sign-on response 60.2).

        Raises:
            JournalError: ``n`` is out of range, or the journal was recovered and ``n`` is
                the lost journal's batch (the host must open a new one).
        """
        check_counter("batch", n)
        if self.needs_batch and n == self._marker.batch:
            raise JournalError(f"the host gave batch {n:06d} again after a journal recovery;"
                               " a new batch is required before any sale")
        with self._write() as conn:
            self._set_counter(conn, "batch", n)
            if self._counter("x_batch") == 0:  # recovered: the X batch follows the host's
                self._set_counter(conn, "x_batch", n)
        self._save_marker(self._marker.but(batch=n))
