"""The crash harness: kill -9 a real terminal process mid-transaction, restart, reconcile.

Theory of operation
-------------------
The reference host runs in its own process (``python -m xpos.testing.crashhost``: TLS 1.3
on loopback with the demo PKI made in the work directory, its ledger in a real SQLite
file), with one card whose balance covers every trial. The terminal runs in child
processes forked from the harness (which has imported everything once, so a child
starts in milliseconds; the harness holds no thread and no open SQLite connection when
it forks). A child is a :class:`~xpos.testing.rig.TerminalRig` on the SAME data
directory every time, joined to the host over TLS, driven through its menus like a
person (keys, swipe, PIN), printing on the fake printer.

One child *life* runs a short plan of transactions (each one a *trial*) and ends one of
three ways:

* **named point**: the child was started with ``XPOS_CRASH_AT=<kind>.<moment>@<n>``
  (:mod:`xpos.terminal.crashpoints`) and SIGKILLs itself at that point of its last
  planned transaction; the points are taken in turn from
  :data:`~xpos.terminal.crashpoints.POINTS` (a ``reversal.*`` point only when a
  reversal is pending, so that it can be hit);
* **random instant**: the harness SIGKILLs it after a random delay drawn over the
  life's expected length (start-up included: a kill may land while the journal opens);
* **survived**: the plan finished first.

The next life is the restart: the terminal opens the same journal and key store and
sends any pending reversal before its next transaction, as it always does. After every
kill the harness notes how many reversal attempts the journal had counted (the bound on
0400s the host may see). A named-point life runs first what its point needs (a sale
before a void, a pre-auth before a completion, :data:`PREREQUISITES`); an open
settlement is continued before any other transaction. After the last trial, recovery
lives run until no reversal is pending and no settlement is open, and one last
settlement closes the batch; then the host stops and
:func:`xpos.testing.reconcile.reconcile` compares the journal with the host ledger, the
card's balance and every settlement's totals (:mod:`xpos.testing.crashsettle`).

A plan's kinds are driven by :data:`~xpos.testing.crashdrivers.DRIVERS`; a point
whose kind has no driver is left out of the matrix (and reported), so a new kind joins
by adding its driver there and its points to ``POINTS``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from xpos.journal import Journal, TxnStatus
from xpos.refhost.server import host_db_path
from xpos.refhost.store import HostStore
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.config import JOURNAL_NAME, load_config
from xpos.terminal.crashpoints import ENV, POINTS
from xpos.testing.crashdrivers import DRIVERS, Emit
from xpos.testing.crashhost import CARD, INITIAL_BALANCE
from xpos.testing.crashreport import Report
from xpos.testing.crashsettle import settled_batches
from xpos.testing.reconcile import Invariants, Key, Sides, reconcile
from xpos.testing.rig import TerminalRig

LIFE_LIMIT_S = 60.0
"""A child that has not ended by then is killed and counted as hung."""
_MAX_PLAN = 3
TRIAL_KINDS = ("sale", "sale", "sale", "void", "refund", "completion", "completion_void",
               "settle")
"""The kinds a random trial draws from (a repeated name weighs more)."""
PREREQUISITES = {"void": ("sale",), "completion": ("preauth",),
                 "completion_void": ("preauth", "completion")}
"""What a named-point life runs before its kind, so that the point can be reached."""
UPLOAD_POINT = "settle.mid_upload"
UNKNOWN_REFUND_POINT = "refund.after_send"


@dataclass(frozen=True)
class Life:
    """One child process: its plan of (kind, amount) and how it should die."""

    plan: tuple[tuple[str, int], ...]
    point: str = ""
    """``XPOS_CRASH_AT`` for a named-point life; empty for a random or recovery life."""
    kill_after: float | None = None
    """Seconds after the fork at which the harness kills it (random instant)."""


class Harness:
    """Runs lives against one host process and one data directory (see module doc)."""

    def __init__(self, work: Path, *, seed: int) -> None:
        """Prepare ``work`` (data directory, PKI) and the random generator."""
        self.data_dir = work
        self.rng = random.Random(seed)
        self.report = Report(undriven=tuple(p for p in POINTS if _kind(p) not in DRIVERS
                                            and _kind(p) != "reversal"))
        self.attempts_seen: dict[Key, int] = {}
        self._points = [p for p in POINTS if p not in self.report.undriven]
        self._next = self._next_reversal = -1
        self._life_s = 0.5  # running estimate of a one-trial life, for random kills
        self._host: subprocess.Popen[bytes] | None = None
        self.port = 0

    # -- the host process --------------------------------------------------------------

    def start_host(self) -> None:
        """Start the reference host process and read its port."""
        ensure_demo_pki(self.data_dir)
        self._host = subprocess.Popen(
            [sys.executable, "-m", "xpos.testing.crashhost", str(self.data_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._host.stdout is not None
        line = self._host.stdout.readline().decode().split()
        if len(line) != 2 or line[0] != "port":
            self._host.kill()
            raise RuntimeError(f"crash host did not start: {line!r}")
        self.port = int(line[1])

    def stop_host(self) -> None:
        """Close the host's stdin: it stops and closes its database."""
        if self._host is None:
            return
        assert self._host.stdin is not None
        self._host.stdin.close()
        self._host.wait(30)
        self._host = None

    # -- lives -------------------------------------------------------------------------

    def plan_life(self) -> Life:
        """The next life: a named point in turn, or (one in three) a random instant."""
        plan = tuple(self._trial() for _ in range(self.rng.randint(1, _MAX_PLAN)))
        if self.rng.random() < 1 / 3:
            return Life(plan=plan, kill_after=self.rng.uniform(0, self._life_s * len(plan)))
        point = self._pick_point()
        kind = _kind(point)
        if kind == "reversal":
            return Life(plan=plan[:1], point=f"{point}@1")
        before = tuple(t for t in plan[:-1] if t[0] != kind)
        needs = tuple((k, plan[-1][1]) for k in PREREQUISITES.get(kind, ()))
        return Life(plan=(*before, *needs, (kind, plan[-1][1])), point=f"{point}@1")

    def _trial(self) -> tuple[str, int]:
        return self.rng.choice(TRIAL_KINDS), self.rng.randint(1, 99_999)

    def _pick_point(self) -> str:
        """The next point in turn; a ``reversal.*`` one in turn (every other time) when a
        reversal is pending, since only then can it be hit."""
        later = [p for p in self._points if _kind(p) == "reversal"]
        now = [p for p in self._points if _kind(p) != "reversal"]
        if later and self._pending_reversals() and self.rng.random() < 0.5:
            self._next_reversal += 1
            return later[self._next_reversal % len(later)]
        self._next += 1
        point = now[self._next % len(now)]
        if point == UPLOAD_POINT and not self._unknown_refunds():
            # Only an unbalanced settlement uploads: a refund whose answer the terminal
            # never read makes the host's totals differ. Cut one first, then come back.
            self._next -= 1
            return UNKNOWN_REFUND_POINT
        return point

    def run_life(self, life: Life) -> bool:
        """Fork a terminal, let it run its plan, kill it or see it end; True if killed."""
        read_end, write_end = os.pipe()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(self.data_dir, self.port, life, write_end)
        os.close(write_end)
        lines, status = self._watch(pid, read_end, started, life.kill_after)
        self.report.lives += 1
        begun = [line.split()[1] for line in lines if line.startswith("begin ")]
        self.report.trials += len(begun)
        self.report.kinds.update(begun)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        errors = [line for line in lines if line.startswith("error ")]
        if errors or (not killed and os.waitstatus_to_exitcode(status) != 0):
            self.report.child_errors.append(f"{life}: {errors or status}")
        if killed:
            self._note_attempts()
        elif lines and not errors:
            spent = time.monotonic() - started
            self._life_s = 0.8 * self._life_s + 0.2 * spent / max(1, len(life.plan))
        return killed

    def _watch(self, pid: int, fd: int, started: float,
               kill_after: float | None) -> tuple[list[str], int]:
        """Collect the child's lines until it ends; kill it at ``kill_after``."""
        buffer = b""
        limit = started + (kill_after if kill_after is not None else LIFE_LIMIT_S)
        while True:
            timeout = max(0.0, limit - time.monotonic())
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                if kill_after is None:
                    buffer += b"error hung\n"
                limit = time.monotonic() + LIFE_LIMIT_S
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            buffer += chunk
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        return buffer.decode(errors="replace").splitlines(), status

    def _journal_db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data_dir / JOURNAL_NAME)

    def _pending_reversals(self) -> int:
        path = self.data_dir / JOURNAL_NAME
        if not path.exists():
            return 0
        db = self._journal_db()
        try:
            return int(db.execute("SELECT count(*) FROM reversal").fetchone()[0])
        finally:
            db.close()

    def _unknown_refunds(self) -> int:
        """Refunds of the current bank batch left pending (their outcome unknown)."""
        if not (self.data_dir / JOURNAL_NAME).exists():
            return 0
        with Journal(self.data_dir / JOURNAL_NAME) as journal:
            rows = journal.transactions(batch=journal.batch_no, domain="bank")
        return sum(1 for t in rows if t.kind == "refund" and t.status is TxnStatus.PENDING)

    def _open_settlement(self) -> bool:
        if not (self.data_dir / JOURNAL_NAME).exists():
            return False
        db = self._journal_db()
        try:
            row = db.execute("SELECT 1 FROM settlement WHERE state <> 'done'").fetchone()
        except sqlite3.OperationalError:
            return False  # a journal from before settlement existed
        finally:
            db.close()
        return row is not None

    def _note_attempts(self) -> None:
        """Remember the reversal attempts counted so far (the host may have seen each)."""
        path = self.data_dir / JOURNAL_NAME
        if not path.exists():
            return
        db = self._journal_db()
        try:
            rows = db.execute("SELECT t.batch, t.stan, r.attempts FROM reversal r"
                              " JOIN txn t ON t.id = r.txn_id").fetchall()
        finally:
            db.close()
        for batch, stan, attempts in rows:
            key = (int(batch), int(stan))
            self.attempts_seen[key] = max(self.attempts_seen.get(key, 0), int(attempts))

    def recover(self) -> None:
        """Run lives without crashes until no reversal is pending and no settlement is
        open (at most eight): a sale, or the open settlement's continuation (which
        sends pending reversals first; a sale would be refused while it is open)."""
        for _ in range(8):
            plan = (("settle", 0),) if self._open_settlement() else (("sale", 100),)
            self.run_life(Life(plan=plan))
            if not self._pending_reversals() and not self._open_settlement():
                return

    def settle_finally(self) -> None:
        """Settle the last batch without crashes, so its totals can be compared."""
        for _ in range(4):
            self.run_life(Life(plan=(("settle", 0),)))
            if not self._open_settlement():
                return

    def reconcile(self) -> Invariants:
        """Compare the journal with the stopped host's ledger and the card's balance."""
        config = load_config(self.data_dir)
        with Journal(self.data_dir / JOURNAL_NAME) as journal:
            txns = journal.transactions()
        store = HostStore(host_db_path(self.data_dir))
        try:
            ledger = store.entries(tid=config.tid)
            change = store.balance(CARD.pan) - INITIAL_BALANCE
        finally:
            store.close()
        resent = Counter((e.batch, e.stan) for e in ledger if e.kind == "reversal")
        self.report.reversals_resent = sum(1 for n in resent.values() if n > 1)
        settled = settled_batches(self.data_dir, config.tid, ledger)
        self.report.settlements = len(settled)
        self.report.unknown_refunds = sum(1 for t in txns if t.kind == "refund"
                                          and t.status is TxnStatus.PENDING)
        return reconcile(Sides(txns=txns, ledger=ledger, balance_change=change,
                               attempts_seen=self.attempts_seen, settled=settled))


def run(trials: int, *, seed: int, work: Path) -> Report:
    """Run at least ``trials`` trials in ``work`` (a new, empty directory) and reconcile."""
    harness = Harness(work, seed=seed)
    started = time.monotonic()
    harness.start_host()
    try:
        harness.recover()  # the first life signs on
        while harness.report.trials < trials:
            life = harness.plan_life()
            killed = harness.run_life(life)
            if killed and life.point:
                harness.report.named_kills[life.point.partition("@")[0]] += 1
            elif killed:
                harness.report.random_kills += 1
            else:
                harness.report.survived += 1
        harness.recover()
        harness.settle_finally()
    finally:
        harness.stop_host()
    harness.report.invariants = harness.reconcile()
    harness.report.seconds = time.monotonic() - started
    return harness.report


def _kind(point: str) -> str:
    return point.partition(".")[0]


def _child(data_dir: Path, port: int, life: Life, fd: int) -> NoReturn:
    """The terminal process: run ``life`` and exit (or be killed on the way)."""
    code = 0
    try:
        logging.disable(logging.CRITICAL)
        os.environ.pop(ENV, None)
        if life.point:
            os.environ[ENV] = life.point

        def emit(line: str) -> None:
            os.write(fd, f"{line}\n".encode())

        asyncio.run(_life(data_dir, port, life, emit))
    except BaseException as exc:  # reported to the harness, then exit
        os.write(fd, f"error {type(exc).__name__}: {exc}\n".encode())
        code = 3
    finally:
        os._exit(code)


async def _life(data_dir: Path, port: int, life: Life, emit: Emit) -> None:
    async with TerminalRig(data_dir, host_address=f"127.0.0.1:{port}", sign_on=True) as rig:
        emit("ready")
        for kind, amount in life.plan:
            if kind != "settle" and rig.terminal.journal.open_settlement() is not None:
                await DRIVERS["settle"](rig, 0, emit)  # nothing else goes while one is open
            await DRIVERS[kind](rig, amount, emit)

