"""Terminal binding end to end: the rig's links carry the terminal's identity.

In memory the pair carries the configured TID/MID; over TLS the rig's demo PKI issues a
certificate for the configured TID from the same CA.
"""

from __future__ import annotations

from cryptography import x509

from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import TerminalIdentity, certificate_identity
from xpos.terminal.linkconf import tls_files
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale

OTHER = "20000002"


def test_the_memory_pair_speaks_only_for_the_configured_terminal(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert rig.network.identity == TerminalIdentity(tid=DEMO.tid, mid=DEMO.mid)
        rig.network.identity = TerminalIdentity(tid=OTHER)  # as another terminal's cert
        screen = await rig.press("1")
        assert "安全处理失败" in screen and "签到成功" not in screen
        row = rig.host.store.terminal(DEMO.tid)
        assert row is not None and row.mak is None  # no keys were made for it
        await rig.press("ENTER")
        await rig.terminal.link.close()
        rig.network.identity = TerminalIdentity(tid=DEMO.tid, mid=DEMO.mid)
        assert "签到成功" in await rig.press("1")
        await rig.press("ENTER")
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)

    run_rig(scenario)


def test_over_tls_a_terminal_with_another_tid_gets_its_own_certificate(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        cert = tls_files(rig.terminal.config).terminal_cert
        named = certificate_identity(x509.load_pem_x509_certificate(cert.read_bytes()))
        assert named == TerminalIdentity(tid=OTHER, mid=DEMO.mid)
        assert "签到成功" in await rig.press("1")
        await rig.press("ENTER")
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)

    def add_terminal(host: ReferenceHost) -> None:
        host.store.add_terminal(OTHER, DEMO.mid, DEMO.tmk)

    run_rig(scenario, transport="tls", tid=OTHER, prepare_host=add_terminal)
