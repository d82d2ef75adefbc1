"""Print records say whether the job reached the printer (schema v3, ``printed_at``)."""

from __future__ import annotations

from pathlib import Path

from xpos.journal import SCHEMA_VERSION, Journal

from .helpers import begin


def test_a_print_record_is_not_printed_until_marked(journal: Journal) -> None:
    txn_id = begin(journal)
    lost = journal.record_print(txn_id, "sale-merchant", b"cut short")
    again = journal.record_print(txn_id, "sale-merchant", b"whole")
    journal.mark_printed(again)
    journal.record_print(txn_id, "sale-customer", b"never printed")
    assert lost != again
    assert journal.print_status(txn_id) == [
        ("sale-merchant", False), ("sale-merchant", True), ("sale-customer", False)]
    assert journal.receipts_of(txn_id) == [("sale-merchant", b"whole"),
                                           ("sale-customer", b"never printed")]


def test_the_mark_survives_a_reopen(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        txn_id = begin(journal)
        journal.mark_printed(journal.record_print(txn_id, "sale-merchant", b"x"))
    with Journal(journal_path) as journal:
        assert journal.print_status(txn_id) == [("sale-merchant", True)]
        assert journal.sqlite_settings["user_version"] == SCHEMA_VERSION >= 3
