from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from xpos.journal import Journal, TxnStatus

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from xpos.journal import Journal, ReversalDraft, TxnStatus

journal = Journal(Path(sys.argv[2]))
stan = journal.next_stan()
draft = ReversalDraft(mti="0400", fields={3: "000000", 4: "000000001234", 11: f"{stan:06d}"})
txn_id = journal.begin_txn(
    kind="sale", domain="bank", stan=stan, batch=journal.batch_no, amount=1234,
    masked_pan="621234*********4567", tid="12345678", mid="123456789012345", reversal=draft,
)
if sys.argv[3] == "complete":
    journal.complete_txn(txn_id, status=TxnStatus.APPROVED, rc="00", auth_code="654321")
os.kill(os.getpid(), signal.SIGKILL)
"""


def _run_and_kill(journal_path: Path, stage: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT), str(journal_path), stage],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_after_begin_keeps_the_pending_txn_and_its_reversal(journal_path: Path) -> None:
    _run_and_kill(journal_path, "begin")
    with Journal(journal_path) as journal:
        record = journal.last()
        assert record is not None
        assert (record.status, record.stan, record.amount) == (TxnStatus.PENDING, 1, 1234)
        reversal = journal.pending_reversal()
        assert reversal is not None
        assert reversal.txn_id == record.id
        assert reversal.reason == "98"
        assert reversal.fields[11] == "000001"
        assert journal.next_stan() == 2


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_after_complete_keeps_the_approval_and_no_reversal(journal_path: Path) -> None:
    _run_and_kill(journal_path, "complete")
    with Journal(journal_path) as journal:
        record = journal.last()
        assert record is not None
        assert (record.status, record.auth_code) == (TxnStatus.APPROVED, "654321")
        assert journal.pending_reversal() is None
