"""Fault injection between terminal and host, across transaction kinds, with the crash
harness's invariants checked against the host ledger (issue 10, "Fault injection").

Each case: a terminal signed on to the reference host over the in-memory pair (same
proto sessions and host link as TLS), on simulated time. One transaction of ``kind``
meets one host fault; then sales run until no reversal is pending; then the journal is
reconciled with the host ledger and the card's balance. A new transaction kind slots in
with one line in ``KINDS`` (and its driver in ``xpos.testing.crashdrivers.DRIVERS``); a new
fault with one line in ``FAULTS``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost.faults import FaultPlan
from xpos.refhost.settle import SettleLedger
from xpos.terminal.clock import VirtualClock
from xpos.testing.crashdrivers import DRIVERS
from xpos.testing.crashhost import CARD
from xpos.testing.crashsettle import host_totals
from xpos.testing.reconcile import Key, Settled, Sides, reconcile
from xpos.testing.rig import TerminalRig

Plan = Callable[[FaultPlan, frozenset[MessageKind]], object]

FAULTS: dict[str, tuple[Plan, TxnStatus]] = {
    # fault: how to plan it on the faulted kind, the faulted transaction's final status
    "drop": (lambda f, on: f.drop(on=on), TxnStatus.REVERSED),
    "delay_past_timeout": (lambda f, on: f.delay(45, on=on), TxnStatus.REVERSED),
    "truncated": (lambda f, on: f.truncated(on=on), TxnStatus.REVERSED),
    "garbage": (lambda f, on: f.garbage(on=on), TxnStatus.REVERSED),
    "malformed": (lambda f, on: f.malformed(on=on), TxnStatus.REVERSED),
    "duplicated_reply": (lambda f, on: f.duplicate(on=on), TxnStatus.APPROVED),
    "late_reply": (lambda f, on: f.late(on=on), TxnStatus.REVERSED),
    "bad_mac": (lambda f, on: f.bad_mac(on=on), TxnStatus.REVERSED),
    "closed": (lambda f, on: f.close(on=on), TxnStatus.REVERSED),
    "declined": (lambda f, on: f.decline("05", on=on), TxnStatus.DECLINED),
}
KINDS: dict[str, MessageKind] = {
    "sale": MessageKind.SALE,
    "void": MessageKind.VOID,
    "reversal": MessageKind.REVERSAL,  # a sale's reversal (after a drop) meets the fault
    "refund": MessageKind.REFUND,
    "balance": MessageKind.BALANCE,
    "completion": MessageKind.COMPLETION,
    "settle": MessageKind.SETTLE,  # the 0500; the settlement is then continued
}
SALE, VOID_AMOUNT = 1234, 4321
SETUP = {"void": "sale", "refund": "sale", "completion": "preauth", "settle": "sale"}
"""The transaction a kind needs before it (its original, or something to settle)."""
NOT_REVERSED = {"refund": TxnStatus.PENDING, "balance": TxnStatus.FAILED}
"""Kinds with no reversal: what a lost or unusable answer leaves instead of REVERSED (a
refund's outcome is unknown: the host may hold it; a balance inquiry simply failed)."""


async def _drive(rig: TerminalRig, kind: str, amount: int) -> None:
    await DRIVERS[kind](rig, amount, lambda line: None)


async def _case(data_dir: Path, kind: str, fault: str) -> None:
    plan, expected = FAULTS[fault]
    if expected is TxnStatus.REVERSED:
        expected = NOT_REVERSED.get(kind, expected)
    async with TerminalRig(data_dir, transport="memory", clock=VirtualClock(),
                           sign_on=True) as rig:
        host, journal = rig.host, rig.terminal.journal
        start = host.store.balance(CARD.pan)
        if kind in SETUP:
            await _drive(rig, SETUP[kind], VOID_AMOUNT)  # the original
        if kind == "reversal":
            host.faults.drop()
            expected = TxnStatus.REVERSED  # whatever meets the reversal, it is retried
        plan(host.faults, frozenset({KINDS[kind]}))
        driven = "sale" if kind == "reversal" else kind
        await _drive(rig, driven, SALE)
        if kind == "settle":
            await _settled(rig, start)
            return
        faulted = journal.last()
        assert faulted is not None and faulted.kind == driven
        seen: dict[Key, int] = {}
        for _ in range(4):  # sales until no reversal is pending (the first flushes it)
            pending = journal.pending_reversal()
            if pending is not None:
                seen[(faulted.batch, faulted.stan)] = pending.attempts
            elif kind != "reversal" or faulted.status is not TxnStatus.PENDING:
                break
            await _drive(rig, "sale", 100)
        await _drive(rig, "sale", 200)  # reads any stale duplicate / late answer first
        assert len(host.faults) == 0, "the fault was never applied"
        assert journal.get(faulted.id).status is expected
        assert journal.pending_reversal() is None
        result = reconcile(Sides(txns=journal.transactions(),
                                 ledger=host.store.entries(tid=rig.terminal.config.tid),
                                 balance_change=host.store.balance(CARD.pan) - start,
                                 attempts_seen=seen))
        assert result.ok, result
        reversals = [e for e in host.store.entries(kind="reversal")
                     if (e.batch, e.stan) == (faulted.batch, faulted.stan)]
        if expected is TxnStatus.REVERSED and kind != "reversal":
            assert len(reversals) == 1  # reversed exactly once
        assert (expected is TxnStatus.REVERSED) == bool(reversals)


async def _settled(rig: TerminalRig, start: int) -> None:
    """A faulted 0500: continue the settlement until done; both sides' totals agree,
    no item was uploaded twice, and the money invariants hold."""
    host, journal = rig.host, rig.terminal.journal
    tid = rig.terminal.config.tid
    for _ in range(4):
        if journal.open_settlement() is None and journal.last_settlement() is not None:
            break
        await _drive(rig, "settle", 0)
    await _drive(rig, "sale", 200)  # reads any stale duplicate / late answer first
    assert len(host.faults) == 0, "the fault was never applied"
    done = journal.last_settlement()
    assert done is not None and journal.open_settlement() is None
    ledger = host.store.entries(tid=tid)
    settled = Settled(batch=done.batch, terminal=done.totals["bank"],
                      host=host_totals(ledger, done.batch),
                      duplicates=SettleLedger(host.core.context).uploads(
                          tid, done.batch).duplicates)
    assert settled.terminal["debit_count"] == 1  # the sale, settled once
    result = reconcile(Sides(txns=journal.transactions(), ledger=ledger,
                             balance_change=host.store.balance(CARD.pan) - start,
                             attempts_seen={}, settled=[settled]))
    assert result.ok, result


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_fault_between_terminal_and_host_loses_nothing(tmp_path: Path, kind: str,
                                                         fault: str) -> None:
    asyncio.run(_case(tmp_path, kind, fault))
