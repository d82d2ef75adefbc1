"""The journal: transactions, reversal queue, counters and print records (SQLite)."""

from xpos.journal.journal import Journal
from xpos.journal.records import ReversalDraft, ReversalRecord, TxnRecord, TxnStatus
from xpos.journal.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Journal",
    "ReversalDraft",
    "ReversalRecord",
    "TxnRecord",
    "TxnStatus",
]
