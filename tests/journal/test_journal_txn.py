from __future__ import annotations

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, TxnStatus

from .helpers import DRAFT, MASKED, begin


def test_begin_txn_writes_a_pending_txn_and_its_reversal(journal: Journal) -> None:
    txn_id = begin(journal, amount=500)
    record = journal.get(txn_id)
    assert record.status is TxnStatus.PENDING
    assert (record.kind, record.domain, record.amount, record.masked_pan) == (
        "sale",
        "bank",
        500,
        MASKED,
    )
    assert (record.rc, record.auth_code, record.rrn) == (None, None, None)
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert (reversal.txn_id, reversal.mti, reversal.reason, reversal.attempts) == (
        txn_id,
        "0400",
        "98",
        0,
    )
    assert reversal.fields == DRAFT.fields


def test_begin_txn_without_reversal_queues_nothing(journal: Journal) -> None:
    begin(journal, kind="balance", reversal=None)
    assert journal.pending_reversal() is None


def test_complete_txn_records_the_outcome_and_clears_the_reversal(journal: Journal) -> None:
    txn_id = begin(journal, detail={"title": "A"})
    record = journal.complete_txn(
        txn_id,
        status=TxnStatus.APPROVED,
        rc="00",
        auth_code="123456",
        rrn="000000000042",
        detail_update={"provider": "B"},
    )
    assert record == journal.get(txn_id)
    assert record.status is TxnStatus.APPROVED
    assert (record.rc, record.auth_code, record.rrn) == ("00", "123456", "000000000042")
    assert record.detail == {"title": "A", "provider": "B"}
    assert journal.pending_reversal() is None


def test_complete_txn_can_keep_the_reversal(journal: Journal) -> None:
    txn_id = begin(journal)
    journal.set_reversal_reason(txn_id, "A0")
    journal.complete_txn(txn_id, status=TxnStatus.FAILED, rc="00", clear_reversal=False)
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert (reversal.txn_id, reversal.reason) == (txn_id, "A0")


def test_a_transaction_is_completed_only_once(journal: Journal) -> None:
    txn_id = begin(journal)
    journal.complete_txn(txn_id, status=TxnStatus.APPROVED, rc="00")
    with pytest.raises(JournalError, match="already approved"):
        journal.complete_txn(txn_id, status=TxnStatus.DECLINED, rc="51")
    assert journal.get(txn_id).rc == "00"


def test_complete_txn_refuses_pending_and_unknown_ids(journal: Journal) -> None:
    txn_id = begin(journal)
    with pytest.raises(JournalError, match="final status"):
        journal.complete_txn(txn_id, status=TxnStatus.PENDING)
    with pytest.raises(JournalError, match="no transaction with id 999"):
        journal.complete_txn(999, status=TxnStatus.APPROVED)
    assert journal.next_stan() == 1  # no transaction left open


def test_pending_reversal_is_oldest_first_and_finish_reversal_drains_it(journal: Journal) -> None:
    first = begin(journal, stan=1)
    second = begin(journal, stan=2)
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert reversal.txn_id == first
    journal.finish_reversal(reversal.id, txn_status=TxnStatus.REVERSED)
    assert journal.get(first).status is TxnStatus.REVERSED
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert reversal.txn_id == second
    journal.finish_reversal(reversal.id, txn_status=TxnStatus.FAILED)
    assert journal.get(second).status is TxnStatus.FAILED
    assert journal.pending_reversal() is None


def test_finish_reversal_after_a_failed_completion_marks_it_reversed(journal: Journal) -> None:
    txn_id = begin(journal)
    journal.complete_txn(txn_id, status=TxnStatus.FAILED, clear_reversal=False)
    reversal = journal.pending_reversal()
    assert reversal is not None
    journal.finish_reversal(reversal.id, txn_status=TxnStatus.REVERSED)
    assert journal.get(txn_id).status is TxnStatus.REVERSED


def test_finish_reversal_refuses_other_statuses_and_unknown_ids(journal: Journal) -> None:
    begin(journal)
    reversal = journal.pending_reversal()
    assert reversal is not None
    with pytest.raises(JournalError, match="REVERSED or FAILED"):
        journal.finish_reversal(reversal.id, txn_status=TxnStatus.APPROVED)
    with pytest.raises(JournalError, match="no pending reversal"):
        journal.finish_reversal(reversal.id + 1, txn_status=TxnStatus.REVERSED)
    assert journal.pending_reversal() == reversal


def test_reversal_attempted_counts_and_persists(journal: Journal) -> None:
    begin(journal)
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert journal.reversal_attempted(reversal.id) == 1
    assert journal.reversal_attempted(reversal.id) == 2
    again = journal.pending_reversal()
    assert again is not None
    assert again.attempts == 2
    with pytest.raises(JournalError, match="no pending reversal"):
        journal.reversal_attempted(reversal.id + 1)


def test_set_reversal_reason_validates(journal: Journal) -> None:
    txn_id = begin(journal)
    journal.set_reversal_reason(txn_id, "06")
    reversal = journal.pending_reversal()
    assert reversal is not None
    assert reversal.reason == "06"
    with pytest.raises(JournalError, match="reason must be one of"):
        journal.set_reversal_reason(txn_id, "99")
    other = begin(journal, reversal=None)
    with pytest.raises(JournalError, match="has no pending reversal"):
        journal.set_reversal_reason(other, "98")


def test_lookups_by_stan_kind_batch_and_domain(journal: Journal) -> None:
    a = begin(journal, stan=5, batch=1)
    b = begin(journal, stan=5, batch=2, kind="voucher", domain="x", amount=0, masked_pan="")
    c = begin(journal, stan=6, batch=2)
    by_stan = journal.by_stan(5)
    assert by_stan is not None
    assert by_stan.id == b
    in_batch = journal.by_stan(5, batch=1)
    assert in_batch is not None
    assert in_batch.id == a
    assert journal.by_stan(7) is None
    last = journal.last()
    assert last is not None
    assert last.id == c
    last_voucher = journal.last("voucher")
    assert last_voucher is not None
    assert last_voucher.id == b
    assert journal.last("refund") is None
    assert [t.id for t in journal.transactions()] == [a, b, c]
    assert [t.id for t in journal.transactions(batch=2)] == [b, c]
    assert [t.id for t in journal.transactions(domain="x")] == [b]


def test_print_records(journal: Journal) -> None:
    assert journal.last_print() is None
    txn_id = begin(journal)
    journal.record_print(txn_id, "sale-merchant", b"merchant copy")
    journal.record_print(txn_id, "sale-customer", b"customer copy")
    journal.record_print(None, "totals", b"totals")
    assert journal.last_print() == ("totals", b"totals")
    assert journal.prints_for(txn_id) == [
        ("sale-merchant", b"merchant copy"),
        ("sale-customer", b"customer copy"),
    ]
