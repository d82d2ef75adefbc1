import asyncio
import ssl
import stat
from pathlib import Path

import pytest

from xpos.security.pki import client_context, ensure_demo_pki, server_context


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
