"""An approved void marks its sale voided in the same transaction, or changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, TxnStatus

from .conftest import NOW
from .helpers import begin


def _approved_sale(journal: Journal, stan: int = 1) -> int:
    sale = begin(journal, stan=stan)
    journal.complete_txn(sale, status=TxnStatus.APPROVED, rc="00", auth_code="123456",
                         rrn="250301000001")
    return sale


def test_an_approved_void_marks_its_sale_voided_and_drops_its_own_reversal(
        journal: Journal, journal_path: Path) -> None:
    sale = _approved_sale(journal)
    void = begin(journal, kind="void", stan=2)
    journal.complete_txn(void, status=TxnStatus.APPROVED, rc="00", voids=sale)
    original = journal.get(sale)
    assert original.voided and original.detail["voided_by"] == 2
    assert original.status is TxnStatus.APPROVED
    assert journal.pending_reversal() is None
    with Journal(journal_path, clock=lambda: NOW) as reopened:  # committed, on disk
        assert reopened.get(sale).voided


def test_a_declined_void_leaves_the_sale_as_it_was(journal: Journal) -> None:
    sale = _approved_sale(journal)
    void = begin(journal, kind="void", stan=2)
    journal.complete_txn(void, status=TxnStatus.DECLINED, rc="55", voids=sale)
    assert not journal.get(sale).voided


@pytest.mark.parametrize("kind_or_status", ["voucher", "declined", "voided"])
def test_voiding_what_cannot_be_voided_changes_nothing(journal: Journal,
                                                       kind_or_status: str) -> None:
    if kind_or_status == "voucher":
        target = begin(journal, kind="voucher", domain="x", masked_pan="")
        journal.complete_txn(target, status=TxnStatus.APPROVED, rc="00")
    elif kind_or_status == "declined":
        target = begin(journal)
        journal.complete_txn(target, status=TxnStatus.DECLINED, rc="51")
    else:
        target = _approved_sale(journal)
        first = begin(journal, kind="void", stan=5)
        journal.complete_txn(first, status=TxnStatus.APPROVED, rc="00", voids=target)
    void = begin(journal, kind="void", stan=9)
    with pytest.raises(JournalError):
        journal.complete_txn(void, status=TxnStatus.APPROVED, rc="00", voids=target)
    record = journal.get(void)
    assert record.status is TxnStatus.PENDING  # rolled back: its reversal still stands
    assert journal.pending_reversal() is not None
