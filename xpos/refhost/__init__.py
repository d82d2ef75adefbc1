"""The reference host: acquirer front end + value-added platform + demo provider.

It speaks the terminal's own protocol (:mod:`xpos.proto` in the HOST role) over TLS 1.3
with mutual authentication, keeps its state in SQLite and is seeded with :data:`DEMO`.
See ``docs/reference-host.md``.
"""

from __future__ import annotations

from xpos.refhost.core import HostCore
from xpos.refhost.faults import Fault, FaultKind, FaultPlan
from xpos.refhost.rows import CardKind, CardStatus, LedgerEntry, VoucherStatus
from xpos.refhost.seed import DEMO, DemoCard, DemoData, DemoVoucher, seed_demo, track2_for
from xpos.refhost.server import (
    DEFAULT_PORT,
    FROM_HOST,
    TO_HOST,
    ReferenceHost,
    TranscriptEntry,
    run_host,
    serve_forever,
)
from xpos.refhost.store import HostStore

__all__ = [
    "DEFAULT_PORT",
    "DEMO",
    "FROM_HOST",
    "TO_HOST",
    "CardKind",
    "CardStatus",
    "DemoCard",
    "DemoData",
    "DemoVoucher",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "HostCore",
    "HostStore",
    "LedgerEntry",
    "ReferenceHost",
    "TranscriptEntry",
    "VoucherStatus",
    "run_host",
    "seed_demo",
    "serve_forever",
    "track2_for",
]
