"""What the proof verbs do to a running rig (registered in :data:`xpos.qa.verbs.REGISTRY`).

Host state is read through :mod:`xpos.testing.hoststate` (no SQL here); host control
acts on the rig's in-memory network (:class:`~xpos.testing.memory.MemoryNetwork`) and the
embedded host's store; device faults use the fakes' test-side API. ``never_shown`` is
noted when its step runs and checked over every screen once all steps are done
(:func:`check_at_end`).
"""

from __future__ import annotations

from typing import Any

from xpos.qa.actions import Run, StepFailed, settle
from xpos.qa.checks import exchanges
from xpos.qa.model import Step
from xpos.qa.proof_checks import order_problem, shown_problem
from xpos.qa.proof_model import (
    DeviceFaultStep,
    ExpectHostStateStep,
    ExpectOrderStep,
    HostControlStep,
    NeverShownStep,
)
from xpos.testing import hoststate

#: What a fake reader is given for ``device_fault: card_read_error``: not a track 2.
UNREADABLE = "%unreadable%"


async def mark(run: Run, step: Step) -> None:
    """Remember where the host transcript is now."""
    await settle(run)
    run.mark = len(run.rig.messages)


async def expect_order(run: Run, step: Step) -> None:
    """Check the order of the requests sent since the last mark."""
    assert isinstance(step, ExpectOrderStep)
    await settle(run)
    sent = [(e.kind, e.request, e.response) for e in exchanges(run.rig.messages[run.mark:])]
    problem = order_problem(step, sent)
    if problem:
        raise StepFailed(problem)


async def expect_host_state(run: Run, step: Step) -> None:
    """Check what the embedded host holds."""
    assert isinstance(step, ExpectHostStateStep)
    await settle(run)
    host = run.rig.host
    tid = run.rig.terminal.config.tid
    seen: dict[str, Any]
    if step.subject == "card":
        card = hoststate.card_state(host, step.key)
        if card is None:
            raise StepFailed(f"the host does not know card {step.label}")
        seen, what = {"balance": card.balance, "status": card.status}, f"card {step.label}"
    elif step.subject == "voucher":
        status = hoststate.voucher_status(host, step.key)
        if status is None:
            raise StepFailed(f"the host does not know voucher {step.key}")
        seen = {"status": status, "quantity": hoststate.voucher_quantity(host, step.key)}
        what = f"voucher {step.key}"
    elif step.subject == "batch":
        seen, what = {"batch": hoststate.host_batch(host, tid)}, f"terminal {tid}"
    else:
        seen, what = _ledger(run, step, tid)
    problems = [f"{key} is {seen[key]!r}, expected {value!r}"
                for key, value in step.checks if seen[key] != value]
    if problems:
        raise StepFailed(f"host state of {what}: " + "; ".join(problems))


def _ledger(run: Run, step: ExpectHostStateStep, tid: str) -> tuple[dict[str, Any], str]:
    select = dict(step.select)
    rows = hoststate.ledger_rows(run.rig.host, tid, kind=select.get("kind"),
                                 trace=select.get("trace"))
    what = "the ledger rows" + "".join(f" {k} {v}" for k, v in step.select)
    checks = {key for key, _ in step.checks} - {"count"}
    if checks and not rows:
        every = hoststate.ledger_rows(run.rig.host, tid)
        listed = ", ".join(f"{r.kind} {r.trace:06d} {r.rc}" for r in every) or "none"
        raise StepFailed(f"{what}: none (the ledger of {tid}: {listed})")
    seen: dict[str, Any] = {"count": len(rows)}
    if rows:
        last = rows[-1]
        seen |= {"rc": last.rc, "amount": last.amount, "reversed": last.reversed,
                 "batch": last.batch}
    return seen, what


async def host_control(run: Run, step: Step) -> None:
    """Take the embedded host down or up, or make it forget the terminal's keys."""
    assert isinstance(step, HostControlStep)
    await settle(run)
    rig = run.rig
    if step.action == "forget_keys":
        rig.host.store.forget_working_keys(rig.terminal.config.tid)
        return
    config = rig.terminal.config
    addresses = {"primary": [config.host], "backup": [config.backup_host],
                 "all": [config.host, config.backup_host]}[step.which]
    if step.which == "backup" and not config.backup_host:
        raise StepFailed("the terminal has no backup host (terminal: {backup_host: …})")
    for address in filter(None, addresses):
        rig.network.set_down(address, step.action == "down")
    await settle(run)


async def device_fault(run: Run, step: Step) -> None:
    """Make a device fail: the card reader yields a read error, or the PIN pad fails."""
    assert isinstance(step, DeviceFaultStep)
    if step.fault == "card_read_error":
        run.rig.reader.swipe(UNREADABLE)
    else:
        run.rig.pinpad.fail()
    await settle(run)


async def never_shown(run: Run, step: Step) -> None:
    """Note the text; it is checked over every screen when the steps are done."""
    assert isinstance(step, NeverShownStep)
    run.at_end.append(step)


async def check_at_end(run: Run) -> tuple[Step, str] | None:
    """The first ``never_shown`` step whose text some screen showed, with why."""
    await settle(run)
    screens = run.all_screens()
    for step in run.at_end:
        assert isinstance(step, NeverShownStep)
        problem = shown_problem(step.text, screens)
        if problem:
            return step, problem
    return None
