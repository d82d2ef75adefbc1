"""The shared SQLite helper, on real files: pragmas, transactions, migrations, bad paths."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.errors import ConfigError, JournalError, XposError
from xpos.journal import sqlite
from xpos.journal.sqlite import Schema

LOG = ("CREATE TABLE log (step INTEGER PRIMARY KEY, note TEXT NOT NULL)",)


def step(n: int) -> tuple[str, ...]:
    return (f"INSERT INTO log (step, note) VALUES ({n}, 'migration {n}')",)


THREE = Schema(name="test db", migrations=(LOG, step(2), step(3)), error=JournalError)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def conn(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite.open_db(path, THREE)
    yield db
    db.close()


def logged(path: Path) -> list[tuple[int, str]]:
    raw = sqlite3.connect(path)
    try:
        return [tuple(r) for r in raw.execute("SELECT step, note FROM log ORDER BY step")]
    finally:
        raw.close()


def test_durability_settings_are_in_effect_and_read_back(conn: sqlite3.Connection,
                                                         path: Path) -> None:
    assert sqlite.settings(conn) == {"journal_mode": "wal", "synchronous": 2,
                                     "foreign_keys": 1, "user_version": 3}
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persisted in the file
    raw.close()


def test_a_database_that_cannot_do_wal_is_refused() -> None:
    memory = sqlite3.connect(":memory:")  # SQLite keeps journal_mode=memory here
    with pytest.raises(JournalError, match=r"needs PRAGMA journal_mode=WAL, SQLite gave 'memory'"):
        sqlite.configure(memory, THREE, where=":memory:")
    memory.close()


def test_migrations_run_in_order_once(path: Path) -> None:
    sqlite.open_db(path, THREE).close()
    sqlite.open_db(path, THREE).close()  # reopening applies nothing twice (PRIMARY KEY)
    assert logged(path) == [(2, "migration 2"), (3, "migration 3")]


def test_only_the_missing_migrations_run_on_an_older_file(path: Path) -> None:
    sqlite.open_db(path, Schema("test db", (LOG, step(2)), JournalError)).close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE log SET note = 'kept' WHERE step = 2")
    raw.commit()
    raw.close()
    conn = sqlite.open_db(path, THREE)
    assert sqlite.version(conn) == 3
    conn.close()
    assert logged(path) == [(2, "kept"), (3, "migration 3")]


def test_a_failing_migration_leaves_the_file_at_the_last_good_version(path: Path) -> None:
    broken = Schema("test db", (LOG, step(2), ("INSERT INTO nowhere VALUES (1)",)), ConfigError)
    with pytest.raises(ConfigError, match="cannot open test db: no such table: nowhere"):
        sqlite.open_db(path, broken)
    conn = sqlite.open_db(path, Schema("test db", (LOG, step(2)), ConfigError))
    assert sqlite.version(conn) == 2
    conn.close()


def test_a_newer_schema_than_known_is_refused(path: Path) -> None:
    sqlite.open_db(path, THREE).close()
    older_software = Schema("test db", (LOG,), ConfigError)
    with pytest.raises(ConfigError, match="test db schema v3 is newer than this software"):
        sqlite.open_db(path, older_software)


def test_write_commits(conn: sqlite3.Connection, path: Path) -> None:
    with sqlite.write(conn) as db:
        db.execute("INSERT INTO log VALUES (10, 'ten')")
    assert (10, "ten") in logged(path)


def test_write_rolls_back_when_the_block_raises(conn: sqlite3.Connection, path: Path) -> None:
    with pytest.raises(KeyError), sqlite.write(conn) as db:
        db.execute("INSERT INTO log VALUES (10, 'ten')")
        raise KeyError("changed my mind")
    assert not conn.in_transaction
    assert (10, "ten") not in logged(path)


def test_a_sqlite_failure_rolls_back_and_becomes_the_given_error(
    conn: sqlite3.Connection, path: Path
) -> None:
    with pytest.raises(JournalError, match="test db write failed: UNIQUE") as info, \
            sqlite.write(conn, error=JournalError, what="test db") as db:
        db.execute("INSERT INTO log VALUES (10, 'ten')")
        db.execute("INSERT INTO log VALUES (10, 'again')")
    assert isinstance(info.value.__cause__, sqlite3.IntegrityError)
    assert (10, "ten") not in logged(path)


def test_without_an_error_class_the_sqlite_error_passes_through(
    conn: sqlite3.Connection,
) -> None:
    with pytest.raises(sqlite3.IntegrityError), sqlite.write(conn) as db:
        db.execute("INSERT INTO log VALUES (2, 'duplicate')")
    assert not conn.in_transaction


def _unusable(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "db.sqlite3"
    if kind == "directory":
        path.mkdir()
    elif kind == "missing-folder":
        path = tmp_path / "no" / "such" / "db.sqlite3"
    else:
        path.write_bytes(b"this is not sqlite" * 100)
    return path


@pytest.mark.parametrize(("kind", "message"), [
    ("directory", "cannot open test db: the path is a directory"),
    ("missing-folder", "cannot open test db: folder .* does not exist"),
    ("not-sqlite", "cannot open test db: file is not a database"),
])
def test_unusable_paths_are_one_clear_error(tmp_path: Path, kind: str, message: str) -> None:
    path = _unusable(tmp_path, kind)
    with pytest.raises(ConfigError, match=message) as info:
        sqlite.open_db(path, Schema("test db", (LOG,), ConfigError))
    assert str(info.value).startswith(f"{path}: ")
    assert isinstance(info.value, XposError)
    assert not isinstance(info.value, sqlite3.Error | PermissionError)


def test_a_folder_that_is_a_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(JournalError, match="does not exist"):
        sqlite.open_db(tmp_path / "plain" / "db.sqlite3", THREE)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores directory permissions")
def test_a_read_only_folder_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(JournalError, match="is not writable"):
            sqlite.open_db(folder / "db.sqlite3", THREE)
    finally:
        folder.chmod(0o755)
