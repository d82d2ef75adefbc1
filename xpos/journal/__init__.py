"""The journal: transactions, reversal queue, counters and print records (SQLite)."""

from xpos.journal.journal import Journal
from xpos.journal.marker import Marker, marker_path, read_marker
from xpos.journal.records import ReversalDraft, ReversalRecord, TxnRecord, TxnStatus
from xpos.journal.schema import SCHEMA_VERSION
from xpos.journal.settlement import SettlementRecord

__all__ = [
    "SCHEMA_VERSION",
    "Journal",
    "Marker",
    "ReversalDraft",
    "ReversalRecord",
    "SettlementRecord",
    "TxnRecord",
    "TxnStatus",
    "marker_path",
    "read_marker",
]
