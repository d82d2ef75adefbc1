"""Runs scenarios headless: one fresh embedded host + terminal per scenario.

Theory of operation
-------------------
A scenario runs on a :class:`~xpos.testing.rig.TerminalRig` in its own data directory,
with the embedded reference host (seeded with the demo data, then the scenario's
fixtures) joined to the terminal *in memory* (:mod:`xpos.testing.memory`: the same host
link and proto sessions as over TLS, without sockets, PKI or handshakes) and a
:class:`~xpos.terminal.clock.VirtualClock`. Scratch data directories go on a RAM file
system (``/dev/shm``) when there is one, and each is removed when its scenario ends.
Input steps (``keys``, ``swipe``, ``pin`` …) act on the fake devices and then *settle*
the terminal: wait until nothing can happen any more except the passing of time.
``expect_*`` steps check at once and, while the check fails, move the virtual clock to
the next pending timer (a step timeout, the host link's response deadline, a host
``delay``) and settle again, until the check passes or the step's timeout (simulated
seconds) is used up. So a scenario in which the
host answers after 40 s runs in milliseconds, and runs the same way every time.

With ``--host`` the terminal talks to another host over TCP/TLS on real time; fixtures
and host faults need the embedded host and fail the scenario with a clear message.

Log records of the ``xpos`` loggers are not printed while scenarios run (``xpos -v``
still prints them): each scenario's records are kept and written with its evidence
(``log.txt``), masked like the rest.

What each verb does is in :mod:`xpos.qa.actions`. The first failing step ends the
scenario; its evidence (screens, receipts decoded and
raw, masked host transcript, journal rows) is written by :mod:`xpos.qa.evidence`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xpos.errors import XposError
from xpos.qa.actions import Run, StepFailed
from xpos.qa.evidence import Evidence, write_evidence
from xpos.qa.model import Fixtures, HostFaultStep, Scenario, Step
from xpos.qa.proof_actions import check_at_end
from xpos.qa.proof_model import ExpectHostStateStep, HostControlStep
from xpos.qa.verbs import ACTIONS
from xpos.testing.host import (
    DEMO,
    CardKind,
    CardStatus,
    HostStore,
    ReferenceHost,
    VoucherStatus,
    seed_demo,
    set_void_window,
)
from xpos.testing.rig import SIGN_ON_KEYS, SIGN_ON_TLS, SIGN_ON_UNREACHABLE, TerminalRig
from xpos.testing.shell import Clock, LoopClock, VirtualClock

_SCRATCH = Path("/dev/shm")  # RAM: no disk flushes for throw-away journals


@dataclass(frozen=True, kw_only=True)
class SharedSetup:
    """Made once per run, used by every scenario: a seeded host database.

    (The embedded host is reached in memory: no PKI is needed.)
    """

    host_template: Path

    @classmethod
    def create(cls, directory: Path) -> SharedSetup:
        """Seed a host database with the demo data in ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        template = directory / "host-template.db"
        if not template.exists():
            store = HostStore(template)
            seed_demo(store)
            store.close()
        return cls(host_template=template)


class _SetupFailed(Exception):
    """The scenario could not start (the message says why)."""


def _sign_on_failure(rig: TerminalRig, host: str | None) -> str:
    """Why the sign-on failed, with a hint that names the real cause."""
    problem = rig.sign_on_problem
    if problem == SIGN_ON_KEYS:
        hint = ("; the working keys do not match their check values (KCV) under this "
                "terminal's TMK: the TMK loaded is not the one the host has for this terminal")
    elif problem == SIGN_ON_TLS and host:
        hint = ("; TLS/PKI: the terminal needs the host's PKI: --pki-dir DIR or "
                "terminal: {pki_dir: DIR}")
    elif problem == SIGN_ON_TLS:
        hint = "; TLS/PKI: the terminal's PKI and the host's do not match"
    elif problem == SIGN_ON_UNREACHABLE:
        hint = f"; nothing answers at {host}" if host else ""
    else:
        hint = ""
    return f"the sign-on before the first step failed: {rig.sign_on_error}{hint}"


@dataclass(frozen=True, kw_only=True)
class ScenarioResult:
    """How one scenario went.

    Attributes:
        scenario: The scenario.
        passed: Every step passed.
        message: Why it failed (empty when it passed).
        step: The failing step, if any.
        steps_run: Steps completed before the failure (all of them when it passed).
        seconds: Real time taken.
        evidence: Directory with the failure's evidence, when written.
        log: The ``xpos`` log lines the scenario produced (masked).
    """

    scenario: Scenario
    passed: bool
    message: str = ""
    step: Step | None = None
    steps_run: int = 0
    seconds: float = 0.0
    evidence: Path | None = None
    log: tuple[str, ...] = ()


class _LogCapture(logging.Handler):
    """Keeps the ``xpos`` log lines of the scenario that runs now."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted record."""
        with contextlib.suppress(Exception):
            self.lines.append(self.format(record))


@contextlib.contextmanager
def _captured_logs() -> Iterator[_LogCapture]:
    """Route the ``xpos`` loggers into a capture (not stderr, unless the root logs DEBUG)."""
    logger = logging.getLogger("xpos")
    capture = _LogCapture()
    propagate = logger.propagate
    logger.addHandler(capture)
    logger.propagate = logging.getLogger().level <= logging.DEBUG
    try:
        yield capture
    finally:
        logger.removeHandler(capture)
        logger.propagate = propagate


async def run_scenario(scenario: Scenario, *, workdir: Path, host: str | None = None,
                       evidence_dir: Path | None = None, shared: SharedSetup | None = None,
                       pki_dir: Path | None = None) -> ScenarioResult:
    """Run one scenario in a fresh data directory under ``workdir``.

    Args:
        scenario: The scenario.
        workdir: Where its data directory is made (left in place; the caller cleans up).
        host: ``host:port`` of another host instead of the embedded one (real time).
        evidence_dir: Where to write the evidence of a failure (a subdirectory per
            scenario); nothing is written when it passes.
        shared: A seeded host database and PKI to reuse (embedded host only).
        pki_dir: The terminal's PKI (``ca.pem``, ``terminal.pem``, ``terminal.key``) for
            ``host``, unless the scenario names its own.
    """
    with _captured_logs() as capture:
        result = await _run_scenario(scenario, workdir=workdir, host=host,
                                     evidence_dir=evidence_dir, shared=shared,
                                     pki_dir=pki_dir, log=capture.lines)
    scrub = scenario.scrubber()
    return dataclasses.replace(result, log=tuple(scrub(line) for line in capture.lines))


async def _run_scenario(scenario: Scenario, *, workdir: Path, host: str | None,
                        evidence_dir: Path | None, shared: SharedSetup | None,
                        pki_dir: Path | None, log: list[str]) -> ScenarioResult:
    started = time.perf_counter()
    workdir.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(dir=workdir, prefix=slug(scenario) + "-"))
    clock: Clock = VirtualClock() if host is None else LoopClock()
    needs_host = _needs_embedded_host(scenario)
    if host is not None and needs_host:
        return ScenarioResult(scenario=scenario, passed=False, message=needs_host,
                              seconds=time.perf_counter() - started)
    overrides = dict(scenario.terminal)
    if pki_dir is not None:
        overrides.setdefault("pki_dir", str(pki_dir))
    template = shared.host_template if shared is not None and host is None else None
    rig = TerminalRig(data_dir, clock=clock, sign_on=scenario.sign_on, host_address=host,
                      prepare_host=_fixture_loader(scenario), host_template=template,
                      transport="memory", till=_uses_till(scenario), **overrides)
    done = 0
    failure: tuple[Step | None, str] | None = None
    evidence: Path | None = None
    try:
        async with rig:
            run = Run(scenario=scenario, rig=rig, clock=clock)
            if rig.sign_on_error:
                raise _SetupFailed(_sign_on_failure(rig, host))
            _serve_backup(rig, overrides)
            for step in scenario.steps:
                try:
                    await ACTIONS[type(step)](run, step)
                except StepFailed as exc:
                    failure = (step, str(exc))
                    break
                done += 1
            if failure is None:
                failure = await _check_at_end(run)
            if failure is not None and evidence_dir is not None:
                evidence, note = _write_evidence(evidence_dir / slug(scenario), run, *failure,
                                                 log=log)
                failure = (failure[0], failure[1] + note)
    except _SetupFailed as exc:
        failure = (None, str(exc))
    except (XposError, OSError, TimeoutError) as exc:
        failure = (None, f"the terminal could not run: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    if failure is None:
        return ScenarioResult(scenario=scenario, passed=True, steps_run=done, seconds=seconds)
    failed, message = failure
    where = f"{scenario.path}:{failed.line}: {failed.describe()}: " if failed else ""
    message = scenario.scrub(where + message)
    return ScenarioResult(scenario=scenario, passed=False, message=message, step=failed,
                          steps_run=done, seconds=seconds, evidence=evidence)


def run_scenarios(scenarios: Iterable[Scenario], *, host: str | None = None,
                  evidence_dir: Path | None = None, workdir: Path | None = None,
                  pki_dir: Path | None = None,
                  on_result: Callable[[ScenarioResult], None] | None = None
                  ) -> list[ScenarioResult]:
    """Run scenarios one after the other on one event loop.

    Args:
        scenarios: What to run.
        host: Another host instead of the embedded one.
        evidence_dir: Where failures leave their evidence.
        workdir: Where data directories go (default: a temporary directory, removed).
        pki_dir: The terminal's PKI for ``host``.
        on_result: Called after each scenario (progress output).
    """
    results: list[ScenarioResult] = []
    temp = None if workdir is not None else tempfile.mkdtemp(prefix="xpos-qa-", dir=_scratch())
    base = workdir if workdir is not None else Path(str(temp))
    try:
        shared = SharedSetup.create(base / "_shared") if host is None else None
        with asyncio.Runner() as runner:
            for number, scenario in enumerate(scenarios):
                where = base if temp is None else base / str(number)
                result = runner.run(run_scenario(scenario, workdir=where, host=host,
                                                 evidence_dir=evidence_dir, shared=shared,
                                                 pki_dir=pki_dir))
                if temp is not None:
                    shutil.rmtree(where, ignore_errors=True)  # keeps a RAM scratch small
                results.append(result)
                if on_result is not None:
                    on_result(result)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return results


def _scratch() -> str | None:
    """Where throw-away data directories go: a RAM file system when there is one."""
    return str(_SCRATCH) if _SCRATCH.is_dir() and os.access(_SCRATCH, os.W_OK) else None


def slug(scenario: Scenario) -> str:
    """A file-system-safe name for the scenario (file stem + line + name)."""
    name = re.sub(r"[^\w.-]+", "_", scenario.name).strip("_")[:60]
    return f"{Path(scenario.path).stem}-{scenario.line}-{name}"


# -- set-up ------------------------------------------------------------------------------


def _needs_embedded_host(scenario: Scenario) -> str:
    if scenario.fixtures:
        return "fixtures need the embedded reference host (run without --host)"
    for kind, verb in ((HostFaultStep, "host_fault"), (HostControlStep, "host_control"),
                       (ExpectHostStateStep, "expect_host_state")):
        if any(isinstance(s, kind) for s in scenario.steps):
            return f"{verb} needs the embedded reference host (run without --host)"
    return ""


def _serve_backup(rig: TerminalRig, overrides: dict[str, object]) -> None:
    """In memory, the embedded host also answers at the terminal's ``backup_host``."""
    backup = overrides.get("backup_host")
    if backup and rig.in_memory:
        rig.network.hosts[str(backup)] = rig.host


async def _check_at_end(run: Run) -> tuple[Step | None, str] | None:
    try:
        return await check_at_end(run)
    except StepFailed as exc:
        return None, str(exc)


def _fixture_loader(scenario: Scenario) -> Callable[[ReferenceHost], None]:
    terminal = dict(scenario.terminal)

    def load(host: ReferenceHost) -> None:
        store = host.store
        tid, mid = str(terminal.get("tid", DEMO.tid)), str(terminal.get("mid", DEMO.mid))
        store.add_merchant(mid, str(terminal.get("merchant_name", DEMO.merchant_name)))
        store.add_terminal(tid, mid, DEMO.tmk)
        _load_fixtures(scenario.fixtures, store)

    return load


def _load_fixtures(fixtures: Fixtures, store: HostStore) -> None:
    for provider in fixtures.providers:
        store.add_provider(provider.id, provider.name)
        if provider.void_window_s is not None:  # X1: the provider's X void window
            set_void_window(store, provider.id, provider.void_window_s)
    for card in fixtures.cards:
        store.put_card(card.pan, expiry=card.expiry, pin=card.pin, balance=card.balance,
                       status=CardStatus(card.status), kind=CardKind(card.kind))
    for voucher in fixtures.vouchers:
        store.add_provider(voucher.provider, voucher.provider)
        store.put_voucher(voucher.code, provider=voucher.provider, title=voucher.title,
                          quantity=voucher.quantity, expires=voucher.expires,
                          status=VoucherStatus(voucher.status))


def _write_evidence(directory: Path, run: Run, step: Step | None, message: str, *,
                    log: list[str]) -> tuple[Path | None, str]:
    """Write the evidence; on failure return a note for the report instead of raising."""
    try:
        return write_evidence(directory, _evidence(run, step, message, log)), ""
    except OSError as exc:
        return None, f"\n(evidence not written: {exc})"


def _evidence(run: Run, step: Step | None, message: str, log: list[str]) -> Evidence:
    rig = run.rig
    transcript = [str(e) for e in rig.host.transcript] if rig.has_host else []
    return Evidence(scenario=run.scenario, step=step, message=message,
                    screens=run.all_screens(), jobs=run.all_jobs(), traffic=list(rig.traffic),
                    host_transcript=transcript, journal=rig.terminal.journal, log=list(log))


def _uses_till(scenario: Scenario) -> bool:
    """A scenario that plays the till runs with an in-memory ECR port (docs/qa.md)."""
    return any(step.verb in ("till", "expect_till") for step in scenario.steps)
