"""The journal's settlement record (schema v3): X batch counter, one open settlement,
steps committed in order, both batches moved on with ``done``, never reused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, read_marker
from xpos.journal.marker import marker_path
from xpos.journal.schema import MIGRATIONS, SCHEMA
from xpos.journal.sqlite import Schema, open_db

from .helpers import begin


def test_a_new_journal_has_x_batch_1_and_no_settlement(journal: Journal) -> None:
    assert (journal.batch_no, journal.x_batch_no) == (1, 1)
    assert journal.batch_for("bank") == journal.batch_for("x") == 1
    assert journal.open_settlement() is None and journal.last_settlement() is None


def test_steps_are_kept_and_done_moves_both_batches_on(journal: Journal,
                                                      journal_path: Path) -> None:
    record = journal.start_settlement(totals={"bank": {"debit_count": 1}}, stan=7)
    assert (record.state, record.stan, record.batch, record.x_batch) == ("settle", 7, 1, 1)
    with pytest.raises(JournalError, match="already open"):
        journal.start_settlement(totals={}, stan=8)
    record = journal.settlement_step(record.id, state="upload", stan=8, result="21",
                                     upload_index=0)
    record = journal.settlement_step(record.id, state="upload", stan=9, upload_index=1,
                                     uploaded=8)
    journal.close()
    with Journal(journal_path) as again:  # what a restart sees
        kept = again.open_settlement()
        assert kept is not None
        assert (kept.state, kept.stan, kept.upload_index, kept.uploaded, kept.result) == (
            "upload", 9, 1, 8, "21")
        assert kept.totals == {"bank": {"debit_count": 1}}
        done = again.finish_settlement(kept.id)
        assert done.state == "done" and again.open_settlement() is None
        assert (again.batch_no, again.x_batch_no) == (2, 2)
        assert again.last_settlement() == done
        with pytest.raises(JournalError, match="not open"):
            again.finish_settlement(kept.id)
    marker = read_marker(marker_path(journal_path))
    assert marker is not None and marker.batch == 2


def test_bad_steps_are_refused(journal: Journal) -> None:
    record = journal.start_settlement(totals={}, stan=1)
    with pytest.raises(JournalError):
        journal.settlement_step(record.id, state="done")
    with pytest.raises(JournalError):
        journal.settlement_step(record.id, state="upload", batch=5)
    with pytest.raises(JournalError):
        journal.settlement_step(record.id + 1, state="end")


def test_transactions_of_the_x_domain_take_the_x_batch(journal: Journal) -> None:
    record = journal.start_settlement(totals={}, stan=1)
    journal.finish_settlement(record.id)
    record = journal.start_settlement(totals={}, stan=2)
    journal.finish_settlement(record.id)
    assert (journal.batch_for("bank"), journal.batch_for("x")) == (3, 3)
    txn = begin(journal, batch=journal.batch_for("x"), domain="x", kind="voucher")
    assert journal.get(txn).batch == 3


def test_the_newest_print_record_of_a_name_is_found(journal: Journal) -> None:
    assert journal.last_print_named("settlement") is None
    journal.record_print(None, "settlement", b"one")
    journal.record_print(None, "totals", b"other")
    journal.record_print(None, "settlement", b"two")
    assert journal.last_print_named("settlement") == b"two"


def test_a_version_2_journal_is_migrated_with_x_batch_1(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = open_db(path, Schema(name="journal", migrations=MIGRATIONS[:2], error=JournalError))
    old.execute("UPDATE counter SET value = 41 WHERE name = 'batch'")
    old.close()
    open_db(path, SCHEMA).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA.version
        counters = dict(conn.execute("SELECT name, value FROM counter").fetchall())
        assert counters == {"stan": 0, "batch": 41, "x_batch": 1}
        assert conn.execute("SELECT COUNT(*) FROM settlement").fetchone()[0] == 0
