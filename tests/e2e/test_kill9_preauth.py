"""kill -9 of a terminal waiting for a completion's answer: nothing lost, the completion
reversed after the restart, the host's hold held again and no money taken."""

import asyncio
from pathlib import Path

from xpos.core.flows.online import Outcome
from xpos.core.flows.preauth_requests import COMPLETION, PREAUTH, PreauthRef, PreauthRequest
from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost import holds
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

HELD = 5000
COMPLETED = 4000


async def _send(terminal: Terminal, kind: str, amount: int,
                original: PreauthRef | None = None) -> Outcome:
    card, block = await alice_swipe(terminal, amount)
    reply = await terminal.txn.handle(PreauthRequest(kind=kind, amount=amount, card=card,
                                                     pin_block=block, original=original))
    return reply.outcome


async def run_child(data_dir: Path, port: int) -> None:
    terminal = await signed_on(data_dir, port)
    assert await _send(terminal, PREAUTH, HELD) is Outcome.APPROVED
    preauth = terminal.journal.last(PREAUTH)
    assert preauth is not None
    await _send(terminal, COMPLETION, COMPLETED, PreauthRef(stan=preauth.stan))


async def _scenario(data_dir: Path) -> None:
    async with holding_host(data_dir) as held:
        host = held.host
        host.faults.delay(60, on=frozenset({MessageKind.COMPLETION}))
        await kill_child_when_held("tests.e2e.test_kill9_preauth", data_dir, held)
        card = host.store.card(ALICE.pan)
        assert card is not None
        assert host.store.balance(ALICE.pan) == ALICE.balance - COMPLETED  # host completed
        assert [h.status for h in holds.holds(host.store, card.id)] == ["completed"]

        terminal = terminal_on(data_dir, held.port)
        try:
            pending = terminal.journal.pending_reversal()
            assert pending is not None and pending.reason == "98"
            completion = terminal.journal.get(pending.txn_id)
            assert (completion.kind, completion.status) == (COMPLETION, TxnStatus.PENDING)
            assert await sale(terminal, 100) is Outcome.APPROVED
            assert terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
            preauth = terminal.journal.by_stan(int(completion.detail["original_stan"]))
            assert preauth is not None and "completed_by" not in preauth.detail
        finally:
            await terminal.close()
        assert host.store.balance(ALICE.pan) == ALICE.balance - 100
        assert [(h.amount, h.status) for h in holds.holds(host.store, card.id)] == [
            (HELD, "held")]


def test_kill_9_while_waiting_for_a_completion_loses_nothing_and_reverses_it(
        tmp_path: Path) -> None:
    asyncio.run(_scenario(tmp_path))
