"""Shared values for the journal tests."""

from __future__ import annotations

from typing import Any

from xpos.journal import Journal, ReversalDraft

MASKED = "621234*********4567"
DRAFT = ReversalDraft(
    mti="0400",
    fields={3: "000000", 4: "000000001234", 11: "000001", 22: "021", 25: "00", 41: "12345678"},
)


def begin(journal: Journal, **overrides: Any) -> int:
    values: dict[str, Any] = {
        "kind": "sale",
        "domain": "bank",
        "stan": 1,
        "batch": 1,
        "amount": 1234,
        "masked_pan": MASKED,
        "tid": "12345678",
        "mid": "123456789012345",
        "reversal": DRAFT,
    }
    values.update(overrides)
    return journal.begin_txn(**values)
