"""A pre-auth void / completion / completion void marks its original in the same
transaction as its own approval, or changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, TxnStatus

from .conftest import NOW
from .helpers import begin


def _approved(journal: Journal, kind: str, stan: int) -> int:
    txn = begin(journal, kind=kind, stan=stan)
    journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00", auth_code="654321")
    return txn


def test_a_completion_marks_its_preauth_completed_and_drops_its_own_reversal(
        journal: Journal, journal_path: Path) -> None:
    preauth = _approved(journal, "preauth", 1)
    completion = begin(journal, kind="completion", stan=2)
    journal.complete_linked(completion, rc="00", auth_code="112233", rrn=None,
                            detail_update={"host_date": "0115"}, original=preauth,
                            mark="completed_by", original_kind="preauth")
    assert journal.get(preauth).detail["completed_by"] == 2
    done = journal.get(completion)
    assert (done.status, done.detail["host_date"]) == (TxnStatus.APPROVED, "0115")
    assert journal.pending_reversal() is None
    with Journal(journal_path, clock=lambda: NOW) as reopened:  # committed, on disk
        assert reopened.get(preauth).detail["completed_by"] == 2


@pytest.mark.parametrize(("kind", "mark"), [("sale", "completed_by"),
                                            ("preauth", "voided_by")])
def test_an_original_that_cannot_be_marked_changes_nothing(journal: Journal, kind: str,
                                                          mark: str) -> None:
    original = _approved(journal, kind, 1)
    if kind == "preauth":  # already voided
        void = begin(journal, kind="preauth_void", stan=3)
        journal.complete_linked(void, rc="00", auth_code=None, rrn=None, detail_update={},
                                original=original, mark=mark, original_kind="preauth")
    second = begin(journal, kind="preauth_void", stan=2)
    with pytest.raises(JournalError):
        journal.complete_linked(second, rc="00", auth_code=None, rrn=None, detail_update={},
                                original=original, mark=mark, original_kind="preauth")
    assert journal.get(second).status is TxnStatus.PENDING
    assert journal.pending_reversal() is not None
