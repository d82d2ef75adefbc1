"""What each scenario verb does to a running rig, and how the runner waits.

Theory of operation
-------------------
A :class:`Run` is one scenario's live state: its rig, its clock, and the screens and
print jobs of terminals already power-cycled away. Input verbs act on the fake devices
and then *settle* the terminal (:func:`settle`): wait until nothing can happen any more
except the passing of time. ``expect_screen`` / ``expect_receipt`` check and, while the
check fails, move a :class:`~xpos.terminal.clock.VirtualClock` to the next pending timer and
settle again (:func:`wait_until`), up to the step's timeout in simulated seconds; on
real time (``--host``) they poll. A verb that fails raises :class:`StepFailed` with what
was seen instead. Each verb's action is registered next to its parser in
:data:`xpos.qa.verbs.REGISTRY`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from xpos.core.menus import MenuSet
from xpos.proto.catalogue import MessageKind
from xpos.qa.checks import check_host, check_journal, check_receipt, screen_matches
from xpos.qa.model import (
    ExpectHostStep,
    ExpectJournalStep,
    ExpectReceiptStep,
    ExpectScreenStep,
    HostFaultStep,
    KeysStep,
    PaperStep,
    PinStep,
    ScanStep,
    Scenario,
    SelectStep,
    Step,
    SwipeStep,
    TapStep,
    WaitStep,
)
from xpos.receipts.decode import decode_escpos
from xpos.testing.rig import TerminalRig
from xpos.testing.shell import Clock, VirtualClock

#: Real seconds a terminal may stay busy before the step fails (a hang, not a timeout).
SETTLE_LIMIT_S = 10.0
_MENU_LINE = re.compile(r"^\s*([1-9])[.、]\s*(.+?)\s*$")
_MAX_PAGES = 64  # a 2-row display shows one item a page; the loop also ends on a repeat


class StepFailed(Exception):
    """A step's expectation was not met (the message says what was seen)."""


@dataclass
class Run:
    """The live state of one scenario run."""

    scenario: Scenario
    rig: TerminalRig
    clock: Clock
    screens: list[tuple[str, ...]] = field(default_factory=list)
    jobs: list[bytes] = field(default_factory=list)
    mark: int = 0  # index in rig.messages where ``expect_order`` starts looking
    at_end: list[Step] = field(default_factory=list)  # checked when every step is done

    def all_screens(self) -> list[tuple[str, ...]]:
        return [*self.screens, *self.rig.display.history]

    def all_jobs(self) -> list[bytes]:
        return [*self.jobs, *self.rig.printer.jobs]

    def receipt_text(self) -> str:
        """Every print job decoded, one after the other, a blank line between jobs."""
        return "\n\n".join(self.job_texts())

    def job_texts(self) -> list[str]:
        """Every print job decoded, oldest first."""
        return [decode_escpos(job) for job in self.all_jobs()]


#: What a verb does: run one step on a live scenario run (raise StepFailed if unmet).
Action = Callable[[Run, Step], Awaitable[None]]


# -- waiting -----------------------------------------------------------------------------


async def settle(run: Run) -> None:
    """Wait until the terminal is idle; fail the step if it stopped or hangs."""
    crash = run.rig.crashed()
    if crash is not None:
        raise StepFailed(f"the terminal stopped: {type(crash).__name__}: {crash}")
    try:
        await run.rig.terminal.settle(timeout=SETTLE_LIMIT_S)
    except TimeoutError:
        crash = run.rig.crashed()
        if crash is not None:  # it stopped while the step waited
            raise StepFailed(f"the terminal stopped: {type(crash).__name__}: {crash}"
                             ) from None
        raise StepFailed(f"the terminal stayed busy for {SETTLE_LIMIT_S:g} s (real time)"
                         ) from None


async def wait_until(run: Run, check: Callable[[], bool], timeout_s: float) -> bool:
    """Settle, check, and on a virtual clock jump to each due timer until ``timeout_s``."""
    deadline = run.clock.now() + timeout_s
    while True:
        await settle(run)
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


async def _pass_time(run: Run, seconds: float) -> None:
    clock = run.clock
    if not isinstance(clock, VirtualClock):
        await asyncio.sleep(seconds)
        await settle(run)
        return
    end = clock.now() + seconds
    await settle(run)
    while (due := clock.next_deadline()) is not None and due <= end:
        clock.advance_to(due)
        await settle(run)
    clock.advance_to(end)
    await settle(run)


# -- the verbs' actions (registered in xpos.qa.verbs) ------------------------------------


def _screen(run: Run) -> str:
    return "\n".join(run.rig.display.lines)


def _shown(run: Run) -> str:
    return "screen now:\n" + _indent(_screen(run))


async def select(run: Run, step: Step) -> None:
    """Choose a menu item by label, on screen or through submenus."""
    assert isinstance(step, SelectStep)
    await settle(run)
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


async def _choose_visible(run: Run, label: str) -> bool:
    """Press the digit of ``label`` if it is on screen, turning pages (DOWN) to find it."""
    seen: set[tuple[str, ...]] = set()
    for _ in range(_MAX_PAGES):
        lines = run.rig.display.lines
        items = _menu_items(lines)
        if label in items:
            run.rig.keypad.press(items[label])
            await settle(run)
            return True
        if not items or lines in seen:
            break
        seen.add(lines)
        run.rig.keypad.press("DOWN")
        await settle(run)
    # back to the first page, so a failure leaves the menu as it was
    for _ in range(len(seen) - 1):
        run.rig.keypad.press("UP")
        await settle(run)
    return False


def _menu_items(lines: Iterable[str]) -> dict[str, str]:
    items: dict[str, str] = {}
    for line in lines:
        match = _MENU_LINE.match(line)
        if match:
            items[match.group(2)] = match.group(1)
    return items


_PAGE_MARK = re.compile(r"\s+\d+/\d+\s*$")
"""The page indicator a menu longer than the display shows after its title."""


def _menu_path(menus: MenuSet, lang: str, screen: str, label: str) -> list[str] | None:
    """Labels to choose, from the menu on screen, to reach an item labelled ``label``."""
    title = _PAGE_MARK.sub("", screen.split("\n", 1)[0]).strip()  # "主菜单   1/2"
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


async def keys(run: Run, step: Step) -> None:
    """Press the keys."""
    assert isinstance(step, KeysStep)
    run.rig.keypad.press(*step.keys)
    await settle(run)


async def swipe(run: Run, step: Step) -> None:
    """Swipe the card."""
    assert isinstance(step, SwipeStep)
    run.rig.reader.swipe(step.track2)
    await settle(run)


async def tap(run: Run, step: Step) -> None:
    """Tap the RFID card."""
    assert isinstance(step, TapStep)
    run.rig.rfid.tap(step.uid)
    await settle(run)


async def scan(run: Run, step: Step) -> None:
    """Scan the code."""
    assert isinstance(step, ScanStep)
    run.rig.scanner.scan(step.code)
    await settle(run)


async def pin(run: Run, step: Step) -> None:
    """Enter (or cancel) the PIN once the PIN pad asks for one."""
    assert isinstance(step, PinStep)
    pinpad = run.rig.pinpad
    if not await wait_until(run, lambda: pinpad.asking, 0.0):
        raise StepFailed(f"the PIN pad is not asking for a PIN; {_shown(run)}")
    if step.pin is None:
        pinpad.cancel()
    else:
        pinpad.enter(step.pin)
    await settle(run)


async def expect_screen(run: Run, step: Step) -> None:
    """Wait (simulated time) until the screen shows, or stops showing, the text."""
    assert isinstance(step, ExpectScreenStep)
    if await wait_until(run, lambda: screen_matches(step, _screen(run)), step.timeout_s):
        return
    want = "not to show" if step.absent else "to show"
    what = repr(step.text) if step.regex is None else f"regex {step.regex.pattern!r}"
    raise StepFailed(f"expected the screen {want} {what} within {step.timeout_s:g} s; "
                     f"{_shown(run)}")


async def expect_receipt(run: Run, step: Step) -> None:
    """Wait until the printed text contains (and lacks) the given texts."""
    assert isinstance(step, ExpectReceiptStep)
    problems: list[str] = []

    def check() -> bool:
        problems[:] = check_receipt(step, run.receipt_text(), run.job_texts())
        return not problems

    if not await wait_until(run, check, step.timeout_s):
        printed = run.receipt_text()
        shown = _indent(printed) if printed else "  (nothing printed)"
        raise StepFailed("; ".join(problems) + "\nprinted so far:\n" + shown)


async def expect_host(run: Run, step: Step) -> None:
    """Check the newest exchange of a kind on the host link."""
    assert isinstance(step, ExpectHostStep)
    await settle(run)
    problem = check_host(step, run.rig.messages)
    if problem:
        raise StepFailed(problem)


async def expect_journal(run: Run, step: Step) -> None:
    """Check the terminal journal."""
    assert isinstance(step, ExpectJournalStep)
    await settle(run)
    problem = check_journal(step, run.rig.terminal.journal)
    if problem:
        raise StepFailed(problem)


async def host_fault(run: Run, step: Step) -> None:
    """Arm a fault on the embedded host."""
    assert isinstance(step, HostFaultStep)
    faults = run.rig.host.faults
    options = {"on": frozenset(MessageKind(kind) for kind in step.on)} if step.on else {}
    if step.fault == "decline":
        faults.decline(step.code, **options)
    elif step.fault == "delay":
        faults.delay(step.seconds, **options)
    else:
        getattr(faults, step.fault)(**options)


async def power_cycle(run: Run, step: Step) -> None:
    """Kill the terminal and start it again on the same data."""
    run.screens += run.rig.display.history
    run.jobs += run.rig.printer.jobs
    await run.rig.power_cycle()
    await settle(run)


async def wait(run: Run, step: Step) -> None:
    """Let time pass."""
    assert isinstance(step, WaitStep)
    await _pass_time(run, step.seconds)


async def paper(run: Run, step: Step) -> None:
    """Take the paper out or put a new roll in."""
    assert isinstance(step, PaperStep)
    if step.paper:
        run.rig.printer.reload()
    elif step.after:
        _paper_out_after(run, step.after)
    else:
        run.rig.printer.paper_out()
    await settle(run)


def _paper_out_after(run: Run, jobs: int) -> None:
    """Run the printer out of paper once it has printed ``jobs`` more jobs."""
    printer = run.rig.printer
    target = len(printer.jobs) + jobs

    def watch() -> None:
        if len(printer.jobs) >= target:
            stop()
            printer.paper_out()

    stop = printer.on_change(watch)


def _indent(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines())
