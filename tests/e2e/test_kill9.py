import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

from xpos.core.flows.online import Outcome, SaleRequest
from xpos.drivers.fakes import FakePinPad
from xpos.drivers.registry import open_devices
from xpos.journal import TxnStatus
from xpos.model import CardData, CardSource
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.config import load_config
from xpos.terminal.runtime import Terminal

ALICE = DEMO.card("alice")
ROOT = Path(__file__).resolve().parents[2]

# The terminal that gets killed: signs on, then sells; the host holds the answer back.
CHILD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.e2e.test_kill9 import run_child
    asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2])))
""")


def _terminal(data_dir: Path, port: int) -> Terminal:
    return Terminal(load_config(data_dir, host=f"127.0.0.1:{port}"), open_devices({}))


async def _sale(terminal: Terminal, amount: int) -> Outcome:
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)
    pinpad.enter(ALICE.pin or "")
    block = await pinpad.get_pin_block(ALICE.pan, amount)
    card = CardData(source=CardSource.SWIPE, pan=ALICE.pan, expiry=ALICE.expiry,
                    track2=track2_for(ALICE.pan, ALICE.expiry))
    reply = await terminal.txn.sale(SaleRequest(amount=amount, card=card, pin_block=block))
    return reply.outcome


async def run_child(data_dir: Path, port: int) -> None:
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    print("signed-on", flush=True)
    await _sale(terminal, 4321)


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
        host.faults.delay(60)
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        await asyncio.wait_for(arrived.wait(), 30)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        assert host.store.balance(ALICE.pan) == ALICE.balance - 4321

        terminal = _terminal(data_dir, port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.PENDING
            assert await _sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - 100
    finally:
        await host.stop()


def test_kill_9_while_waiting_for_the_host_loses_nothing_and_reverses_after_restart(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
