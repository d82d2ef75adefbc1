"""A lost, empty, replaced, behind or damaged journal is refused, never recreated (issue 8).

Real SQLite files throughout; the WAL case kills a real process with SIGKILL.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from xpos.errors import JournalError, JournalLostError
from xpos.journal import Journal, TxnStatus, marker_path, read_marker
from xpos.journal.marker import STAN_BLOCK
from xpos.journal.recovery import recover

from .helpers import begin

NOW = datetime(2026, 11, 28, 23, 0, 0, tzinfo=UTC)


def _used(path: Path, stans: int = 3, batch: int = 4) -> None:
    """A journal that has been used: STANs taken, a batch set, an approved sale."""
    with Journal(path) as journal:
        journal.set_batch_no(batch)
        for _ in range(stans):
            stan = journal.next_stan()
        txn = begin(journal, stan=stan, batch=batch)
        journal.complete_txn(txn, status=TxnStatus.APPROVED, rc="00")


def _refused(path: Path, finding: str) -> JournalLostError:
    with pytest.raises(JournalLostError) as caught:
        Journal(path)
    assert caught.value.finding == finding
    assert "journal lost" in str(caught.value)
    # the command to run names the real data directory, ready to paste (not a DIR placeholder)
    assert f"xpos journal recover --data-dir {path.parent}" in str(caught.value)
    return caught.value


def test_a_first_start_creates_the_journal_and_a_private_marker(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        marker = read_marker(marker_path(journal_path))
        assert marker is not None and marker.journal_id == journal.journal_id
        assert len(journal.journal_id) == 32
    assert stat.S_IMODE(marker_path(journal_path).stat().st_mode) == 0o600
    with Journal(journal_path) as again:  # and a restart opens it as before
        assert again.journal_id == marker.journal_id


def test_a_deleted_journal_is_refused_and_not_recreated(journal_path: Path) -> None:
    _used(journal_path)
    journal_path.unlink()
    error = _refused(journal_path, "missing")
    assert "missing" in str(error)
    assert not journal_path.exists()


def test_a_journal_truncated_to_zero_bytes_is_refused(journal_path: Path) -> None:
    _used(journal_path)
    journal_path.write_bytes(b"")
    _refused(journal_path, "empty")
    assert journal_path.stat().st_size == 0


def test_another_journal_in_its_place_is_refused(journal_path: Path, tmp_path: Path) -> None:
    _used(journal_path)
    other = tmp_path / "other" / "journal.sqlite3"
    other.parent.mkdir()
    _used(other)
    shutil.copy(other, journal_path)
    _refused(journal_path, "replaced")


def test_an_old_copy_of_the_journal_is_refused_as_behind(journal_path: Path,
                                                         tmp_path: Path) -> None:
    _used(journal_path, stans=2)
    old = tmp_path / "old.sqlite3"
    shutil.copy(journal_path, old)
    with Journal(journal_path) as journal:
        for _ in range(STAN_BLOCK + 1):  # crosses a reservation block: the floor moves
            journal.next_stan()
    shutil.copy(old, journal_path)
    error = _refused(journal_path, "behind")
    assert "below the marker" in str(error)


def test_overwritten_bytes_are_found_by_the_integrity_check(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        for n in range(1, 301):
            begin(journal, stan=n, detail={"note": "x" * 200})
    data = bytearray(journal_path.read_bytes())
    assert len(data) > 8 * 4096
    data[5 * 4096:5 * 4096 + 2000] = os.urandom(2000)  # a page in the middle
    journal_path.write_bytes(bytes(data))
    error = _refused(journal_path, "damaged")
    assert "integrity check failed" in str(error) or "SQLite cannot read" in str(error)


def test_a_journal_cut_short_is_refused(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        for n in range(1, 301):
            begin(journal, stan=n, detail={"note": "x" * 200})
    size = journal_path.stat().st_size
    with journal_path.open("r+b") as f:
        f.truncate(size // 2)
    _refused(journal_path, "damaged")


def test_a_damaged_marker_is_refused(journal_path: Path) -> None:
    _used(journal_path)
    marker_path(journal_path).write_text("{not json", encoding="utf-8")
    _refused(journal_path, "marker")


def test_a_sound_journal_without_marker_gets_one_with_a_warning(
        journal_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _used(journal_path)
    marker_path(journal_path).unlink()
    with caplog.at_level(logging.WARNING), Journal(journal_path) as journal:
        assert journal.next_stan() == 4
    assert "no journal marker" in caplog.text
    marker = read_marker(marker_path(journal_path))
    assert marker is not None and marker.journal_id == journal.journal_id


_WRITER = """
import os, sys
from pathlib import Path
from xpos.journal import Journal, ReversalDraft
journal = Journal(Path(sys.argv[1]))
for _ in range(int(sys.argv[2])):  # as sales do: take a STAN, journal the sale, send
    stan = journal.next_stan()
    journal.begin_txn(kind="sale", domain="bank", stan=stan, batch=1, amount=100,
                      masked_pan="", tid="10000001", mid="898100012340001",
                      reversal=ReversalDraft(mti="0400", fields={11: f"{stan:06d}"}))
print("ready", flush=True)
sys.stdin.read()
"""


def test_a_deleted_wal_after_kill_9_loses_no_committed_stan(journal_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(journal_path), "7"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    wal = Path(f"{journal_path}-wal")
    assert wal.exists()  # the killed process left its WAL behind
    wal.unlink()
    Path(f"{journal_path}-shm").unlink(missing_ok=True)
    with Journal(journal_path) as journal:  # every sale was checkpointed into the file
        assert len(journal.transactions()) == 7
        assert journal.next_stan() == 8


def test_the_marker_names_pending_reversals(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        stan = journal.next_stan()
        begin(journal, stan=stan)
        record = journal.pending_reversal()
        assert record is not None
        journal.reversal_attempted(record.id)
        marker = read_marker(marker_path(journal_path))
        assert marker is not None and marker.pending_reversals == (stan,)


def test_recovery_keeps_the_old_files_and_continues_above_the_reservation(
        journal_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with Journal(journal_path) as journal:
        journal.set_batch_no(4)
        stan = journal.next_stan()
        begin(journal, stan=stan, batch=4)  # its reversal stays pending
        old_id = journal.journal_id
    old_marker = read_marker(marker_path(journal_path))
    assert old_marker is not None and old_marker.pending_reversals == (stan,)
    journal_path.unlink()
    with caplog.at_level(logging.ERROR):
        result = recover(journal_path, now=NOW)
    kept = journal_path.with_name(journal_path.name + ".lost-20261128T230000Z")
    assert result.finding == "missing" and result.old_journal_id == old_id
    assert kept.with_name(marker_path(journal_path).name + ".lost-20261128T230000Z").exists()
    assert result.next_stan == old_marker.stan_reserved + 1 > stan
    assert result.lost_batch == 4 and result.lost_reversals == (stan,)
    assert f"{stan:06d}" in caplog.text and "reconcile" in caplog.text
    assert f"{stan:06d}" in result.incident.read_text(encoding="utf-8")
    with Journal(journal_path) as journal:
        assert journal.journal_id == result.new_journal_id != old_id
        assert journal.needs_batch and journal.batch_no == 0
        assert journal.transactions() == [] and journal.pending_reversal() is None
        with pytest.raises(JournalError, match="new batch is required"):
            journal.set_batch_no(4)  # the host must not hand the lost batch back
        journal.set_batch_no(5)
        assert not journal.needs_batch
        assert journal.next_stan() == result.next_stan


def test_after_recovery_the_x_batch_follows_the_hosts_new_batch_not_1(
        journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        journal.set_batch_no(7)
        journal.next_stan()
    journal_path.unlink()
    recover(journal_path, now=NOW)
    with Journal(journal_path) as journal:
        assert journal.batch_for("x") == 0  # none until the sign-on, like the bank batch
        journal.set_batch_no(8)
        assert journal.batch_for("x") == 8 and journal.batch_for("bank") == 8
        journal.set_batch_no(9)  # a later batch change (settlement) leaves the X batch alone
        assert journal.batch_for("x") == 8


def test_recovery_of_a_damaged_file_renames_it_and_its_wal(journal_path: Path) -> None:
    _used(journal_path)
    journal_path.write_bytes(b"garbage" * 1000)
    Path(f"{journal_path}-wal").write_bytes(b"wal")
    result = recover(journal_path, now=NOW)
    names = sorted(p.name for p in result.kept)
    assert names == ["journal.id.lost-20261128T230000Z",
                     "journal.sqlite3-wal.lost-20261128T230000Z",
                     "journal.sqlite3.lost-20261128T230000Z"]
    assert (journal_path.parent / names[2]).read_bytes() == b"garbage" * 1000
    assert result.finding == "damaged"
    with Journal(journal_path) as journal:
        assert journal.needs_batch


def test_recovery_refuses_a_sound_journal(journal_path: Path) -> None:
    _used(journal_path)
    with pytest.raises(JournalError, match="nothing to recover"):
        recover(journal_path)
    with Journal(journal_path) as journal:
        assert journal.batch_no == 4


def test_an_interrupted_recovery_is_refused_and_can_run_again(journal_path: Path) -> None:
    _used(journal_path)
    journal_path.unlink()
    first = recover(journal_path, now=NOW)
    journal_path.unlink()  # as if killed before the new journal was renamed into place
    _refused(journal_path, "missing")
    second = recover(journal_path, now=datetime(2026, 11, 28, 23, 5, tzinfo=UTC))
    assert second.next_stan == first.next_stan and second.lost_batch == 4


def test_closing_twice_is_quiet(journal_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    journal = Journal(journal_path)
    journal.close()
    with caplog.at_level(logging.WARNING):
        journal.close()
    assert caplog.text == ""
