"""A settlement killed with SIGKILL half-way resumes where it stopped: the terminal in its
own process (``settle_child.py``) against ``xpos host`` in another, the host's own count
of uploaded items per (TID, batch) as the proof that nothing went up twice."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.journal import Journal

TIMEOUT_S = 120.0
CHILD = Path(__file__).with_name("settle_child.py")


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "host"
    proc = subprocess.Popen([sys.executable, "-m", "xpos.cli", "host", "--plain",
                             "--data-dir", str(data), "--port", "0"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    match = re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline())
    assert match, proc.stderr.read() if proc.stderr else ""
    yield f"127.0.0.1:{match.group(1)}", data / "host" / "host.db"
    proc.terminate()
    proc.wait(timeout=TIMEOUT_S)


def _child(data: Path, address: str, phase: str, arg: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHILD), str(data), address, phase, arg],
                          capture_output=True, text=True, timeout=TIMEOUT_S, check=False)


def _host_counts(db: Path) -> tuple[int, int, int, int]:
    """Items, duplicates, retransmissions of batch 1's upload; is batch 1 closed (the host
    serves one terminal here)."""
    with sqlite3.connect(db) as conn:
        items = conn.execute("SELECT COUNT(*) FROM upload_item WHERE batch = 1"
                             ).fetchone()[0]
        dup, again = conn.execute("SELECT COALESCE(SUM(duplicates), 0), COALESCE(SUM("
                                  "retransmits), 0) FROM upload_msg WHERE batch = 1").fetchone()
        closed = conn.execute("SELECT COUNT(*) FROM settlement WHERE batch = 1"
                              " AND domain = 'bank' AND closed = 1").fetchone()[0]
    return int(items), int(dup), int(again), int(closed)


@pytest.mark.parametrize(("point", "state", "expected"), [
    ("settle_answered", "settle", (0, 0, 0, 1)),   # balanced after all: no upload
    ("mid_upload", "upload", (10, 0, 1, 1)),       # 0320 #2 sent again, not counted twice
])
def test_settlement_killed_half_way_resumes_without_uploading_twice(
        tmp_path: Path, host: tuple[str, Path], point: str, state: str,
        expected: tuple[int, int, int, int]) -> None:
    address, db = host
    data = tmp_path / "terminal"
    made = _child(data, address, "sales", "10")
    assert "SALES DONE" in made.stdout, made.stderr
    if point == "mid_upload":  # a host-side sale the terminal never journaled
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT INTO ledger (tid, stan, batch, kind, amount, masked_pan, rc,"
                         " created_at) SELECT tid, 999999, 1, 'sale', 100, '', '00', "
                         "'2026-01-01T00:00:00+00:00' FROM ledger LIMIT 1")
    killed = _child(data, address, "settle", point)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    with Journal(data / "journal.db") as journal:
        record = journal.open_settlement()
        assert record is not None and record.state == state and journal.batch_no == 1
    resumed = _child(data, address, "settle", "none")
    assert "继续结算?" in resumed.stdout and "结算成功" in resumed.stdout, \
        resumed.stdout + resumed.stderr
    assert _host_counts(db) == expected
    with Journal(data / "journal.db") as journal:
        assert journal.open_settlement() is None and journal.batch_no == 2
