"""Recovering from a lost or damaged journal without reusing a (batch, trace).

:func:`recover` is what ``xpos journal recover`` runs (docs/operations.md):

1. It opens the journal as the terminal would; a sound journal is left alone.
2. It builds a new, empty journal next to the old one (``journal-recovering.db``): the
   next STAN continues above the marker's reservation (so above every STAN the lost
   journal can have sent) and the batch number is 0, meaning "none": the terminal sends
   ``000000`` in 60.2 of its next sign-on, the host opens a new batch for it, and no sale
   or voucher goes out before that (:attr:`~xpos.journal.Journal.needs_batch`).
3. It renames the old files aside (``journal.db.lost-<UTC time>``, and its ``-wal`` and
   ``-shm`` likewise) and copies the marker aside: nothing is deleted.
4. It replaces the marker with the new one, then renames the new journal into place. A
   marker exists at every instant, so a kill at any point leaves a state the terminal
   refuses (never a "first start") and ``recover`` can run again.

The incident is logged at ERROR and written next to the kept files
(``journal.db.lost-<UTC time>.txt``). Reversals that were pending in the lost journal
cannot be sent any more: their STANs (as far as the marker knew them) are named in the
incident for the operator to reconcile with the host.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from xpos.errors import JournalError, JournalLostError
from xpos.journal.db import MAX_COUNTER
from xpos.journal.journal import Journal
from xpos.journal.marker import Marker, marker_path, read_marker, write_marker
from xpos.security.keystore import fsync_dir

log = logging.getLogger(__name__)

_SIDE_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True, kw_only=True)
class Recovery:
    """What :func:`recover` found and did.

    Attributes:
        finding: Why the journal was refused (``missing``, ``empty``, ``damaged`` …).
        detail: The refusal message.
        kept: The files renamed aside (never deleted).
        incident: The incident report written next to them.
        old_journal_id: The lost journal's id, if the marker knew it.
        new_journal_id: The new journal's id.
        next_stan: The STAN the new journal takes next.
        lost_batch: The batch the lost journal was in (0 if unknown); the host must
            open another before any sale.
        lost_reversals: STANs of reversals the marker knew pending: not recoverable by
            the terminal, to be reconciled with the host.
    """

    finding: str
    detail: str
    kept: tuple[Path, ...]
    incident: Path
    old_journal_id: str | None
    new_journal_id: str
    next_stan: int
    lost_batch: int
    lost_reversals: tuple[int, ...]

    def describe(self) -> str:
        """The incident as text, one fact per line."""
        lost = ", ".join(f"{s:06d}" for s in self.lost_reversals) or "none known"
        return "\n".join([
            f"journal recovery: found the journal {self.finding}: {self.detail}",
            f"kept aside (not deleted): {', '.join(str(p) for p in self.kept) or 'nothing'}",
            f"lost journal id: {self.old_journal_id or 'unknown'}; "
            f"new journal id: {self.new_journal_id}",
            f"pending reversals lost (STAN): {lost}; the terminal cannot send them: "
            "reconcile these with the host",
            f"next STAN: {self.next_stan:06d}; lost batch: {self.lost_batch:06d}; "
            "the terminal is not signed on and takes a new batch from the host at its "
            "next sign-on (no sale before that)",
        ])


def recover(path: Path, *, now: datetime | None = None) -> Recovery:
    """Keep a lost or damaged journal aside and start a new one (see the module doc).

    Args:
        path: The journal file (``DATA_DIR/journal.db``).
        now: The time for the kept files' names (default: now, UTC).

    Returns:
        What was found and done; the incident is also logged at ERROR.

    Raises:
        JournalError: the journal is sound (nothing to recover), or a file could not
            be moved or written.
    """
    finding, detail = _diagnose(path)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    mpath = marker_path(path)
    try:
        old = read_marker(mpath)
    except JournalLostError:
        old = None
    reserved = old.stan_reserved if old else 0
    next_stan = 1 if reserved >= MAX_COUNTER else reserved + 1
    try:
        new_id = _build_new(path, next_stan)
        kept = _keep_aside(path, stamp)
        base = Marker(journal_id=new_id)
        if old is not None:
            base = base.but(batch=old.batch, tmk_kcv=old.tmk_kcv)
        write_marker(mpath, base.but(stan_floor=next_stan - 1, stan_reserved=next_stan - 1,
                                     updated_at=stamp))
        os.replace(_new_path(path), path)
        marker_path(_new_path(path)).unlink(missing_ok=True)
        fsync_dir(path.parent)
        result = Recovery(finding=finding, detail=detail, kept=kept,
                          incident=path.with_name(f"{path.name}.lost-{stamp}.txt"),
                          old_journal_id=old.journal_id if old else None,
                          new_journal_id=new_id, next_stan=next_stan,
                          lost_batch=old.batch if old else 0,
                          lost_reversals=old.pending_reversals if old else ())
        result.incident.write_text(result.describe() + "\n", encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"journal recovery failed: {exc}") from exc
    log.error("%s", result.describe().replace("\n", "; "))
    return result


def _diagnose(path: Path) -> tuple[str, str]:
    """Open a copy of the journal files as the terminal would: SQLite may change what it
    opens (it can drop an unusable WAL), and the originals are evidence."""
    if not path.exists() and not marker_path(path).exists():
        raise JournalError(f"{path}: there is no journal here and none was lost (a first "
                           "start needs no recovery)")
    probe = Path(tempfile.mkdtemp(prefix=".journal-probe-", dir=path.parent))
    try:
        for source in (*(Path(f"{path}{s}") for s in _SIDE_FILES), marker_path(path)):
            if source.is_file():
                shutil.copy2(source, probe / source.name)
        Journal(probe / path.name).close()
    except JournalLostError as exc:
        return exc.finding, str(exc).replace(str(probe / path.name), str(path))
    finally:
        shutil.rmtree(probe, ignore_errors=True)  # our own copy, not the evidence
    raise JournalError(f"{path}: the journal is sound; there is nothing to recover")


def _new_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-recovering{path.suffix}")


def _build_new(path: Path, next_stan: int) -> str:
    """A new journal beside ``path``: STAN continues at ``next_stan``, batch 0 (none)."""
    new = _new_path(path)
    for suffix in (*_SIDE_FILES, ".id"):  # a recovery that was interrupted: our own files
        target = marker_path(new) if suffix == ".id" else Path(f"{new}{suffix}")
        target.unlink(missing_ok=True)
    journal = Journal(new)
    try:
        journal.set_next_stan(next_stan)
        journal.clear_batch()
        return journal.journal_id
    finally:
        journal.close()


def _keep_aside(path: Path, stamp: str) -> tuple[Path, ...]:
    """Rename the journal's files aside; the marker is copied (it must never be absent:
    no journal and no marker is a first start)."""
    kept = []
    mpath = marker_path(path)
    if mpath.exists():
        copy = mpath.with_name(f"{mpath.name}.lost-{stamp}")
        copy.write_bytes(mpath.read_bytes())
        kept.append(copy)
    for source in (Path(f"{path}{s}") for s in _SIDE_FILES):
        if source.exists():
            target = source.with_name(f"{source.name}.lost-{stamp}")
            os.replace(source, target)
            kept.append(target)
    return tuple(kept)

