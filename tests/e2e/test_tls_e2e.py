"""The thin suite over real sockets: the rig's host on loopback, TLS 1.3 mutual auth
(plain TCP only when configured). Everything else runs on the in-memory pair."""

from __future__ import annotations

from xpos.journal import TxnStatus
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on


async def _sale_over_the_socket(rig: TerminalRig) -> None:
    assert not rig.in_memory and rig.port > 0
    await sign_on(rig)
    assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
    record = rig.terminal.journal.last("sale")
    assert record is not None and record.status is TxnStatus.APPROVED
    connected = rig.terminal.link.connected_to
    assert connected is not None and str(connected) == f"127.0.0.1:{rig.port}"
    await back_to_menu(rig)


def test_a_sale_over_mutual_tls_on_loopback(run_rig: RunRig) -> None:
    run_rig(_sale_over_the_socket, transport="tls")


def test_a_sale_over_plain_tcp_when_configured(run_rig: RunRig) -> None:
    run_rig(_sale_over_the_socket, transport="tls", tls=False)
