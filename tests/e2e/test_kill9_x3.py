"""kill -9 in the middle of an X3 session with a bank debit: no double debit, and no money
taken without the platform knowing (issue 11).

The child terminal signs on, opens the member top-up, answers its steps and pays the
bank debit; the host holds back either the sale's answer or the answer to the step result
that reports it, and the child is killed while waiting. After a restart the terminal opens
another session: the pending reversal (if any) goes out first, then the cut session is
reported abandoned with the trace of every approved debit in it.
"""

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from xpos.core.flows.online import Outcome
from xpos.core.flows.remote import SessionOpen, SessionResult
from xpos.core.steps import ResultCode
from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.runtime import Terminal

from .test_kill9 import _sale, _terminal

ALICE = DEMO.card("alice")
ROOT = Path(__file__).resolve().parents[2]
AMOUNT = 5000

CHILD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from tests.e2e.test_kill9_x3 import run_child
    asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2])))
""")


async def _step(terminal: Terminal, request: object) -> str:
    reply = await terminal.txn.handle(request)  # type: ignore[arg-type]
    assert reply.outcome is Outcome.APPROVED and reply.step is not None
    return reply.step.code


async def run_child(data_dir: Path, port: int) -> None:
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    assert await _step(terminal, SessionOpen(service="topup")) == "INP"
    opened = terminal.journal.last("x3_session")
    assert opened is not None
    session = f"{opened.tid}{opened.batch:06d}{opened.stan:06d}"
    answers = [SessionResult(session=session, number=1, code=ResultCode.OK, values=("8868001",)),
               SessionResult(session=session, number=2, code=ResultCode.OK, amount=AMOUNT),
               SessionResult(session=session, number=3, code=ResultCode.OK, values=("1",))]
    for answer in answers:
        await _step(terminal, answer)
    print("paying", flush=True)
    assert await _sale(terminal, AMOUNT) is Outcome.APPROVED
    sale = terminal.journal.last("sale")
    assert sale is not None
    await terminal.txn.handle(SessionResult(session=session, number=4, code=ResultCode.OK,
                                            amount=AMOUNT, bank_rc="00", bank_stan=sale.stan,
                                            bank_rrn=sale.rrn or ""))


async def _scenario(data_dir: Path, held: MessageKind) -> None:
    arrived = asyncio.Event()

    async def hold(seconds: float) -> None:
        if seconds < 60:    # a pass-through fault: answer at once
            return
        arrived.set()
        await asyncio.Event().wait()

    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir), sleep=hold)
    port = await host.start()
    try:
        if held is MessageKind.SESSION_STEP:   # the 4th step result reports the debit
            for _ in range(3):
                host.faults.delay(0, on=frozenset({MessageKind.SESSION_STEP}))
        host.faults.delay(60, on=frozenset({held}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        await asyncio.wait_for(arrived.wait(), 60)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()

        terminal = _terminal(data_dir, port)
        try:
            cut = terminal.journal.last("x3_session")
            assert cut is not None and cut.status is TxnStatus.PENDING
            reply = await terminal.txn.handle(SessionOpen(service="topup"))
            assert reply.outcome is Outcome.APPROVED
            assert terminal.journal.get(cut.id).status is TxnStatus.FAILED
            assert terminal.journal.pending_reversal() is None
            sale = terminal.journal.last("sale")
            assert sale is not None
            taken = sale.status is TxnStatus.APPROVED
            assert terminal.journal.get(cut.id).detail["bank_stans"] == (
                [sale.stan] if taken else [])
        finally:
            await terminal.close()
        # 0 double debits: the balance moved by the one sale, or not at all.
        assert host.store.balance(ALICE.pan) == ALICE.balance - (AMOUNT if taken else 0)
        # 0 money taken without the platform knowing: an approved debit is on its books.
        told = host.store.find(sale.tid, sale.batch, sale.stan, ("x3_abandon",))
        assert (told is not None and told.amount == AMOUNT) == taken
        assert taken == (held is MessageKind.SESSION_STEP)
    finally:
        await host.stop()


@pytest.mark.parametrize("held", [MessageKind.SALE, MessageKind.SESSION_STEP],
                         ids=["killed-waiting-for-the-sale", "killed-after-the-debit"])
def test_kill_9_mid_session_loses_no_money_and_the_platform_hears_of_every_debit(
        tmp_path: Path, held: MessageKind) -> None:
    asyncio.run(_scenario(tmp_path, held))
