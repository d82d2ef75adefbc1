"""kill -9 in the middle of an X3 session with a bank debit: no double debit, and no money
taken without the platform knowing (issue 11).

The child terminal signs on, opens the member top-up, answers its steps and pays the
bank debit; the host holds back either the sale's answer or the answer to the step result
that reports it, and the child is killed while waiting. After a restart the terminal opens
another session: the pending reversal (if any) goes out first, then the cut session is
reported abandoned with the trace of every approved debit in it.
"""

import asyncio
from pathlib import Path

import pytest

from xpos.core.flows.online import Outcome
from xpos.core.flows.remote import SessionOpen, SessionResult
from xpos.core.steps import ResultCode
from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.terminal.runtime import Terminal

from .kill9kit import ALICE, holding_host, kill_child_when_held, sale, signed_on, terminal_on

AMOUNT = 5000


async def _step(terminal: Terminal, request: object) -> str:
    reply = await terminal.txn.handle(request)  # type: ignore[arg-type]
    assert reply.outcome is Outcome.APPROVED and reply.step is not None
    return reply.step.code


async def run_child(data_dir: Path, port: int) -> None:
    terminal = await signed_on(data_dir, port)
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
    assert await sale(terminal, AMOUNT) is Outcome.APPROVED
    paid = terminal.journal.last("sale")
    assert paid is not None
    await terminal.txn.handle(SessionResult(session=session, number=4, code=ResultCode.OK,
                                            amount=AMOUNT, bank_rc="00", bank_stan=paid.stan,
                                            bank_rrn=paid.rrn or ""))


async def _scenario(data_dir: Path, held: MessageKind) -> None:
    async with holding_host(data_dir) as on_hold:
        host = on_hold.host
        if held is MessageKind.SESSION_STEP:   # the 4th step result reports the debit
            for _ in range(3):
                host.faults.delay(0, on=frozenset({MessageKind.SESSION_STEP}))
        host.faults.delay(60, on=frozenset({held}))
        await kill_child_when_held("tests.e2e.test_kill9_x3", data_dir, on_hold, timeout_s=60)

        terminal = terminal_on(data_dir, on_hold.port)
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


@pytest.mark.parametrize("held", [MessageKind.SALE, MessageKind.SESSION_STEP],
                         ids=["killed-waiting-for-the-sale", "killed-after-the-debit"])
def test_kill_9_mid_session_loses_no_money_and_the_platform_hears_of_every_debit(
        tmp_path: Path, held: MessageKind) -> None:
    asyncio.run(_scenario(tmp_path, held))
