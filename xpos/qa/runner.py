"""Runs scenarios headless: one fresh embedded host + terminal per scenario.

Theory of operation
-------------------
A scenario runs on a :class:`~xpos.emulator.rig.TerminalRig` in its own data directory,
with the embedded reference host (seeded with the demo data, then the scenario's
fixtures) and a :class:`~xpos.clock.VirtualClock`. Input steps (``keys``, ``swipe``,
``pin`` …) act on the fake devices and then *settle* the terminal: wait until nothing
can happen any more except the passing of time. ``expect_*`` steps check at once and,
while the check fails, move the virtual clock to the next pending timer (a step timeout,
the host link's response timeout, a host ``delay``) and settle again, until the check
passes or the step's timeout (simulated seconds) is used up. So a scenario in which the
host answers after 40 s runs in milliseconds, and runs the same way every time.

With ``--host`` the terminal talks to another host on real time; fixtures and host
faults need the embedded host and fail the scenario with a clear message.

The first failing step ends the scenario; its evidence (screens, receipts decoded and
raw, masked host transcript, journal rows) is written by :mod:`xpos.qa.evidence`.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from xpos.clock import Clock, LoopClock, VirtualClock
from xpos.core.menus import MenuSet
from xpos.emulator.host.rows import CardKind, CardStatus, VoucherStatus
from xpos.emulator.host.seed import DEMO, seed_demo
from xpos.emulator.host.server import ReferenceHost
from xpos.emulator.host.store import HostStore
from xpos.emulator.rig import TerminalRig
from xpos.errors import XposError
from xpos.proto.catalogue import MessageKind
from xpos.qa.checks import check_host, check_journal, check_receipt, screen_matches
from xpos.qa.evidence import Evidence, write_evidence
from xpos.qa.model import (
    ExpectHostStep,
    ExpectJournalStep,
    ExpectReceiptStep,
    ExpectScreenStep,
    Fixtures,
    HostFaultStep,
    KeysStep,
    PaperStep,
    PinStep,
    PowerCycleStep,
    ScanStep,
    Scenario,
    SelectStep,
    Step,
    SwipeStep,
    TapStep,
    WaitStep,
    masked,
)
from xpos.receipts.decode import decode_escpos
from xpos.security.pki import ensure_demo_pki

#: Real seconds a terminal may stay busy before the step fails (a hang, not a timeout).
SETTLE_LIMIT_S = 10.0
_MENU_LINE = re.compile(r"^\s*([1-9])[.、]\s*(.+?)\s*$")
_MAX_PAGES = 10


@dataclass(frozen=True, kw_only=True)
class SharedSetup:
    """Made once per run, used by every scenario: a seeded host database and a PKI."""

    host_template: Path
    pki_dir: Path

    @classmethod
    def create(cls, directory: Path) -> SharedSetup:
        """Seed a host database with the demo data and make the demo PKI in ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        template = directory / "host-template.db"
        if not template.exists():
            store = HostStore(template)
            seed_demo(store)
            store.close()
        pki = ensure_demo_pki(directory)
        return cls(host_template=template, pki_dir=pki.ca_cert.parent)


class StepFailed(Exception):
    """A step's expectation was not met (the message says what was seen)."""


class _SetupFailed(Exception):
    """The scenario could not start (the message says why)."""


def _sign_on_failure(error: str, host: str | None) -> str:
    hint = ("; with --host the terminal needs the host's PKI: --pki-dir DIR or "
            "terminal: {pki_dir: DIR}" if host else "")
    return f"the sign-on before the first step failed: {error}{hint}"


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
    """

    scenario: Scenario
    passed: bool
    message: str = ""
    step: Step | None = None
    steps_run: int = 0
    seconds: float = 0.0
    evidence: Path | None = None


@dataclass
class _Run:
    """The live state of one scenario run."""

    scenario: Scenario
    rig: TerminalRig
    clock: Clock
    screens: list[tuple[str, ...]] = field(default_factory=list)
    jobs: list[bytes] = field(default_factory=list)

    def all_screens(self) -> list[tuple[str, ...]]:
        return [*self.screens, *self.rig.display.history]

    def all_jobs(self) -> list[bytes]:
        return [*self.jobs, *self.rig.printer.jobs]

    def receipt_text(self) -> str:
        """Every print job decoded, one after the other, a blank line between jobs."""
        return "\n\n".join(decode_escpos(job) for job in self.all_jobs())


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
    template = None
    if shared is not None and host is None:
        overrides.setdefault("pki_dir", str(shared.pki_dir))
        template = shared.host_template
    rig = TerminalRig(data_dir, clock=clock, sign_on=scenario.sign_on, host_address=host,
                      prepare_host=_fixture_loader(scenario), host_template=template,
                      **overrides)
    done = 0
    failure: tuple[Step | None, str] | None = None
    evidence: Path | None = None
    try:
        async with rig:
            run = _Run(scenario=scenario, rig=rig, clock=clock)
            if rig.sign_on_error:
                raise _SetupFailed(_sign_on_failure(rig.sign_on_error, host))
            for step in scenario.steps:
                try:
                    await _STEPS[type(step)](run, step)
                except StepFailed as exc:
                    failure = (step, str(exc))
                    break
                done += 1
            if failure is not None and evidence_dir is not None:
                evidence, note = _write_evidence(evidence_dir / slug(scenario), run, *failure)
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
    message = masked(where + message, scenario.pans)
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
    temp = None if workdir is not None else tempfile.mkdtemp(prefix="xpos-qa-")
    base = workdir if workdir is not None else Path(str(temp))
    try:
        shared = SharedSetup.create(base / "_shared") if host is None else None
        with asyncio.Runner() as runner:
            for scenario in scenarios:
                result = runner.run(run_scenario(scenario, workdir=base, host=host,
                                                 evidence_dir=evidence_dir, shared=shared,
                                                 pki_dir=pki_dir))
                results.append(result)
                if on_result is not None:
                    on_result(result)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    return results


def slug(scenario: Scenario) -> str:
    """A file-system-safe name for the scenario (file stem + line + name)."""
    name = re.sub(r"[^\w.-]+", "_", scenario.name).strip("_")[:60]
    return f"{Path(scenario.path).stem}-{scenario.line}-{name}"


# -- set-up ------------------------------------------------------------------------------


def _needs_embedded_host(scenario: Scenario) -> str:
    if scenario.fixtures:
        return "fixtures need the embedded reference host (run without --host)"
    if any(isinstance(s, HostFaultStep) for s in scenario.steps):
        return "host_fault needs the embedded reference host (run without --host)"
    return ""


def _fixture_loader(scenario: Scenario) -> Callable[[ReferenceHost], None]:
    terminal = dict(scenario.terminal)

    def load(host: ReferenceHost) -> None:
        store = host.store
        tid, mid = str(terminal.get("tid", DEMO.tid)), str(terminal.get("mid", DEMO.mid))
        store.add_merchant(mid, str(terminal.get("merchant_name", DEMO.merchant_name)))
        store.add_terminal(tid, mid, DEMO.tmk)
        _load_fixtures(store_fixtures=scenario.fixtures, host=host)

    return load


def _load_fixtures(*, store_fixtures: Fixtures, host: ReferenceHost) -> None:
    store = host.store
    for provider in store_fixtures.providers:
        store.add_provider(provider.id, provider.name)
    for card in store_fixtures.cards:
        store.put_card(card.pan, expiry=card.expiry, pin=card.pin, balance=card.balance,
                       status=CardStatus(card.status), kind=CardKind(card.kind))
    for voucher in store_fixtures.vouchers:
        store.add_provider(voucher.provider, voucher.provider)
        store.put_voucher(voucher.code, provider=voucher.provider, title=voucher.title,
                          quantity=voucher.quantity, expires=voucher.expires,
                          status=VoucherStatus(voucher.status))


# -- waiting -----------------------------------------------------------------------------


async def _settle(run: _Run) -> None:
    crash = run.rig.crashed()
    if crash is not None:
        raise StepFailed(f"the terminal stopped: {type(crash).__name__}: {crash}")
    try:
        await run.rig.terminal.settle(timeout=SETTLE_LIMIT_S)
    except TimeoutError:
        raise StepFailed(f"the terminal stayed busy for {SETTLE_LIMIT_S:g} s (real time)"
                         ) from None


async def _wait_until(run: _Run, check: Callable[[], bool], timeout_s: float) -> bool:
    """Settle, check, and on a virtual clock jump to each due timer until ``timeout_s``."""
    deadline = run.clock.now() + timeout_s
    while True:
        await _settle(run)
        if check():
            return True
        clock = run.clock
        if isinstance(clock, VirtualClock):
            due = clock.next_deadline()
            if due is None or due > deadline:
                return False
            clock.advance_to(due)
        else:
            if clock.now() >= deadline:
                return False
            await asyncio.sleep(0.05)


async def _pass_time(run: _Run, seconds: float) -> None:
    clock = run.clock
    if not isinstance(clock, VirtualClock):
        await asyncio.sleep(seconds)
        await _settle(run)
        return
    end = clock.now() + seconds
    await _settle(run)
    while (due := clock.next_deadline()) is not None and due <= end:
        clock.advance_to(due)
        await _settle(run)
    clock.advance_to(end)
    await _settle(run)


# -- steps -------------------------------------------------------------------------------


def _screen(run: _Run) -> str:
    return "\n".join(run.rig.display.lines)


def _shown(run: _Run) -> str:
    return "screen now:\n" + _indent(_screen(run))


async def _select(run: _Run, step: Step) -> None:
    assert isinstance(step, SelectStep)
    await _settle(run)
    if await _choose_visible(run, step.label):
        return
    path = _menu_path(run.rig.terminal.menus, run.rig.terminal.config.lang, _screen(run),
                      step.label)
    if path is None:
        visible = ", ".join(_menu_items(run.rig.display.lines)) or "no menu on screen"
        raise StepFailed(f"no menu item {step.label!r} on screen or in a submenu of this menu "
                         f"(visible: {visible}); {_shown(run)}")
    for label in path:
        if not await _choose_visible(run, label):
            raise StepFailed(f"menu item {label!r} (on the way to {step.label!r}) did not "
                             f"appear; {_shown(run)}")


async def _choose_visible(run: _Run, label: str) -> bool:
    """Press the digit of ``label`` if it is on screen, turning pages (DOWN) to find it."""
    seen: set[tuple[str, ...]] = set()
    for _ in range(_MAX_PAGES):
        lines = run.rig.display.lines
        items = _menu_items(lines)
        if label in items:
            run.rig.keypad.press(items[label])
            await _settle(run)
            return True
        if not items or lines in seen:
            break
        seen.add(lines)
        run.rig.keypad.press("DOWN")
        await _settle(run)
    # back to the first page, so a failure leaves the menu as it was
    for _ in range(len(seen) - 1):
        run.rig.keypad.press("UP")
        await _settle(run)
    return False


def _menu_items(lines: Iterable[str]) -> dict[str, str]:
    items: dict[str, str] = {}
    for line in lines:
        match = _MENU_LINE.match(line)
        if match:
            items[match.group(2)] = match.group(1)
    return items


def _menu_path(menus: MenuSet, lang: str, screen: str, label: str) -> list[str] | None:
    """Labels to choose, from the menu on screen, to reach an item labelled ``label``."""
    title = screen.split("\n", 1)[0].strip()
    starts = [m for m in menus.menus.values() if m.title_in(lang) == title]
    for start in starts:
        queue: list[tuple[str, list[str]]] = [(start.id, [])]
        seen = {start.id}
        while queue:
            menu_id, trail = queue.pop(0)
            for item in menus[menu_id].items:
                here = [*trail, item.label_in(lang)]
                if item.label_in(lang) == label:
                    return here
                if item.kind == "menu" and item.target not in seen:
                    seen.add(item.target)
                    queue.append((item.target, here))
    return None


async def _keys(run: _Run, step: Step) -> None:
    assert isinstance(step, KeysStep)
    run.rig.keypad.press(*step.keys)
    await _settle(run)


async def _swipe(run: _Run, step: Step) -> None:
    assert isinstance(step, SwipeStep)
    run.rig.reader.swipe(step.track2)
    await _settle(run)


async def _tap(run: _Run, step: Step) -> None:
    assert isinstance(step, TapStep)
    run.rig.rfid.tap(step.uid)
    await _settle(run)


async def _scan(run: _Run, step: Step) -> None:
    assert isinstance(step, ScanStep)
    run.rig.scanner.scan(step.code)
    await _settle(run)


async def _pin(run: _Run, step: Step) -> None:
    assert isinstance(step, PinStep)
    pinpad = run.rig.pinpad
    if not await _wait_until(run, lambda: pinpad.asking, 0.0):
        raise StepFailed(f"the PIN pad is not asking for a PIN; {_shown(run)}")
    if step.pin is None:
        pinpad.cancel()
    else:
        pinpad.enter(step.pin)
    await _settle(run)


async def _expect_screen(run: _Run, step: Step) -> None:
    assert isinstance(step, ExpectScreenStep)
    if await _wait_until(run, lambda: screen_matches(step, _screen(run)), step.timeout_s):
        return
    want = "not to show" if step.absent else "to show"
    what = repr(step.text) if step.regex is None else f"regex {step.regex.pattern!r}"
    raise StepFailed(f"expected the screen {want} {what} within {step.timeout_s:g} s; "
                     f"{_shown(run)}")


async def _expect_receipt(run: _Run, step: Step) -> None:
    assert isinstance(step, ExpectReceiptStep)
    problems: list[str] = []

    def check() -> bool:
        problems[:] = check_receipt(step, run.receipt_text())
        return not problems

    if not await _wait_until(run, check, step.timeout_s):
        printed = run.receipt_text()
        shown = _indent(printed) if printed else "  (nothing printed)"
        raise StepFailed("; ".join(problems) + "\nprinted so far:\n" + shown)


async def _expect_host(run: _Run, step: Step) -> None:
    assert isinstance(step, ExpectHostStep)
    await _settle(run)
    problem = check_host(step, run.rig.messages)
    if problem:
        raise StepFailed(problem)


async def _expect_journal(run: _Run, step: Step) -> None:
    assert isinstance(step, ExpectJournalStep)
    await _settle(run)
    problem = check_journal(step, run.rig.terminal.journal)
    if problem:
        raise StepFailed(problem)


async def _host_fault(run: _Run, step: Step) -> None:
    assert isinstance(step, HostFaultStep)
    faults = run.rig.host.faults
    options = {"on": frozenset(MessageKind(kind) for kind in step.on)} if step.on else {}
    if step.fault == "decline":
        faults.decline(step.code, **options)
    elif step.fault == "delay":
        faults.delay(step.seconds, **options)
    else:
        getattr(faults, step.fault)(**options)


async def _power_cycle(run: _Run, step: Step) -> None:
    run.screens += run.rig.display.history
    run.jobs += run.rig.printer.jobs
    await run.rig.power_cycle()
    await _settle(run)


async def _wait(run: _Run, step: Step) -> None:
    assert isinstance(step, WaitStep)
    await _pass_time(run, step.seconds)


async def _paper(run: _Run, step: Step) -> None:
    assert isinstance(step, PaperStep)
    if step.paper:
        run.rig.printer.reload()
    else:
        run.rig.printer.paper_out()
    await _settle(run)


_STEPS: dict[type[Step], Callable[[_Run, Step], Awaitable[None]]] = {
    SelectStep: _select,
    KeysStep: _keys,
    SwipeStep: _swipe,
    TapStep: _tap,
    ScanStep: _scan,
    PinStep: _pin,
    ExpectScreenStep: _expect_screen,
    ExpectReceiptStep: _expect_receipt,
    ExpectHostStep: _expect_host,
    ExpectJournalStep: _expect_journal,
    HostFaultStep: _host_fault,
    PowerCycleStep: _power_cycle,
    WaitStep: _wait,
    PaperStep: _paper,
}


def _write_evidence(directory: Path, run: _Run, step: Step | None,
                    message: str) -> tuple[Path | None, str]:
    """Write the evidence; on failure return a note for the report instead of raising."""
    try:
        return write_evidence(directory, _evidence(run, step, message)), ""
    except OSError as exc:
        return None, f"\n(evidence not written: {exc})"


def _evidence(run: _Run, step: Step | None, message: str) -> Evidence:
    rig = run.rig
    transcript = [str(e) for e in rig.host.transcript] if rig.has_host else []
    return Evidence(scenario=run.scenario, step=step, message=message,
                    screens=run.all_screens(), jobs=run.all_jobs(), traffic=list(rig.traffic),
                    host_transcript=transcript, journal=rig.terminal.journal)


def _indent(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines())
