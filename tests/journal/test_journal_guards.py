from __future__ import annotations

from typing import Any

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal, ReversalDraft, TxnStatus

from .helpers import DRAFT, begin


@pytest.mark.parametrize("field", [2, 35, 36, 52, 53])
def test_reversal_with_sensitive_field_is_refused(journal: Journal, field: int) -> None:
    draft = ReversalDraft(mti="0400", fields={**DRAFT.fields, field: "6212345678901234567"})
    with pytest.raises(JournalError, match=f"sensitive fields \\[{field}\\]") as info:
        begin(journal, reversal=draft)
    assert "6212345678901234567" not in str(info.value)
    assert journal.transactions() == []


@pytest.mark.parametrize(
    "masked", ["6212345678901234567", "12345", "621234567890*****4567", "6212-3456-7890-1234"]
)
def test_full_pan_is_refused(journal: Journal, masked: str) -> None:
    with pytest.raises(JournalError, match="full PAN"):
        begin(journal, masked_pan=masked)
    assert journal.transactions() == []


@pytest.mark.parametrize("masked", ["621234*********4567", "******4567", "4567", ""])
def test_masked_pan_is_accepted(journal: Journal, masked: str) -> None:
    assert journal.get(begin(journal, masked_pan=masked)).masked_pan == masked


@pytest.mark.parametrize("key", ["pan", "track2", "PIN_BLOCK"])
def test_card_secrets_in_detail_are_refused(journal: Journal, key: str) -> None:
    with pytest.raises(JournalError, match="card secrets"):
        begin(journal, detail={key: "x"})
    txn_id = begin(journal)
    with pytest.raises(JournalError, match="card secrets"):
        journal.complete_txn(txn_id, status=TxnStatus.APPROVED, detail_update={key: "x"})
    assert journal.get(txn_id).status is TxnStatus.PENDING
    assert journal.get(txn_id).detail == {}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"domain": "y"}, "domain must be"),
        ({"amount": -1}, "non-negative integer"),
        ({"amount": 12.5}, "non-negative integer"),
        ({"kind": ""}, "kind must be set"),
        ({"stan": 0}, r"stan must be 1\.\.999999"),
        ({"batch": 1000000}, r"batch must be 1\.\.999999"),
        ({"detail": {"blob": b"\x00"}}, "not JSON-able"),
        ({"reversal": ReversalDraft(mti="400", fields={})}, "MTI must be 4 digits"),
        ({"reversal": ReversalDraft(mti="0400", fields={1: "x"})}, "not 2..128"),
        ({"reversal": ReversalDraft(mti="0400", fields={4: 100})}, "must be text"),  # type: ignore[dict-item]
    ],
)
def test_invalid_transactions_are_refused(
    journal: Journal, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(JournalError, match=message):
        begin(journal, **overrides)
    assert journal.transactions() == []
