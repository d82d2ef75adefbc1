"""CI run of the crash harness: 300+ trials of kill -9, restart and reconcile (issue 10).

The terminal runs in forked processes over TLS against the reference host in its own
process; see xpos/testing/crash.py. ``bench/crash.py --trials N`` runs the same thing
longer and prints the figures.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from xpos.refhost.server import host_db_path
from xpos.terminal.crashpoints import POINTS
from xpos.testing.crash import Harness, run

TRIALS = 300
SEED = 20261129


@pytest.mark.timeout(900)
def test_300_kills_at_named_points_and_random_instants_lose_nothing(tmp_path: Path) -> None:
    report = run(TRIALS, seed=SEED, work=tmp_path)
    print(report.summary())
    assert report.trials >= TRIALS
    assert not report.child_errors, report.child_errors
    assert report.invariants.ok, report.summary()
    assert report.undriven == (), "add a driver to xpos.testing.crashdrivers.DRIVERS"
    missed = [p for p in POINTS if report.named_kills[p] == 0]
    assert not missed, f"crash points never hit (is the hook still in place?): {missed}"
    assert report.random_kills >= 20
    assert report.settlements >= 2 and report.unknown_refunds >= 1
    for kind in ("refund", "completion", "completion_void", "settle"):
        assert report.kinds[kind] >= 5, report.kinds

    # Negative control: the same files, with one reversal undone at the host, must fail.
    db = sqlite3.connect(host_db_path(tmp_path))
    with db:
        row = db.execute("SELECT id FROM ledger WHERE reversed = 1 AND kind = 'sale'"
                         " ORDER BY id LIMIT 1").fetchone()
        assert row is not None
        db.execute("UPDATE ledger SET reversed = 0 WHERE id = ?", row)
    broken = Harness(tmp_path, seed=SEED).reconcile()
    assert broken.lost == 1 and broken.unreversed == 1 and not broken.ok

    # And an uploaded item the host counted twice breaks the settlement invariant.
    with db:
        db.execute("UPDATE ledger SET reversed = 1 WHERE id = ?", row)
        db.execute("UPDATE upload_msg SET duplicates = 1 WHERE rowid ="
                   " (SELECT min(rowid) FROM upload_msg)")
    db.close()
    assert Harness(tmp_path, seed=SEED).reconcile().settle_mismatch == 1
