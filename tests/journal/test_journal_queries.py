"""Read-only queries for reprints and totals: receipts_of, last_printed_txn, batch_totals."""

from __future__ import annotations

from xpos.journal import Journal, TxnStatus

from .helpers import begin


def _done(journal: Journal, status: TxnStatus = TxnStatus.APPROVED, **kw: object) -> int:
    txn_id = begin(journal, **kw)
    journal.complete_txn(txn_id, status=status, rc="00")
    return txn_id


def test_receipts_of_keeps_the_newest_record_of_each_name_in_first_print_order(
        journal: Journal) -> None:
    txn_id = _done(journal)
    other = _done(journal, stan=2)
    journal.record_print(txn_id, "sale-merchant", b"merchant")
    journal.record_print(txn_id, "sale-customer", b"customer, paper out")
    journal.record_print(other, "sale-merchant", b"other")
    journal.record_print(txn_id, "sale-customer", b"customer, after reload")
    assert journal.receipts_of(txn_id) == [
        ("sale-merchant", b"merchant"), ("sale-customer", b"customer, after reload")]
    assert journal.receipts_of(other) == [("sale-merchant", b"other")]
    assert journal.receipts_of(999) == []


def test_last_printed_txn_skips_prints_without_a_transaction(journal: Journal) -> None:
    assert journal.last_printed_txn() is None
    first = _done(journal)
    _done(journal, stan=2)  # approved but printed nothing (yet)
    journal.record_print(first, "sale-merchant", b"m")
    journal.record_print(None, "reprint-sale-merchant", b"r")
    journal.record_print(None, "totals", b"t")
    last = journal.last_printed_txn()
    assert last is not None and last.id == first


def test_batch_totals_count_approved_only_per_domain_and_kind(journal: Journal) -> None:
    _done(journal, amount=100)
    _done(journal, stan=2, amount=250)
    _done(journal, stan=3, amount=900, status=TxnStatus.DECLINED)
    _done(journal, stan=4, amount=700, status=TxnStatus.REVERSED)
    begin(journal, stan=5, amount=800)  # still pending
    _done(journal, stan=6, amount=0, kind="voucher", domain="x")
    _done(journal, stan=7, amount=5000, batch=2)  # another batch
    assert journal.batch_totals(1) == [("bank", "sale", 2, 350), ("x", "voucher", 1, 0)]
    assert journal.batch_totals(2) == [("bank", "sale", 1, 5000)]
    assert journal.batch_totals(3) == []
