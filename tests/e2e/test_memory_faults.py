"""Faults over the in-memory pair that the other e2e tests do not cover: ``close``."""

from __future__ import annotations

from xpos.journal import TxnStatus
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on


def test_a_closed_connection_is_a_timeout_reversed_before_the_next_sale(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert rig.in_memory
        await sign_on(rig)
        rig.host.faults.close()
        assert "交易超时" in await sale(rig, "300", alice_track(), ALICE.pin)
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "98"
        assert rig.terminal.link.connected_to is None
        await back_to_menu(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100
        assert rig.network.connections == 2  # a new connection after the close
        notes = [e.text for e in rig.host.transcript if not e.mti]
        assert "<no response: connection closed (fault close)>" in notes

    run_rig(scenario)
