"""Journal plumbing: the connection, write transactions, timestamps and counters."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from xpos.errors import JournalError
from xpos.journal import sqlite
from xpos.journal.schema import connect

MAX_COUNTER = 999999
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
        path: The database file (created with its schema if missing).
        clock: Returns the current time (aware); defaults to the system clock in UTC.

    Raises:
        JournalError: if the file cannot be opened as a journal.
    """

    def __init__(self, path: Path, *, clock: Clock | None = None) -> None:
        self._path = Path(path)
        self._clock = clock or _utc_now
        self._conn = connect(self._path)

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Close the database; the object is unusable afterwards."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="milliseconds")

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction, committed before the ``with`` block is left."""
        return sqlite.write(self._conn, error=JournalError, what="journal")

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
        """Take the next system trace number: 1..999999, then 1 again (committed)."""
        with self._write() as conn:
            last = self._counter("stan")
            stan = 1 if last >= MAX_COUNTER else last + 1
            self._set_counter(conn, "stan", stan)
        return stan

    def set_next_stan(self, stan: int) -> None:
        """Make the next :meth:`next_stan` return ``stan`` (admin "set trace number")."""
        check_counter("stan", stan)
        with self._write() as conn:
            self._set_counter(conn, "stan", stan - 1)

    @property
    def batch_no(self) -> int:
        """The current batch number (starts at 1)."""
        return self._counter("batch")

    def set_batch_no(self, n: int) -> None:
        """Set the batch number (after settlement, or from the sign-on response 60.2)."""
        check_counter("batch", n)
        with self._write() as conn:
            self._set_counter(conn, "batch", n)
