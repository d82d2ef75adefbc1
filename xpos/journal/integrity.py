"""Opening a journal that is checked against its marker: a lost one is never recreated.

:func:`open_journal` is how :class:`~xpos.journal.Journal` opens its file:

* no journal file, no ``-wal`` file and no marker: a first start; the journal is
  created and then its marker (:mod:`xpos.journal.marker`);
* otherwise the journal must be there and sound. Refused with
  :class:`~xpos.errors.JournalLostError` (its ``finding`` in brackets): the file is
  missing while a marker or a ``-wal`` file is there [missing], it is 0 bytes [empty],
  SQLite cannot read it or ``PRAGMA quick_check`` fails [damaged], its id is not the
  marker's [replaced], its STAN is below the marker's floor, e.g. a deleted WAL or an
  old copy [behind], or the marker itself cannot be read [marker];
* a sound journal without a marker (a journal from before markers, or a deleted marker)
  gets a new marker from its own contents, with a warning in the log.

The journal is checkpointed after every commit (:meth:`Database._write`) and once at
open, so a deleted ``journal.db-wal`` cannot take committed transactions with it; only a
kill between a commit and its checkpoint, followed by deleting the WAL before the next
start, could, and then the STAN floor catches it once a reservation block was crossed.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from xpos.errors import JournalError, JournalLostError
from xpos.journal.marker import Marker, marker_path, read_marker, recover_hint, write_marker
from xpos.journal.schema import connect

log = logging.getLogger(__name__)



def open_journal(path: Path) -> tuple[sqlite3.Connection, Marker]:
    """Open the journal at ``path`` after checking it against its marker.

    Returns:
        The connection (as :func:`xpos.journal.schema.connect` gives it) and the marker
        as written now (floor, batch and pending reversals brought up to date).

    Raises:
        JournalLostError: the journal is lost or damaged (see the module docstring).
        JournalError: the path is unusable for other reasons (folder, permissions).
    """
    mpath = marker_path(path)
    marker = read_marker(mpath)
    wal = Path(f"{path}-wal")
    if not path.exists() and marker is None and not wal.exists():
        conn = connect(path)
        try:
            fresh = Marker(journal_id=journal_id(conn), batch=_counter(conn, "batch"))
            write_marker(mpath, fresh)
        except BaseException:
            conn.close()
            raise
        return conn, fresh
    _check_file(path, marker)
    conn = _connect_existing(path)
    try:
        found = check(conn, marker)
        if found is not None:
            raise _lost(path, found[0], found[1])
        if marker is None:
            log.warning("%s: no journal marker; writing one from the journal", mpath)
        synced = synced_marker(conn, marker)
        write_marker(mpath, synced)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _lost(path, "damaged", f"SQLite cannot read it ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn, synced


def _check_file(path: Path, marker: Marker | None) -> None:
    if not path.exists():
        why = (f"its marker says journal {marker.journal_id} existed" if marker
               else "its -wal file is still there")
        raise _lost(path, "missing", f"the file is missing but {why}")
    if path.is_file() and path.stat().st_size == 0:
        raise _lost(path, "empty", "the file is empty (0 bytes)")


def _connect_existing(path: Path) -> sqlite3.Connection:
    try:
        return connect(path)
    except JournalError as exc:
        cause = exc.__cause__
        if isinstance(cause, sqlite3.DatabaseError) and not isinstance(
                cause, sqlite3.OperationalError):
            raise _lost(path, "damaged", f"SQLite cannot read it ({cause})") from None
        raise


def check(conn: sqlite3.Connection, marker: Marker | None) -> tuple[str, str] | None:
    """What is wrong with an open journal, as ``(finding, detail)``, or None.

    Raises:
        sqlite3.DatabaseError: SQLite could not read the file at all.
    """
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        return "damaged", "integrity check failed: " + "; ".join(rows[:3])
    if marker is None:
        return None
    found = journal_id(conn)
    if found != marker.journal_id:
        return "replaced", f"it is journal {found}, the marker says {marker.journal_id}"
    stan = _counter(conn, "stan")
    if stan < marker.stan_floor:
        return "behind", (f"its STAN {stan:06d} is below the marker's {marker.stan_floor:06d}"
                          " (committed transactions are missing: a deleted WAL or an old copy)")
    return None


def synced_marker(conn: sqlite3.Connection, marker: Marker | None) -> Marker:
    """The marker brought up to date with a sound journal (floor, batch, reversals)."""
    stan, batch = _counter(conn, "stan"), _counter(conn, "batch")
    base = marker or Marker(journal_id=journal_id(conn))
    pending = tuple(int(r[0]) for r in conn.execute(
        "SELECT t.stan FROM reversal r JOIN txn t ON t.id = r.txn_id ORDER BY r.id"))
    return base.but(stan_floor=stan, stan_reserved=max(base.stan_reserved, stan),
                    batch=batch or base.batch, pending_reversals=pending)


def journal_id(conn: sqlite3.Connection) -> str:
    """The journal's id (its ``meta`` table)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("the journal has no id")
    return str(row[0])


def _counter(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise sqlite3.DatabaseError(f"the journal has no {name} counter")
    return int(row[0])


def _lost(path: Path, finding: str, detail: str) -> JournalLostError:
    return JournalLostError(f"{path}: journal lost ({finding}): {detail}; the "
                            f"terminal will not transact: {recover_hint(path.parent)}",
                            finding=finding)
