"""The journal marker: what the terminal knows about its journal, kept outside it.

``journal.id`` lives next to ``journal.db`` (same name, suffix ``.id``); it is written
atomically (temporary file, fsync, rename, fsync of the folder) with mode 0600::

    {"format": "xpos-journal-marker", "version": 1,
     "journal_id": "<32 hex>",      the id stored in the journal's meta table
     "stan_floor": 41,              the journal's STAN was at least this when written
     "stan_reserved": 90,           no STAN above this has been taken (1..999999)
     "batch": 3,                    the highest batch number the journal has used
     "pending_reversals": [37],     STANs of reversals pending when last written
     "tmk_kcv": "ABCDEF" | null,    a TMK with this check value was loaded
     "updated_at": "<ISO 8601>"}

A fresh data directory has no marker: the first :class:`~xpos.journal.Journal` open
creates the journal and then the marker. From then on, a journal that is missing, empty,
another one (a different id) or behind the marker (its STAN below ``stan_floor``) is
refused (:class:`~xpos.errors.JournalLostError`). See docs/operations.md.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Self

from xpos.errors import JournalLostError
from xpos.security.keystore import write_private_file

FORMAT = "xpos-journal-marker"
VERSION = 1
#: STANs reserved in the marker at a time: the marker is rewritten once per block.
STAN_BLOCK = 50
MAX_COUNTER = 999999


def recover_hint(data_dir: Path) -> str:
    """What to run for a lost journal in ``data_dir`` (the real directory, ready to paste)."""
    return (f"run `xpos journal recover --data-dir {shlex.quote(str(data_dir))}` "
            "(docs/operations.md)")


def marker_path(journal: Path) -> Path:
    """Where the marker of the journal at ``journal`` lives (``journal.db`` -> ``journal.id``)."""
    return journal.with_suffix(".id")


@dataclass(frozen=True, kw_only=True)
class Marker:
    """The contents of ``journal.id`` (see the module docstring)."""

    journal_id: str
    stan_floor: int = 0
    stan_reserved: int = 0
    batch: int = 0
    pending_reversals: tuple[int, ...] = field(default_factory=tuple)
    tmk_kcv: str | None = None
    updated_at: str = ""

    def but(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)

    def next_reservation(self, stan: int) -> Self | None:
        """The marker to write before ``stan`` is taken, or None if it is covered.

        ``stan`` is covered when it lies above the floor and within the reservation; a
        STAN that wrapped to 1 (or any lower one) starts a new reservation.
        """
        if self.stan_floor < stan <= self.stan_reserved:
            return None
        return self.but(stan_floor=stan - 1,
                        stan_reserved=min(stan - 1 + STAN_BLOCK, MAX_COUNTER))


def read_marker(path: Path) -> Marker | None:
    """The marker at ``path``, or None if there is none.

    Raises:
        JournalLostError: the file exists but cannot be read as a marker (finding
            ``marker``): it is never silently replaced.
    """
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("unknown format or version")
        return Marker(journal_id=_text(data["journal_id"]),
                      stan_floor=_count(data["stan_floor"]),
                      stan_reserved=_count(data["stan_reserved"]),
                      batch=_count(data["batch"]),
                      pending_reversals=tuple(_count(s) for s in data["pending_reversals"]),
                      tmk_kcv=None if data.get("tmk_kcv") is None else _text(data["tmk_kcv"]),
                      updated_at=str(data.get("updated_at", "")))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise JournalLostError(f"{path}: journal lost (marker): the journal marker is damaged"
                               f" ({reason}); the terminal cannot tell whether its journal is"
                               f" complete: {recover_hint(path.parent)}",
                               finding="marker") from None


def write_marker(path: Path, marker: Marker) -> None:
    """Write ``marker`` to ``path`` atomically and durably (mode 0600)."""
    doc = {"format": FORMAT, "version": VERSION, **asdict(marker)}
    doc["pending_reversals"] = list(marker.pending_reversals)
    write_private_file(path, json.dumps(doc, indent=2) + "\n")


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNTER:
        raise ValueError(f"counter {value!r} is not 0..{MAX_COUNTER}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValueError("expected a short text")
    return value
