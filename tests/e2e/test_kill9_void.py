"""kill -9 of a terminal waiting for a void's answer: nothing lost, the void reversed."""

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

from xpos.core.flows.online import Outcome, VoidRequest
from xpos.drivers.fakes import FakePinPad
from xpos.journal import TxnStatus
from xpos.model import CardData, CardSource
from xpos.proto.messages import MessageKind
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.runtime import Terminal

from .test_kill9 import _sale, _terminal

ALICE = DEMO.card("alice")
ROOT = Path(__file__).resolve().parents[2]
SOLD = 4321

# The terminal that gets killed: signs on, sells, then voids; the host holds the void's
# answer back.
CHILD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.e2e.test_kill9_void import run_child
    asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2])))
""")


async def _void(terminal: Terminal, stan: int) -> Outcome:
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)
    pinpad.enter(ALICE.pin or "")
    block = await pinpad.get_pin_block(ALICE.pan, SOLD)
    card = CardData(source=CardSource.SWIPE, pan=ALICE.pan, expiry=ALICE.expiry,
                    track2=track2_for(ALICE.pan, ALICE.expiry))
    return (await terminal.txn.void(VoidRequest(stan=stan, card=card,
                                                pin_block=block))).outcome


async def run_child(data_dir: Path, port: int) -> None:
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    assert await _sale(terminal, SOLD) is Outcome.APPROVED
    sale = terminal.journal.last("sale")
    assert sale is not None
    print("sold", flush=True)
    await _void(terminal, sale.stan)


async def _scenario(data_dir: Path) -> None:
    arrived = asyncio.Event()

    async def hold(seconds: float) -> None:
        arrived.set()
        await asyncio.Event().wait()

    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir), sleep=hold)
    port = await host.start()
    try:
        host.faults.delay(60, on=frozenset({MessageKind.VOID}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        await asyncio.wait_for(arrived.wait(), 30)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        assert host.store.balance(ALICE.pan) == ALICE.balance  # the host voided it

        terminal = _terminal(data_dir, port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            void = terminal.journal.get(pending.txn_id)
            assert (void.kind, void.status) == ("void", TxnStatus.PENDING)
            assert await _sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
            sale = terminal.journal.by_stan(int(void.detail["original_stan"]))
            assert sale is not None and sale.status is TxnStatus.APPROVED and not sale.voided
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - SOLD - 100
    finally:
        await host.stop()


def test_kill_9_while_waiting_for_a_void_loses_nothing_and_reverses_it_after_restart(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
