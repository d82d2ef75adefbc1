"""Terminal binding: a connection speaks only for the terminal its certificate names.

Real TLS on loopback with certificates issued by the demo CA in the test; the in-memory
pair with an identity; plain TCP stays a trusted line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from xpos.proto.codec import Message
from xpos.proto.session import ResponseReceived, TerminalSession
from xpos.refhost.binding import RC_SECURITY_VIOLATION, TRUSTED_LINE, Peer, bound_to
from xpos.refhost.core import HostCore
from xpos.refhost.rows import TerminalRow
from xpos.refhost.seed import DEMO
from xpos.refhost.server import FROM_HOST, ReferenceHost
from xpos.security.pki import TerminalIdentity, TlsFiles, ca_key_path, client_context
from xpos.testing.memory import stream_pair

from .terminal import TerminalMessages, TlsTerminal, fixed_clock, terminal_pki

ALICE = DEMO.card("alice")
TID_A, TID_B = DEMO.tid, "10000002"
B = TerminalIdentity(tid=TID_B, mid=DEMO.mid)


def _host(tmp_path: Path, tls: TlsFiles | None) -> ReferenceHost:
    host = ReferenceHost(tmp_path / "host.db", tls=tls, clock=fixed_clock)
    host.store.add_terminal(TID_B, DEMO.mid, DEMO.tmk)
    return host


def _keys(row: TerminalRow | None) -> tuple[bytes | None, bytes | None, bytes | None, str | None]:
    assert row is not None
    return row.pik, row.mak, row.tdk, row.signed_on_at


async def _connect(host: ReferenceHost, files: TlsFiles, tid: str) -> TlsTerminal:
    term = await TlsTerminal.connect(host.port, client_context(files))
    term.tid = tid
    return term


def test_a_certificate_for_terminal_b_cannot_sign_on_as_terminal_a(
        tmp_path: Path, pki: TlsFiles, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        async with _host(tmp_path, pki) as host:
            await host.start()
            real = await _connect(host, pki, TID_A)
            assert (await real.sign_on()).get(39) == "00"
            before = _keys(host.store.terminal(TID_A))
            ledger = len(host.store.entries())
            intruder = await _connect(host, terminal_pki(pki, tmp_path, B), TID_A)
            with caplog.at_level(logging.WARNING, logger="xpos.refhost.server"):
                refused = await intruder.exchange(intruder.sign_on_request())
            assert refused.get(39) == RC_SECURITY_VIOLATION
            assert refused.get(62) is None and refused.get(64) is None
            assert _keys(host.store.terminal(TID_A)) == before  # no keys rotated
            assert len(host.store.entries()) == ledger  # nothing recorded for A
            assert any("refused A7" in e.text and "10000002" in e.text
                       for e in host.transcript if e.direction == FROM_HOST)
            assert any(r.levelno == logging.WARNING and "security" in r.getMessage()
                       for r in caplog.records)
            sale = await real.exchange(real.sale(ALICE, 100))  # the real A is unharmed
            assert sale.get(39) == "00" and real.mac_ok(sale)
            assert host.store.balance(ALICE.pan) == ALICE.balance - 100
            await intruder.close()
            await real.close()

    asyncio.run(main())


def test_a_sale_for_another_terminal_is_refused_and_the_own_one_works(
        tmp_path: Path, pki: TlsFiles) -> None:
    async def main() -> None:
        async with _host(tmp_path, pki) as host:
            await host.start()
            own = await _connect(host, terminal_pki(pki, tmp_path, B), TID_B)
            assert (await own.sign_on()).get(39) == "00"
            host.faults.drop()  # a refused request must not consume it
            foreign = own.sale(ALICE, 500)
            foreign = own.seal(foreign.replace(set={41: TID_A}))
            answer = await own.exchange(foreign)
            assert answer.get(39) == RC_SECURITY_VIOLATION and answer.get(41) == TID_A
            assert host.store.balance(ALICE.pan) == ALICE.balance
            assert host.store.entries(kind="sale") == []
            assert len(host.faults) == 1
            host.faults.clear()
            matching = await own.exchange(own.sale(ALICE, 500))  # same connection
            assert matching.get(39) == "00" and own.mac_ok(matching)
            assert host.store.balance(ALICE.pan) == ALICE.balance - 500
            await own.close()

    asyncio.run(main())


def test_a_certificate_for_another_merchant_is_refused(tmp_path: Path, pki: TlsFiles) -> None:
    async def main() -> None:
        async with _host(tmp_path, pki) as host:
            await host.start()
            other = TerminalIdentity(tid=TID_A, mid="898100012349999")
            term = await _connect(host, terminal_pki(pki, tmp_path, other), TID_A)
            assert (await term.exchange(term.sign_on_request())).get(39) == "A7"
            row = host.store.terminal(TID_A)
            assert row is not None and row.mak is None
            await term.close()

    asyncio.run(main())


def _unbound_certificate(pki: TlsFiles, directory: Path) -> TlsFiles:
    """A CA-signed client certificate naming no terminal (as before binding existed)."""
    ca_key = serialization.load_pem_private_key(ca_key_path(pki).read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    ca = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                                        f"X-POS Terminal {TID_A}")]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .sign(ca_key, hashes.SHA256()))
    files = TlsFiles(ca_cert=pki.ca_cert, host_cert=pki.host_cert, host_key=pki.host_key,
                     terminal_cert=directory / "old.pem", terminal_key=directory / "old.key")
    files.terminal_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.terminal_key.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return files


def test_a_certificate_naming_no_terminal_may_send_nothing(tmp_path: Path,
                                                           pki: TlsFiles) -> None:
    async def main() -> None:
        async with _host(tmp_path, pki) as host:
            await host.start()
            term = await _connect(host, _unbound_certificate(pki, tmp_path), TID_A)
            assert (await term.exchange(term.sign_on_request())).get(39) == "A7"
            assert any("names no terminal" in e.text for e in host.transcript)
            assert host.store.entries() == []
            await term.close()

    asyncio.run(main())


async def _over_memory(host: ReferenceHost, identity: TerminalIdentity | None,
                       request: Message) -> Message:
    (reader, writer), host_end = stream_pair()
    host.accept(*host_end, identity=identity)
    session = TerminalSession()
    writer.write(session.send(request, now=0.0))
    while (event := session.next_event()) is None:
        session.receive_data(await asyncio.wait_for(reader.read(4096), 10))
    assert isinstance(event, ResponseReceived)
    writer.close()
    return event.response


def test_an_in_memory_pair_carries_an_identity(tmp_path: Path) -> None:
    async def main() -> None:
        async with _host(tmp_path, None) as host:
            as_a = TerminalMessages().sign_on_request()
            assert (await _over_memory(host, B, as_a)).get(39) == "A7"
            assert host.store.entries() == []
            as_b = TerminalMessages(tid=TID_B).sign_on_request()
            assert (await _over_memory(host, B, as_b)).get(39) == "00"
            assert (await _over_memory(host, None, as_a)).get(39) == "00"  # trusted line

    asyncio.run(main())


def test_plain_tcp_is_a_trusted_line(tmp_path: Path) -> None:
    async def main() -> None:
        async with _host(tmp_path, None) as host:
            await host.start()
            term = await TlsTerminal.connect(host.port, None)
            term.tid = TID_B
            assert (await term.sign_on()).get(39) == "00"
            await term.close()

    asyncio.run(main())


@pytest.mark.parametrize(("peer", "tid", "mid", "refused"), [
    (TRUSTED_LINE, "99999999", "x", False),
    (bound_to(B), TID_B, DEMO.mid, False),
    (bound_to(B), TID_A, DEMO.mid, True),
    (bound_to(B), TID_B, "898100012349999", True),
    (bound_to(B), None, DEMO.mid, True),
    (bound_to(TerminalIdentity(tid=TID_B)), TID_B, "898100012349999", False),
    (Peer(bound=True), TID_B, DEMO.mid, True),
])
def test_which_messages_a_peer_may_send(peer: Peer, tid: str | None, mid: str,
                                        refused: bool) -> None:
    fields = {11: "000001", 42: mid} | ({} if tid is None else {41: tid})
    assert (peer.mismatch(Message(mti="0800", fields=fields)) is not None) is refused


def test_the_bare_answer_echoes_and_never_answers_a_response() -> None:
    request = Message(mti="0200", fields={3: "000000", 11: "000007", 41: TID_A, 42: DEMO.mid,
                                          35: "6212345678901234567D3012"})
    answer = HostCore.bare_answer(request, "A7")
    assert answer is not None and answer.mti == "0210"
    assert answer.fields == {3: "000000", 11: "000007", 41: TID_A, 42: DEMO.mid, 39: "A7"}
    assert HostCore.bare_answer(Message(mti="0210", fields={11: "000007"}), "A7") is None
