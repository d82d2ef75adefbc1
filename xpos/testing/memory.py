"""In-memory byte streams: a terminal joined to a reference host without sockets.

Theory of operation
-------------------
:func:`stream_pair` makes two connected ends, each a real
:class:`asyncio.StreamReader` / :class:`asyncio.StreamWriter` pair over a
:class:`_MemoryTransport`: what one end writes is fed straight into the other end's
reader; closing an end gives the other end EOF (``read`` returns ``b""``), and writes to
an end whose peer has closed are dropped, as on a socket that the peer has shut. Nothing
is framed, buffered or delayed here: both ends run the same proto sessions as over TCP.

:class:`MemoryNetwork` is the connector the terminal's host link uses
(:class:`~xpos.terminal.hostlink.Connector`): an address maps to a
:class:`~xpos.refhost.server.ReferenceHost`, which is handed the host end of a fresh
pair (:meth:`ReferenceHost.accept`), with the terminal identity the network carries (as a
client certificate would: the host then refuses, ``A7``, any request for another
terminal; without one the pair is a trusted line, like plain TCP). An address nobody
serves is refused with :class:`ConnectionRefusedError`, so primary -> backup behaves as on
a network.
"""

from __future__ import annotations

import asyncio
from typing import Any

from xpos.refhost.server import ReferenceHost
from xpos.security.pki import TerminalIdentity
from xpos.terminal.hostlink import HostAddress, Streams

__all__ = ["MemoryNetwork", "stream_pair"]


class _MemoryTransport(asyncio.Transport):
    """One end of an in-memory connection."""

    def __init__(self, protocol: asyncio.StreamReaderProtocol) -> None:
        super().__init__(extra={"peername": ("memory", 0)})
        self._protocol = protocol
        self.peer: _MemoryTransport | None = None
        self.reader: asyncio.StreamReader | None = None
        self._closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Hand the bytes to the peer's reader (dropped once either end is closed)."""
        peer = self.peer
        if self._closing or peer is None or peer._closing or not data:
            return
        assert peer.reader is not None
        peer.reader.feed_data(bytes(data))

    def is_closing(self) -> bool:
        """True once :meth:`close` was called."""
        return self._closing

    def close(self) -> None:
        """Close this end: the peer reads EOF; this end's protocol is told, as asyncio does."""
        if self._closing:
            return
        self._closing = True
        peer = self.peer
        if peer is not None and not peer._closing and peer.reader is not None:
            peer.reader.feed_eof()
        asyncio.get_running_loop().call_soon(self._protocol.connection_lost, None)

    def abort(self) -> None:
        """Same as :meth:`close`."""
        self.close()

    def is_reading(self) -> bool:
        """Always reading (nothing to pause)."""
        return True

    def pause_reading(self) -> None:
        """Nothing to pause: the peer writes straight into the reader."""

    def resume_reading(self) -> None:
        """Nothing to resume."""

    def get_write_buffer_size(self) -> int:
        """Writes are delivered at once."""
        return 0

    def can_write_eof(self) -> bool:
        """No half-close."""
        return False

    def set_write_buffer_limits(self, high: Any = None, low: Any = None) -> None:
        """Nothing is buffered."""


def _end() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, _MemoryTransport]:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    protocol = asyncio.StreamReaderProtocol(reader)
    transport = _MemoryTransport(protocol)
    transport.reader = reader
    protocol.connection_made(transport)
    return reader, asyncio.StreamWriter(transport, protocol, reader, loop), transport


def stream_pair() -> tuple[Streams, Streams]:
    """Two connected ends ``((reader, writer), (reader, writer))`` (needs a running loop)."""
    reader_a, writer_a, transport_a = _end()
    reader_b, writer_b, transport_b = _end()
    transport_a.peer, transport_b.peer = transport_b, transport_a
    return (reader_a, writer_a), (reader_b, writer_b)


class MemoryNetwork:
    """A connector that reaches reference hosts in memory, by address.

    Args:
        hosts: ``"host:port"`` to the reference host serving it.
        identity: The terminal every connection speaks for (what its certificate would
            name); ``None``: the connections are trusted lines.
    """

    def __init__(self, hosts: dict[str, ReferenceHost] | None = None, *,
                 identity: TerminalIdentity | None = None) -> None:
        self.hosts: dict[str, ReferenceHost] = dict(hosts or {})
        self.identity = identity
        self.connections = 0
        self.down: set[str] = set()
        self._open: dict[str, list[asyncio.StreamWriter]] = {}

    async def __call__(self, address: HostAddress) -> Streams:
        """Connect to the host at ``address``.

        Raises:
            ConnectionRefusedError: no host serves that address (or it was stopped).
        """
        host = self.hosts.get(str(address))
        if host is None or host.stopped or str(address) in self.down:
            raise ConnectionRefusedError(f"nothing serves {address} in memory")
        terminal_end, host_end = stream_pair()
        host.accept(*host_end, identity=self.identity)
        self.connections += 1
        live = [w for w in self._open.get(str(address), []) if not w.is_closing()]
        self._open[str(address)] = [*live, host_end[1]]
        return terminal_end

    def set_down(self, address: str, down: bool = True) -> None:
        """Test side: take the host at ``address`` off the network, or bring it back.

        Taking it down closes its open connections (the terminal reads EOF) and refuses
        new ones, as a host that went away would; the host itself (its data) is kept.
        """
        if not down:
            self.down.discard(address)
            return
        self.down.add(address)
        for writer in self._open.pop(address, []):
            writer.close()
