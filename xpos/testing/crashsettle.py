"""Both sides of the crash harness's settlements, for the reconciliation.

The terminal journals the totals it settles when a settlement starts (table
``settlement``, :mod:`xpos.journal.settlement`); the host adds up its ledger for the
batch when the 0500 arrives and counts every uploaded item it received twice
(``upload_msg.duplicates``, :mod:`xpos.refhost.settle`). :func:`settled_batches` reads
both, after the run, from the stopped processes' files.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from xpos.refhost.rows import LedgerEntry
from xpos.refhost.server import host_db_path
from xpos.refhost.settle import _SIDES as _HOST_SIDES
from xpos.terminal.config import JOURNAL_NAME
from xpos.testing.reconcile import Settled

HOST_SIDES = _HOST_SIDES["bank"]
"""The host's settlement sides (kind -> debit/credit), for its totals of a batch."""


def host_totals(ledger: list[LedgerEntry], batch: int) -> dict[str, int]:
    """The host's bank totals of ``batch`` from its ledger (as its 0500 handler adds up)."""
    totals = {"debit_count": 0, "debit_amount": 0, "credit_count": 0, "credit_amount": 0}
    for e in ledger:
        side = HOST_SIDES.get(e.kind)
        if side is None or e.batch != batch or e.rc != "00" or e.reversed:
            continue
        totals[f"{side}_count"] += 1
        totals[f"{side}_amount"] += e.amount
    return totals


def settled_batches(data_dir: Path, tid: str, ledger: list[LedgerEntry]) -> list[Settled]:
    """Every finished settlement in ``data_dir``: the terminal's totals, the host's, and
    the items the host received twice for that batch."""
    db = sqlite3.connect(data_dir / JOURNAL_NAME)
    try:
        done = db.execute("SELECT batch, totals FROM settlement WHERE state = 'done'"
                          " ORDER BY id").fetchall()
    finally:
        db.close()
    host = sqlite3.connect(host_db_path(data_dir))
    try:
        duplicates = dict(host.execute(
            "SELECT batch, COALESCE(SUM(duplicates), 0) FROM upload_msg WHERE tid = ?"
            " GROUP BY batch", (tid,)).fetchall())
    finally:
        host.close()
    return [Settled(batch=int(batch), terminal=json.loads(totals)["bank"],
                    host=host_totals(ledger, int(batch)),
                    duplicates=int(duplicates.get(batch, 0)))
            for batch, totals in done]
