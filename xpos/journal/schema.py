"""Opening the journal database: durability pragmas and schema migrations.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[n]`` takes the file
from version ``n`` to ``n + 1``; each migration runs in its own transaction, re-reading
the version under the write lock so two processes opening a new file cannot both
migrate. A file newer than this software is refused, never downgraded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from xpos.errors import JournalError

_V1 = (
    """CREATE TABLE txn (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind <> ''),
        domain TEXT NOT NULL CHECK (domain IN ('bank', 'x')),
        stan INTEGER NOT NULL CHECK (stan BETWEEN 1 AND 999999),
        batch INTEGER NOT NULL CHECK (batch BETWEEN 1 AND 999999),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        masked_pan TEXT NOT NULL,
        status TEXT NOT NULL
            CHECK (status IN ('pending', 'approved', 'declined', 'failed', 'reversed')),
        rc TEXT,
        auth_code TEXT,
        rrn TEXT,
        tid TEXT NOT NULL,
        mid TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX txn_by_stan ON txn (stan, batch)",
    "CREATE INDEX txn_by_batch ON txn (batch, domain)",
    """CREATE TABLE reversal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id INTEGER NOT NULL UNIQUE REFERENCES txn (id),
        mti TEXT NOT NULL,
        fields TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('98', 'A0', '06')),
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    )""",
    "CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT INTO counter (name, value) VALUES ('stan', 0), ('batch', 1)",
    """CREATE TABLE print_record (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id INTEGER REFERENCES txn (id),
        name TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
    )""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the journal at ``path``.

    The connection is in autocommit mode (``isolation_level=None``); callers open
    explicit ``BEGIN IMMEDIATE`` transactions.

    Raises:
        JournalError: if the file is not a journal, WAL cannot be enabled, or the
            schema is newer than this software.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
    try:
        conn.row_factory = sqlite3.Row
        _set_pragmas(conn)
        _migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise JournalError(f"{path}: cannot open journal: {exc}") from exc
    except JournalError:
        conn.close()
        raise
    return conn


def _set_pragmas(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise JournalError(f"journal needs WAL mode, SQLite gave {mode!r}")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _migrate(conn: sqlite3.Connection) -> None:
    if _version(conn) > SCHEMA_VERSION:
        raise JournalError(
            f"journal schema v{_version(conn)} is newer than this software (v{SCHEMA_VERSION})"
        )
    for target in range(1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _version(conn) < target:
                for statement in MIGRATIONS[target - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
