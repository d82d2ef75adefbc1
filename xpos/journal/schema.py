"""The journal's schema: the migrations that build it, for :mod:`xpos.journal.sqlite`.

``MIGRATIONS[n]`` takes the file from version ``n`` to ``n + 1``; the version lives in
``PRAGMA user_version``. Opening, durability settings and how migrations are applied
(once, in order, a newer file refused) are :mod:`xpos.journal.sqlite`'s job.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from xpos.errors import JournalError
from xpos.journal.sqlite import Migration, Schema, open_db

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

# v2: the journal's identity, also kept in the marker (xpos.journal.marker).
_V2 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta (key, value) VALUES ('journal_id', lower(hex(randomblob(16))))",
)

# v3: when a print job reached the printer whole; NULL = not printed (paper out, a kill).
_V3 = ("ALTER TABLE print_record ADD COLUMN printed_at TEXT",)
# v4: settlement (issue 10): the X-menu batch counter and the settlement progress, one
# row per settlement run (xpos.journal.settlement).
_V4 = (
    "INSERT INTO counter (name, value) VALUES ('x_batch', 1)",
    """CREATE TABLE settlement (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch INTEGER NOT NULL CHECK (batch BETWEEN 1 AND 999999),
        x_batch INTEGER NOT NULL CHECK (x_batch BETWEEN 1 AND 999999),
        state TEXT NOT NULL
            CHECK (state IN ('settle', 'upload', 'end', 'x_settle', 'done')),
        stan INTEGER,
        upload_index INTEGER NOT NULL DEFAULT 0,
        uploaded INTEGER NOT NULL DEFAULT 0,
        totals TEXT NOT NULL,
        result TEXT NOT NULL DEFAULT '',
        x_result TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX settlement_one_open ON settlement (state) WHERE state <> 'done'",
)

MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4)
SCHEMA = Schema(name="journal", migrations=MIGRATIONS, error=JournalError)
SCHEMA_VERSION = SCHEMA.version


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the journal at ``path``.

    Raises:
        JournalError: if the path is unusable, the file is not a journal, WAL or
            ``synchronous=FULL`` cannot be set, or the schema is newer than this software.
    """
    return open_db(path, SCHEMA)
