import asyncio
import ssl
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from xpos.errors import ConfigError
from xpos.security.pki import (
    DEMO_MID,
    DEMO_TID,
    TerminalIdentity,
    ca_key_path,
    certificate_identity,
    client_context,
    ensure_demo_pki,
    peer_identity,
    server_context,
)


def test_demo_pki_is_made_once_with_private_keys_0600(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    first = files.host_cert.read_bytes()
    assert stat.S_IMODE(files.host_key.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.terminal_key.stat().st_mode) == 0o600
    assert ensure_demo_pki(tmp_path).host_cert.read_bytes() == first


async def _handshake(server: ssl.SSLContext, client: ssl.SSLContext) -> str:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readexactly(4))
        await writer.drain()
        writer.close()

    srv = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server)
    port = srv.sockets[0].getsockname()[1]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client,
                                                       server_hostname="localhost")
        writer.write(b"ping")
        data = await reader.readexactly(4)
        version = writer.get_extra_info("ssl_object").version()
        writer.close()
        return f"{data.decode()} {version}"
    finally:
        srv.close()
        await srv.wait_closed()


def test_mutual_tls13_handshake_on_loopback(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    assert asyncio.run(_handshake(server_context(files), client_context(files))) == \
        "ping TLSv1.3"


def test_client_without_certificate_is_refused(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    anonymous = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    anonymous.load_verify_locations(cafile=str(files.ca_cert))
    with pytest.raises((ssl.SSLError, ConnectionError, asyncio.IncompleteReadError)):
        asyncio.run(_handshake(server_context(files), anonymous))


def test_client_refuses_host_from_another_ca(tmp_path: Path) -> None:
    ours = ensure_demo_pki(tmp_path / "a")
    theirs = ensure_demo_pki(tmp_path / "b")
    with pytest.raises(ssl.SSLCertVerificationError):
        asyncio.run(_handshake(server_context(theirs), client_context(ours)))


def test_a_tls12_client_is_refused(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    old = client_context(files)
    old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_2
    with pytest.raises((ssl.SSLError, ConnectionError)):
        asyncio.run(_handshake(server_context(files), old))


def _identity_of(path: Path) -> TerminalIdentity | None:
    return certificate_identity(x509.load_pem_x509_certificate(path.read_bytes()))


def test_the_terminal_certificate_names_its_terminal_and_merchant(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    assert _identity_of(files.terminal_cert) == TerminalIdentity(tid=DEMO_TID, mid=DEMO_MID)
    assert _identity_of(files.host_cert) is None  # "X-POS Reference Host" is no TID
    assert stat.S_IMODE(ca_key_path(files).stat().st_mode) == 0o600
    assert stat.S_IMODE(files.ca_cert.parent.stat().st_mode) == 0o700


def test_another_tid_gets_a_new_terminal_certificate_from_the_same_ca(tmp_path: Path) -> None:
    first = ensure_demo_pki(tmp_path)
    ca, host = first.ca_cert.read_bytes(), first.host_cert.read_bytes()
    files = ensure_demo_pki(tmp_path, terminal_id="20000002", merchant_id="898100012349999")
    assert _identity_of(files.terminal_cert) == TerminalIdentity(tid="20000002",
                                                                 mid="898100012349999")
    assert (files.ca_cert.read_bytes(), files.host_cert.read_bytes()) == (ca, host)
    assert stat.S_IMODE(files.terminal_key.stat().st_mode) == 0o600
    again = files.terminal_cert.read_bytes()
    ensure_demo_pki(tmp_path, terminal_id="20000002")  # any MID will do: kept
    assert files.terminal_cert.read_bytes() == again
    assert asyncio.run(_handshake(server_context(files), client_context(files))) == \
        "ping TLSv1.3"


def test_a_pki_without_its_ca_key_cannot_reissue_and_says_what_to_do(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path)
    ca_key_path(files).unlink()  # as a PKI made before terminal binding
    assert ensure_demo_pki(tmp_path, terminal_id=DEMO_TID) == files  # still fits: fine
    with pytest.raises(ConfigError, match=r"ca\.key is missing .*delete .*pki"):
        ensure_demo_pki(tmp_path, terminal_id="20000002")


def test_a_malformed_tid_is_refused_when_issuing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TID of 8"):
        ensure_demo_pki(tmp_path, terminal_id="123")
    with pytest.raises(ConfigError, match="MID of 15"):
        ensure_demo_pki(tmp_path, terminal_id="12345678", merchant_id="1\n")


def test_the_server_reads_the_identity_from_the_peer_certificate(tmp_path: Path) -> None:
    files = ensure_demo_pki(tmp_path, terminal_id="30000003", merchant_id="898100012340003")
    seen: list[TerminalIdentity | None] = []

    async def main() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(peer_identity(writer.get_extra_info("peercert")))
            writer.write(await reader.readexactly(4))
            await writer.drain()
            writer.close()

        srv = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=server_context(files))
        port = srv.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                       ssl=client_context(files),
                                                       server_hostname="localhost")
        writer.write(b"ping")
        await reader.readexactly(4)
        writer.close()
        srv.close()
        await srv.wait_closed()

    asyncio.run(main())
    assert seen == [TerminalIdentity(tid="30000003", mid="898100012340003")]


def _subject(*pairs: tuple[str, object]) -> dict[str, Any]:
    return {"subject": tuple((pair,) for pair in pairs)}


@pytest.mark.parametrize(("peercert", "identity"), [
    (_subject(("commonName", "10000001")), TerminalIdentity(tid="10000001")),
    (_subject(("organizationalUnitName", "898100012340001"), ("commonName", "10000001")),
     TerminalIdentity(tid="10000001", mid="898100012340001")),
    (_subject(("commonName", "X-POS Terminal 10000001")), None),
    (_subject(("commonName", "10000001"), ("commonName", "10000002")), None),
    (_subject(("commonName", "1000000\n")), None),
    (_subject(("commonName", "10000001"), ("organizationalUnitName", "short")), None),
    (_subject(("commonName", 10000001)), None),
    ({}, None),
    (None, None),
])
def test_peer_identity_accepts_exactly_one_well_formed_tid(
        peercert: dict[str, Any] | None, identity: TerminalIdentity | None) -> None:
    assert peer_identity(peercert) == identity
