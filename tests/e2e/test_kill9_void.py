"""kill -9 of a terminal waiting for a void's answer: nothing lost, the void reversed."""

import asyncio
from pathlib import Path

from xpos.core.flows.online import Outcome, VoidRequest
from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.terminal.runtime import Terminal

from .kill9kit import (
    ALICE,
    alice_swipe,
    holding_host,
    kill_child_when_held,
    sale,
    signed_on,
    terminal_on,
)

SOLD = 4321


async def _void(terminal: Terminal, stan: int) -> Outcome:
    card, block = await alice_swipe(terminal, SOLD)
    return (await terminal.txn.void(VoidRequest(stan=stan, card=card,
                                                pin_block=block))).outcome


async def run_child(data_dir: Path, port: int) -> None:
    """The terminal that gets killed: signs on, sells, then voids; the host holds the
    void's answer back."""
    terminal = await signed_on(data_dir, port)
    assert await sale(terminal, SOLD) is Outcome.APPROVED
    sold = terminal.journal.last("sale")
    assert sold is not None
    print("sold", flush=True)
    await _void(terminal, sold.stan)


async def _scenario(data_dir: Path) -> None:
    async with holding_host(data_dir) as held:
        host = held.host
        host.faults.delay(60, on=frozenset({MessageKind.VOID}))
        await kill_child_when_held("tests.e2e.test_kill9_void", data_dir, held)
        assert host.store.balance(ALICE.pan) == ALICE.balance  # the host voided it

        terminal = terminal_on(data_dir, held.port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            void = terminal.journal.get(pending.txn_id)
            assert (void.kind, void.status) == ("void", TxnStatus.PENDING)
            assert await sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
            sold = terminal.journal.by_stan(int(void.detail["original_stan"]))
            assert sold is not None and sold.status is TxnStatus.APPROVED and not sold.voided
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - SOLD - 100


def test_kill_9_while_waiting_for_a_void_loses_nothing_and_reverses_it_after_restart(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
