"""Journal value types: transaction and reversal records, and the reversal draft."""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VOIDED_BY = "voided_by"
"""Detail key of a sale that an approved void undid: the void's STAN."""


class TxnStatus(enum.Enum):
    """Where a journaled transaction stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    FAILED = "failed"
    REVERSED = "reversed"


@dataclass(frozen=True, kw_only=True)
class TxnRecord:
    """One journaled transaction (masked PAN only).

    Attributes:
        id: Journal row id.
        kind: ``"sale"``, ``"void"``, ``"voucher"``, ``"sign_on"``…
        domain: ``"bank"`` or ``"x"`` (X-menu records are batched apart, B4).
        stan: Field 11.
        batch: Batch number (60.2).
        amount: Amount in fen.
        masked_pan: First 6 / last 4 at most, or empty.
        status: See :class:`TxnStatus`.
        rc: Field 39 of the response, if any.
        auth_code: Field 38, if any.
        rrn: Field 37, if any.
        tid: Terminal id (41).
        mid: Merchant id (42).
        detail: JSON-able extra data (e.g. a voucher title; ``voided_by`` = the STAN
            of the void that undid a sale; a void's ``original_stan`` and
            ``original_batch``).
        created_at: ISO 8601 UTC.
        updated_at: ISO 8601 UTC.
    """

    id: int
    kind: str
    domain: str
    stan: int
    batch: int
    amount: int
    masked_pan: str
    status: TxnStatus
    rc: str | None
    auth_code: str | None
    rrn: str | None
    tid: str
    mid: str
    detail: Mapping[str, Any]
    created_at: str
    updated_at: str

    @property
    def voided(self) -> bool:
        """True for a sale that an approved void undid (it stays APPROVED otherwise)."""
        return VOIDED_BY in self.detail


@dataclass(frozen=True, kw_only=True)
class ReversalDraft:
    """The reversal (0400) to keep ready while a transaction is in flight.

    Attributes:
        mti: Usually ``"0400"``.
        fields: ISO 8583 fields as text, as in ``xpos.proto.codec.Message``; never
            2, 35, 36, 52 or 53.
    """

    mti: str
    fields: Mapping[int, str]


@dataclass(frozen=True, kw_only=True)
class ReversalRecord:
    """A pending reversal in the queue.

    Attributes:
        id: Queue row id.
        txn_id: The transaction it reverses.
        mti: Message type to send.
        fields: ISO 8583 fields as text.
        reason: Field 39 to send: ``"98"`` timeout, ``"A0"`` bad MAC, ``"06"`` other.
        attempts: How many times it has been sent.
    """

    id: int
    txn_id: int
    mti: str
    fields: Mapping[int, str]
    reason: str
    attempts: int


def txn_from_row(row: sqlite3.Row) -> TxnRecord:
    """Build a :class:`TxnRecord` from a ``txn`` table row."""
    return TxnRecord(
        id=row["id"],
        kind=row["kind"],
        domain=row["domain"],
        stan=row["stan"],
        batch=row["batch"],
        amount=row["amount"],
        masked_pan=row["masked_pan"],
        status=TxnStatus(row["status"]),
        rc=row["rc"],
        auth_code=row["auth_code"],
        rrn=row["rrn"],
        tid=row["tid"],
        mid=row["mid"],
        detail=json.loads(row["detail"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def fields_to_json(fields: Mapping[int, str]) -> str:
    """Serialise ISO fields with their numbers as JSON object keys."""
    return json.dumps({str(k): v for k, v in sorted(fields.items())})


def reversal_from_row(row: sqlite3.Row) -> ReversalRecord:
    """Build a :class:`ReversalRecord` from a ``reversal`` table row."""
    fields = {int(k): str(v) for k, v in json.loads(row["fields"]).items()}
    return ReversalRecord(
        id=row["id"],
        txn_id=row["txn_id"],
        mti=row["mti"],
        fields=fields,
        reason=row["reason"],
        attempts=row["attempts"],
    )
