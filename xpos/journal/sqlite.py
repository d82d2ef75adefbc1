"""One way to open an X-POS SQLite file: durable pragmas, write transactions, migrations.

Both the terminal journal and the reference host store use it. A database is described
by a :class:`Schema`: what it is called in messages, its migrations and the
:class:`~xpos.errors.XposError` subclass its problems are reported as.

* :func:`open_db` opens (creating if needed) the file in autocommit mode, sets
  ``journal_mode=WAL``, ``synchronous=FULL`` and ``foreign_keys=ON`` and reads each one
  back: a setting that did not take effect (e.g. WAL on a file system that cannot do
  it) is an error, never a silent downgrade. It then applies the migrations.
* ``Schema.migrations[n]`` takes the file from version ``n`` to ``n + 1``; the version
  lives in ``PRAGMA user_version``. Each migration runs in its own write transaction and
  re-reads the version under the lock, so two processes opening a new file cannot both
  migrate. A file newer than this software is refused, never downgraded.
* :func:`write` is one ``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, rolled back if the
  block raises.

File-system problems (the path is a directory, its folder is missing or read-only, the
file is not SQLite) become the schema's error class with the path in the message,
never a raw ``sqlite3`` or ``OSError``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xpos.errors import XposError

Migration = tuple[str, ...]
BUSY_TIMEOUT_S = 10.0
# Each pragma we set and the value ``PRAGMA <name>`` must read back afterwards.
_PRAGMAS: tuple[tuple[str, str, object], ...] = (
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", 2),
    ("foreign_keys", "ON", 1),
)
SETTINGS = ("journal_mode", "synchronous", "foreign_keys", "user_version")


@dataclass(frozen=True)
class Schema:
    """What a database file is and how it is brought up to date.

    Attributes:
        name: What the file is, for messages (``"journal"``, ``"host database"``).
        migrations: ``migrations[n]`` are the statements taking version ``n`` to ``n + 1``.
        error: The error class every problem opening or migrating the file is raised as.
    """

    name: str
    migrations: tuple[Migration, ...]
    error: type[XposError]

    @property
    def version(self) -> int:
        """The schema version this software writes (the number of migrations)."""
        return len(self.migrations)


def open_db(path: Path, schema: Schema) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``.

    The connection is in autocommit mode (``isolation_level=None``) with
    :class:`sqlite3.Row` rows; write with :func:`write`.

    Raises:
        XposError: ``schema.error``, naming the path: the path is unusable, the file is
            not a database, a durability setting did not take effect, or the schema is
            newer than this software.
    """
    path = Path(path)
    _check_path(path, schema)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise schema.error(f"{path}: cannot open {schema.name}: {exc}") from exc
    try:
        conn.row_factory = sqlite3.Row
        configure(conn, schema, where=str(path))
        migrate(conn, schema, where=str(path))
    except sqlite3.Error as exc:
        conn.close()
        raise schema.error(f"{path}: cannot open {schema.name}: {_explain(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _check_path(path: Path, schema: Schema) -> None:
    """Refuse paths SQLite would only report as "unable to open database file"."""
    what = f"{path}: cannot open {schema.name}"
    if path.is_dir():
        raise schema.error(f"{what}: the path is a directory")
    parent = path.parent
    if not parent.is_dir():
        raise schema.error(f"{what}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        # WAL needs the -wal and -shm files next to the database, even to read it.
        raise schema.error(f"{what}: folder {parent} is not writable")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise schema.error(f"{what}: the file is not readable and writable")


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return f"{text} (is the file or its folder read-only?)"
    return text


def configure(conn: sqlite3.Connection, schema: Schema, *, where: str) -> None:
    """Set WAL, ``synchronous=FULL`` and foreign keys on ``conn`` and verify each.

    Raises:
        XposError: ``schema.error`` if a setting reads back different (e.g. an
            in-memory or read-only database cannot be put in WAL mode).
    """
    for name, value, expected in _PRAGMAS:
        conn.execute(f"PRAGMA {name}={value}")
        actual = conn.execute(f"PRAGMA {name}").fetchone()[0]
        if actual != expected:
            raise schema.error(
                f"{where}: {schema.name} needs PRAGMA {name}={value},"
                f" SQLite gave {actual!r}"
            )


def version(conn: sqlite3.Connection) -> int:
    """The file's schema version (``PRAGMA user_version``)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, schema: Schema, *, where: str) -> None:
    """Apply the migrations the file lacks, in order, each in its own transaction.

    Raises:
        XposError: ``schema.error`` if the file is newer than ``schema``.
    """
    found = version(conn)
    if found > schema.version:
        raise schema.error(
            f"{where}: {schema.name} schema v{found} is newer than this software"
            f" (v{schema.version})"
        )
    for target in range(found + 1, schema.version + 1):
        with write(conn) as db:
            if version(db) < target:  # another process may have migrated meanwhile
                for statement in schema.migrations[target - 1]:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")


@contextlib.contextmanager
def write(
    conn: sqlite3.Connection, *, error: type[XposError] | None = None, what: str = "database"
) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE``, then ``COMMIT``, or ``ROLLBACK`` on error.

    Args:
        conn: An autocommit connection from :func:`open_db`.
        error: If given, :class:`sqlite3.Error` (including a failed ``BEGIN``, e.g. the
            file is locked past the busy timeout) is raised as this class instead.
        what: What the database is, for those messages.

    Raises:
        XposError: ``error``, if given and SQLite failed; other exceptions pass through
            after the rollback.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        if error is None:
            raise
        raise error(f"{what} busy or unusable: {exc}") from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if error is not None and isinstance(exc, sqlite3.Error):
            raise error(f"{what} write failed: {exc}") from exc
        raise


def settings(conn: sqlite3.Connection) -> dict[str, Any]:
    """The durability settings and schema version in effect on ``conn``, for diagnostics."""
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in SETTINGS}
