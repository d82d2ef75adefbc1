"""The evidence a failing scenario leaves behind, in one directory.

``failure.txt``   the scenario, every step (✓ done, ✗ failed, · not run) and why it failed
``screens.txt``   every screen the terminal showed, oldest first
``receipts.txt``  the receipts, decoded from the printer's ESC/POS bytes
``receipts.escpos``  those raw bytes, as the printer got them
``host.txt``      the masked host transcript (terminal side; plus the embedded host's)
``journal.txt``   the journal rows (masked PAN only) and the reversal queue
``log.txt``       the ``xpos`` log lines of the scenario (not printed while QA runs)

Nothing here can hold a PIN (only the PIN pad sees it; the step prints as ``******``),
a PIN block, a full track or a full PAN: the transcript and journal are masked at the
source and the screens and receipts never show more than a masked PAN. On top of that,
every file goes through :meth:`Scenario.scrub`: card numbers masked, and every secret of
the scenario (``fixtures.secrets``, fixture PINs, ``pin:`` PINs) starred out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from xpos.journal import Journal
from xpos.qa.model import Scenario, Step, marked_steps
from xpos.receipts.decode import decode_escpos


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """What was seen when a scenario failed."""

    scenario: Scenario
    step: Step | None
    message: str
    screens: list[tuple[str, ...]]
    jobs: list[bytes]
    traffic: list[str]
    host_transcript: list[str]
    journal: Journal
    log: list[str] = field(default_factory=list)


def write_evidence(directory: Path, evidence: Evidence) -> Path:
    """Write the evidence files into ``directory`` (made if missing); return it."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "failure.txt": _failure(evidence),
        "screens.txt": _screens(evidence.screens),
        "receipts.txt": _receipts(evidence.jobs),
        "host.txt": _host(evidence),
        "journal.txt": _journal(evidence.journal),
        "log.txt": "\n".join(evidence.log) + "\n" if evidence.log else "(nothing was logged)\n",
    }
    scrub = evidence.scenario.scrubber()
    for name, text in files.items():
        (directory / name).write_text(scrub(text), encoding="utf-8")
    (directory / "receipts.escpos").write_bytes(
        _hide_bytes(b"".join(evidence.jobs), evidence.scenario.secrets))
    return directory


def _failure(evidence: Evidence) -> str:
    scenario = evidence.scenario
    lines = [f"scenario: {scenario.name}", f"file: {scenario.where}",
             f"failed: {evidence.message}", "", "steps:"]
    done = scenario.steps.index(evidence.step) if evidence.step in scenario.steps else 0
    lines += ["  " + line for line in marked_steps(scenario, done=done, failed=evidence.step)]
    return "\n".join(lines) + "\n"


def _hide_bytes(data: bytes, secrets: frozenset[str]) -> bytes:
    """The raw printer bytes with every (ASCII) secret starred out."""
    for secret in sorted(secrets, key=len, reverse=True):
        raw = secret.encode("utf-8")
        pattern = rb"(?<!\d)" + re.escape(raw) + rb"(?!\d)" if secret.isdigit() else re.escape(raw)
        data = re.sub(pattern, b"*" * len(raw), data)
    return data


def _screens(screens: list[tuple[str, ...]]) -> str:
    blocks = []
    for number, screen in enumerate(screens, 1):
        body = "\n".join(f"  |{line}" for line in screen) or "  |"
        blocks.append(f"--- screen {number} ---\n{body}")
    return "\n".join(blocks) + "\n" if blocks else "(nothing was shown)\n"


def _receipts(jobs: list[bytes]) -> str:
    if not jobs:
        return "(nothing was printed)\n"
    return "".join(f"--- print job {n} ({len(job)} bytes) ---\n{decode_escpos(job)}\n"
                   for n, job in enumerate(jobs, 1))


def _host(evidence: Evidence) -> str:
    parts = ["== terminal side (host link) ==", *(evidence.traffic or ["(no traffic)"])]
    if evidence.host_transcript:
        parts += ["", "== embedded reference host ==", *evidence.host_transcript]
    return "\n".join(parts) + "\n"


def _journal(journal: Journal) -> str:
    rows = [f"txn {r.id}: {r.kind} {r.status.value} amount={r.amount} rc={r.rc} "
            f"stan={r.stan:06d} batch={r.batch:06d} pan={r.masked_pan or '-'} "
            f"auth={r.auth_code or '-'} rrn={r.rrn or '-'} detail={dict(r.detail)}"
            for r in journal.transactions()]
    reversal = journal.pending_reversal()
    queue = (f"pending reversal: txn {reversal.txn_id} reason {reversal.reason} "
             f"attempts {reversal.attempts}" if reversal else "no pending reversal")
    return "\n".join([*(rows or ["(no transactions)"]), "", queue,
                      f"batch {journal.batch_no:06d}"]) + "\n"
