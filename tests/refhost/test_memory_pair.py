"""The in-memory pair: streams, the reference host serving a handed-over connection,
the TPDU swapped in its answers, and a transcript that stays bounded."""

from __future__ import annotations

import asyncio
from pathlib import Path

from xpos.proto.codec import Message
from xpos.proto.messages import sign_on_request
from xpos.proto.session import ResponseReceived, TerminalSession
from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost
from xpos.testing.memory import stream_pair


def test_bytes_cross_both_ways_and_closing_gives_the_peer_eof() -> None:
    async def main() -> None:
        (a_reader, a_writer), (b_reader, b_writer) = stream_pair()
        a_writer.write(b"ping")
        await a_writer.drain()
        assert await b_reader.read(10) == b"ping"
        b_writer.write(b"pong")
        assert await a_reader.readexactly(4) == b"pong"
        a_writer.close()
        await a_writer.wait_closed()
        assert await b_reader.read(10) == b""  # EOF
        b_writer.write(b"into the void")  # dropped, as on a socket the peer shut
        b_writer.close()
        assert await a_reader.read(10) == b""

    asyncio.run(main())


def test_the_host_serves_a_handed_over_pair_and_swaps_the_tpdu(tmp_path: Path) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=None)
        terminal_end, host_end = stream_pair()
        host.accept(*host_end)
        reader, writer = terminal_end
        session = TerminalSession(tpdu="6000120034")
        request = sign_on_request(stan=1, tid=DEMO.tid, mid=DEMO.mid, batch=1)
        writer.write(session.send(request, now=0.0))
        while (event := session.next_event()) is None:
            session.receive_data(await reader.read(4096))
        assert isinstance(event, ResponseReceived)
        assert event.request.tpdu == "6000120034"
        assert event.response.tpdu == "6000340012"  # destination and source swapped
        assert event.response.get(39) == "00"
        await host.stop()
        assert host.stopped and await reader.read(10) == b""  # stop closes it

    asyncio.run(main())


def _unsupported(stan: int) -> Message:
    """A request the host answers at once without touching its database (rc 40)."""
    return Message(mti="0820", fields={11: f"{stan:06d}", 41: DEMO.tid, 42: DEMO.mid})


def test_ten_thousand_transcript_entries_keep_it_capped(tmp_path: Path) -> None:
    async def main() -> None:
        host = ReferenceHost(tmp_path / "host.db", tls=None, transcript_cap=100)
        (reader, writer), host_end = stream_pair()
        host.accept(*host_end)
        session = TerminalSession()
        answered = 0
        for first in range(1, 5001, 500):  # 500 requests a write, 5 000 in all
            for stan in range(first, first + 500):
                writer.write(session.send(_unsupported(stan), now=0.0))
            while answered < first + 499:
                session.receive_data(await reader.read(65536))
                while session.next_event() is not None:
                    answered += 1
        assert answered == 5000  # a request and an answer each: 10 000 entries
        assert len(host.transcript) == 100
        assert [e.direction for e in list(host.transcript)[-2:]] == ["→host", "←host"]
        assert "005000" in host.transcript[-1].text
        await host.stop()

    asyncio.run(main())
