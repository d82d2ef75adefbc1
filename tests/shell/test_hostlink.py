"""The host link over the in-memory pair: primary → backup, deadlines from the session,
one connection, late and unmatched answers never applied, TPDU and header stamped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from xpos.errors import HostTimeoutError, HostUnreachableError, RemoteProtocolError
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message, make_header
from xpos.proto.messages import sign_on_request
from xpos.proto.session import HostSession, RequestReceived
from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost
from xpos.terminal.clock import VirtualClock
from xpos.terminal.hostlink import HostAddress, HostLink, LinkConfig, Streams
from xpos.testing.memory import MemoryNetwork, stream_pair

HOST = HostAddress(host="memory", port=1)
NOWHERE = HostAddress(host="memory", port=2)


def sign_on(stan: int) -> Message:
    return sign_on_request(stan=stan, tid=DEMO.tid, mid=DEMO.mid, batch=1)


def run(main: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(main())


async def settle(rounds: int = 30) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


def test_the_backup_is_used_when_the_primary_refuses(tmp_path: Path) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=None)
        network = MemoryNetwork({str(HOST): host})
        link = HostLink(LinkConfig(primary=NOWHERE, backup=HOST), connector=network)
        response = await link.exchange(sign_on(1))
        assert response.get(39) == "00"
        assert link.connected_to == HOST
        assert (await link.exchange(sign_on(2))).get(39) == "00"
        assert network.connections == 1  # one persistent connection
        await link.close()
        await host.stop()

    run(main)


def test_no_host_at_all_names_every_address(tmp_path: Path) -> None:
    async def main() -> None:
        link = HostLink(LinkConfig(primary=NOWHERE, backup=HOST), connector=MemoryNetwork())
        with pytest.raises(HostUnreachableError, match=r"memory:2: .*; memory:1: "):
            await link.exchange(sign_on(1))

    run(main)


def test_the_sessions_deadline_times_out_and_the_late_answer_is_never_read(
        tmp_path: Path) -> None:
    async def main() -> None:
        clock = VirtualClock()
        host = ReferenceHost(tmp_path / "host.db", tls=None, sleep=clock.sleep)
        network = MemoryNetwork({str(HOST): host})
        link = HostLink(LinkConfig(primary=HOST, response_timeout_s=12.5), clock=clock,
                        connector=network)
        host.faults.delay(40.0, on=frozenset({MessageKind.SIGN_ON}))
        task = asyncio.create_task(link.exchange(sign_on(1)))
        await settle()
        assert link.awaiting_response
        assert clock.next_deadline() == 12.5  # the session's deadline, on the clock
        clock.advance_to(12.5)
        with pytest.raises(HostTimeoutError, match="no response from host for MTI 0800"):
            await task
        assert link.connected_to is None  # dropped: the late answer cannot be read
        clock.advance_to(40.0)  # the host answers now, into a closed connection
        await settle()
        response = await link.exchange(sign_on(2))
        assert response.get(11) == "000002" and network.connections == 2
        await link.close()
        await host.stop()

    run(main)


Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class Scripted:
    """A connector whose host end runs a script (with a real HostSession)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.tasks: list[asyncio.Task[None]] = []

    async def __call__(self, address: HostAddress) -> Streams:
        terminal_end, host_end = stream_pair()
        self.tasks.append(asyncio.create_task(self.script(*host_end)))
        return terminal_end


async def next_request(session: HostSession, reader: asyncio.StreamReader) -> Message:
    while (event := session.next_event()) is None:
        session.receive_data(await reader.read(4096))
    assert isinstance(event, RequestReceived)
    return event.message


def answer(request: Message, **changes: str) -> Message:
    fields = {3: request.get(3) or "", 11: request.get(11) or "", 39: "00",
              41: request.get(41) or "", 42: request.get(42) or "", 60: request.get(60) or ""}
    fields.update({int(k[1:]): v for k, v in changes.items()})
    return Message(mti="0810", fields={k: v for k, v in fields.items() if v},
                   tpdu=request.tpdu, header=request.header)


def test_an_unmatched_answer_is_discarded_and_the_right_one_returned(
        caplog: pytest.LogCaptureFixture) -> None:
    seen: list[Message] = []

    async def host(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = HostSession()
        request = await next_request(session, reader)
        seen.append(request)
        writer.write(session.send(answer(request, f11="999999")))  # answers nothing
        writer.write(session.send(answer(request, f39="05")))

    async def main() -> None:
        tpdu, header = "6000120034", make_header(test=True, app_version="123456")
        address = HostAddress(host="memory", port=1, tpdu=tpdu)
        link = HostLink(LinkConfig(primary=address, header=header), connector=Scripted(host))
        response = await link.exchange(sign_on(7))
        assert (response.get(11), response.get(39)) == ("000007", "05")
        assert (seen[0].tpdu, seen[0].header) == (tpdu, "603110123456")
        await link.close()

    run(main)
    assert "discarded unmatched response" in caplog.text


def test_a_malformed_frame_drops_the_connection() -> None:
    async def host(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await next_request(HostSession(), reader)
        body = b"\x60\x00\x00\x00\x03NOT-ISO-8583"
        writer.write(len(body).to_bytes(2, "big") + body)

    async def main() -> None:
        link = HostLink(LinkConfig(primary=HOST), connector=Scripted(host))
        with pytest.raises(RemoteProtocolError, match="malformed frame from host"):
            await link.exchange(sign_on(1))
        assert link.connected_to is None

    run(main)
