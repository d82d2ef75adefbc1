import asyncio
from pathlib import Path

from xpos.core.flows.online import Outcome
from xpos.journal import TxnStatus

from .kill9kit import ALICE, holding_host, kill_child_when_held, sale, signed_on, terminal_on

# test_kill9_order.py imports these two names from here.
_terminal = terminal_on
_sale = sale


async def run_child(data_dir: Path, port: int) -> None:
    """The terminal that gets killed: signs on, then sells; the host holds the answer."""
    terminal = await signed_on(data_dir, port)
    print("signed-on", flush=True)
    await sale(terminal, 4321)


async def _scenario(data_dir: Path) -> None:
    async with holding_host(data_dir) as held:
        host = held.host
        host.faults.delay(60)
        await kill_child_when_held("tests.e2e.test_kill9", data_dir, held)
        assert host.store.balance(ALICE.pan) == ALICE.balance - 4321

        terminal = terminal_on(data_dir, held.port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.PENDING
            assert await sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - 100


def test_kill_9_while_waiting_for_the_host_loses_nothing_and_reverses_after_restart(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
