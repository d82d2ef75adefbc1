from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from xpos.errors import JournalError, JournalLostError
from xpos.journal import SCHEMA_VERSION, Journal, TxnStatus

from .helpers import DRAFT, begin


def test_wal_and_synchronous_full_are_in_effect(journal: Journal) -> None:
    settings = journal.sqlite_settings
    assert settings["journal_mode"] == "wal"
    assert settings["synchronous"] == 2  # FULL
    assert settings["foreign_keys"] == 1


def test_schema_version_is_recorded_in_user_version(journal: Journal, journal_path: Path) -> None:
    assert journal.sqlite_settings["user_version"] == SCHEMA_VERSION >= 1
    other = sqlite3.connect(journal_path)
    try:
        assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_a_newer_schema_is_refused(journal_path: Path) -> None:
    Journal(journal_path).close()
    raw = sqlite3.connect(journal_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(JournalError, match="newer than this software"):
        Journal(journal_path)


def test_a_file_that_is_not_a_database_is_refused(journal_path: Path) -> None:
    journal_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(JournalLostError, match=r"journal lost \(damaged\)"):
        Journal(journal_path)


def test_reopening_sees_everything(journal: Journal, journal_path: Path) -> None:
    stan = journal.next_stan()
    journal.set_batch_no(7)
    approved = begin(journal, stan=stan, batch=7, detail={"title": "电影票"})
    journal.complete_txn(approved, status=TxnStatus.APPROVED, rc="00", auth_code="A1B2C3")
    pending = begin(journal, stan=journal.next_stan(), batch=7)
    journal.record_print(approved, "sale-merchant", b"\x1b@receipt")

    with Journal(journal_path) as again:
        assert again.get(approved).status is TxnStatus.APPROVED
        assert again.get(approved).auth_code == "A1B2C3"
        assert again.get(approved).detail == {"title": "电影票"}
        assert again.get(pending).status is TxnStatus.PENDING
        reversal = again.pending_reversal()
        assert reversal is not None
        assert reversal.txn_id == pending
        assert reversal.fields == DRAFT.fields
        assert again.batch_no == 7
        assert again.next_stan() == 3
        assert again.last_print() == ("sale-merchant", b"\x1b@receipt")


def test_begin_txn_is_atomic_when_the_reversal_insert_fails(
    journal: Journal, journal_path: Path
) -> None:
    raw = sqlite3.connect(journal_path)
    raw.execute(
        "CREATE TRIGGER refuse_reversal BEFORE INSERT ON reversal"
        " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    raw.commit()
    raw.close()
    with pytest.raises(JournalError, match="disk trouble"):
        begin(journal)
    assert journal.transactions() == []
    assert journal.next_stan() == 1


def test_timestamps_are_iso_8601_utc(journal: Journal) -> None:
    record = journal.get(begin(journal))
    assert record.created_at == "2025-03-01T12:30:45.123+00:00"
    assert record.updated_at == record.created_at


def test_a_missing_folder_is_a_journal_error(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"cannot open journal: folder .* does not exist"):
        Journal(tmp_path / "gone" / "journal.sqlite3")
