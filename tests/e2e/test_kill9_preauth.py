"""kill -9 of a terminal waiting for a completion's answer: nothing lost, the completion
reversed after the restart, the host's hold held again and no money taken."""

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

from xpos.core.flows.online import Outcome
from xpos.core.flows.preauth_requests import COMPLETION, PREAUTH, PreauthRef, PreauthRequest
from xpos.drivers.fakes import FakePinPad
from xpos.journal import TxnStatus
from xpos.model import CardData, CardSource
from xpos.proto.messages import MessageKind
from xpos.refhost import holds
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.runtime import Terminal

from .test_kill9 import _sale, _terminal

ALICE = DEMO.card("alice")
ROOT = Path(__file__).resolve().parents[2]
HELD = 5000
COMPLETED = 4000

CHILD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.e2e.test_kill9_preauth import run_child
    asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2])))
""")


async def _send(terminal: Terminal, kind: str, amount: int,
                original: PreauthRef | None = None) -> Outcome:
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)
    pinpad.enter(ALICE.pin or "")
    block = await pinpad.get_pin_block(ALICE.pan, amount)
    card = CardData(source=CardSource.SWIPE, pan=ALICE.pan, expiry=ALICE.expiry,
                    track2=track2_for(ALICE.pan, ALICE.expiry))
    reply = await terminal.txn.handle(PreauthRequest(kind=kind, amount=amount, card=card,
                                                     pin_block=block, original=original))
    return reply.outcome


async def run_child(data_dir: Path, port: int) -> None:
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    assert await _send(terminal, PREAUTH, HELD) is Outcome.APPROVED
    preauth = terminal.journal.last(PREAUTH)
    assert preauth is not None
    await _send(terminal, COMPLETION, COMPLETED, PreauthRef(stan=preauth.stan))


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
        host.faults.delay(60, on=frozenset({MessageKind.COMPLETION}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        await asyncio.wait_for(arrived.wait(), 30)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        card = host.store.card(ALICE.pan)
        assert card is not None
        assert host.store.balance(ALICE.pan) == ALICE.balance - COMPLETED  # host completed
        assert [h.status for h in holds.holds(host.store, card.id)] == ["completed"]

        terminal = _terminal(data_dir, port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            completion = terminal.journal.get(pending.txn_id)
            assert (completion.kind, completion.status) == (COMPLETION, TxnStatus.PENDING)
            assert await _sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
            preauth = terminal.journal.by_stan(int(completion.detail["original_stan"]))
            assert preauth is not None and "completed_by" not in preauth.detail
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - 100
        assert [(h.amount, h.status) for h in holds.holds(host.store, card.id)] == [
            (HELD, "held")]
    finally:
        await host.stop()


def test_kill_9_while_waiting_for_a_completion_loses_nothing_and_reverses_it(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
