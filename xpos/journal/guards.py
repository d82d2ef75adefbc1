"""What the journal refuses to store (PCI DSS 3.2/3.4).

No sensitive authentication data in the reversal queue (fields 2, 35, 36, 52, 53), no
full PAN in a transaction row, no card secrets in the free-form detail. Error
messages name the offending field, never its value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from xpos.errors import JournalError
from xpos.journal.records import ReversalDraft
from xpos.model.iso import REVERSAL_REASON_CODES
from xpos.proto.messages import SENSITIVE_FIELDS

FORBIDDEN_REVERSAL_FIELDS = frozenset(SENSITIVE_FIELDS)
SENSITIVE_DETAIL_KEYS = frozenset(
    {"pan", "track", "track2", "track3", "pin", "pin_block", "pinblock", "cvv", "cvn2"}
)
REVERSAL_REASONS = REVERSAL_REASON_CODES
DOMAINS = frozenset({"bank", "x"})
_MTI = re.compile(r"\d{4}")


def check_masked_pan(masked_pan: str) -> None:
    """Refuse anything that could be a full PAN.

    Raises:
        JournalError: if there is no ``*`` and more than 4 digits, or more than 10
            digits are visible.
    """
    digits = sum(ch.isdigit() for ch in masked_pan)
    if ("*" not in masked_pan and digits > 4) or digits > 10:
        raise JournalError("masked_pan looks like a full PAN; store first 6 / last 4 only")


def check_txn(*, kind: str, domain: str, amount: int, masked_pan: str) -> None:
    """Refuse an invalid new transaction row.

    Raises:
        JournalError: on an empty kind, unknown domain, negative or non-integer amount,
            or a full PAN.
    """
    if not kind:
        raise JournalError("transaction kind must be set")
    if domain not in DOMAINS:
        raise JournalError(f"domain must be 'bank' or 'x', not {domain!r}")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise JournalError("amount must be a non-negative integer number of fen")
    check_masked_pan(masked_pan)


def check_reversal(draft: ReversalDraft) -> None:
    """Refuse a reversal draft carrying sensitive fields or a malformed MTI.

    Raises:
        JournalError: naming the refused fields.
    """
    if not _MTI.fullmatch(draft.mti):
        raise JournalError("reversal MTI must be 4 digits")
    bad = sorted(FORBIDDEN_REVERSAL_FIELDS.intersection(draft.fields))
    if bad:
        raise JournalError(f"reversal must not carry sensitive fields {bad}")
    for num, value in draft.fields.items():
        if isinstance(num, bool) or not isinstance(num, int) or not 2 <= num <= 128:
            raise JournalError(f"reversal field number {num!r} is not 2..128")
        if not isinstance(value, str):
            raise JournalError(f"reversal field {num} must be text")


def check_reason(reason: str) -> None:
    """Refuse an unknown reversal reason.

    Raises:
        JournalError: unless ``reason`` is ``98``, ``A0`` or ``06``.
    """
    if reason not in REVERSAL_REASONS:
        raise JournalError(f"reversal reason must be one of {sorted(REVERSAL_REASONS)}")


def detail_json(detail: Mapping[str, Any]) -> str:
    """Serialise the detail after refusing card secrets in its top-level keys.

    Raises:
        JournalError: on a sensitive key or a value JSON cannot hold.
    """
    bad = sorted(k for k in detail if str(k).lower() in SENSITIVE_DETAIL_KEYS)
    if bad:
        raise JournalError(f"detail must not carry card secrets {bad}")
    try:
        return json.dumps(dict(detail), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise JournalError(f"detail is not JSON-able: {exc}") from exc
