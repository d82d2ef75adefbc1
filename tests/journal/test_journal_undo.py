"""Journal.queue_reversal: the reversal that undoes an approved leg (X2 combined payment)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, ReversalDraft, TxnStatus

from .helpers import DRAFT, begin

UNDO = ReversalDraft(mti="0400", fields={3: "730000", 4: "000000020000", 11: "000003",
                                         38: "123456", 41: "12345678"})


def test_an_approved_leg_gets_its_reversal_queued_and_then_reversed(
        journal: Journal, journal_path: Path) -> None:
    txn = begin(journal, kind="third-party debit", domain="x")
    journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00")
    assert journal.pending_reversal() is None
    journal.queue_reversal(txn, UNDO, reason="06")
    with Journal(journal_path) as reopened:  # kept on disk: a second connection sees it
        queued = reopened.pending_reversal()
        assert queued is not None
        assert (queued.txn_id, queued.reason, queued.fields[3]) == (txn, "06", "730000")
        reopened.finish_reversal(queued.id, txn_status=TxnStatus.REVERSED)
        assert reopened.get(txn).status is TxnStatus.REVERSED


def test_only_an_approved_transaction_can_be_undone(journal: Journal) -> None:
    pending = begin(journal)
    with pytest.raises(JournalError, match="not approved"):
        journal.queue_reversal(pending, UNDO, reason="06")
    declined = begin(journal, stan=2)
    journal.complete_txn(declined, status=TxnStatus.DECLINED, rc="51")
    with pytest.raises(JournalError, match="not approved"):
        journal.queue_reversal(declined, UNDO, reason="06")


def test_a_leg_is_undone_once(journal: Journal) -> None:
    txn = begin(journal, kind="third-party debit", domain="x")
    journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00")
    journal.queue_reversal(txn, UNDO, reason="06")
    with pytest.raises(JournalError, match="already has"):
        journal.queue_reversal(txn, UNDO, reason="06")


@pytest.mark.parametrize("field", [2, 35, 52])
def test_an_undo_with_card_secrets_is_refused(journal: Journal, field: int) -> None:
    txn = begin(journal, kind="third-party debit", domain="x")
    journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00")
    bad = ReversalDraft(mti="0400", fields={**DRAFT.fields, field: "6212345678901234567"})
    with pytest.raises(JournalError):
        journal.queue_reversal(txn, bad, reason="06")
    assert journal.pending_reversal() is None
