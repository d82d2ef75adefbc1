"""The terminal's host link: a byte stream to the primary host, then the backup.

Theory of operation
-------------------
The link is the thin I/O shell around :class:`xpos.proto.session.TerminalSession`, which
does the framing, the correlation *and the deadlines*. How bytes reach a host is a
:class:`Connector`: :class:`TcpConnector` opens TCP with TLS 1.3 mutual authentication
(or plain TCP when configured); the test rig plugs in an in-memory connector
(:mod:`xpos.testing.memory`). Whatever the connector, the link behaves the same:

* One connection is kept open and reused; a connection found broken *before* a request
  is written is replaced (primary first, then backup). Each connection gets a fresh
  session stamped with that address's TPDU and the configured header.
* A request already written is never re-sent by the link.
* Time is an event: after sending, the link feeds the clock's ``now`` to
  :meth:`TerminalSession.tick` and waits for bytes only until the session's
  ``next_deadline``. When the session reports :class:`RequestTimedOut` for the request,
  the connection is closed (so a late response can never be read) and
  :class:`~xpos.errors.HostTimeoutError` is raised; the transaction layer decides
  (reversal). The clock may be a :class:`~xpos.terminal.clock.VirtualClock` (QA).
* A response the session cannot match to the request is logged and discarded, never
  applied. A frame that does not decode closes the connection
  (:class:`~xpos.errors.RemoteProtocolError`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from xpos.errors import HostTimeoutError, HostUnreachableError, RemoteProtocolError
from xpos.proto.codec import Message
from xpos.proto.session import (
    FrameError,
    ResponseReceived,
    TerminalSession,
    UnmatchedResponse,
    correlation_key,
)
from xpos.proto.transcript import describe
from xpos.terminal import crashpoints
from xpos.terminal.clock import Clock, LoopClock

log = logging.getLogger(__name__)

_READ_SIZE = 4096

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass(frozen=True, kw_only=True)
class HostAddress:
    """One host endpoint.

    Attributes:
        host: Name or IP address (or a name the connector knows, for in-memory hosts).
        port: TCP port.
        tpdu: The TPDU the acquirer assigned for this host (10 digits, ``60`` +
            destination + source); ``None`` keeps the codec's default.
        platform_tpdu: The TPDU of X-class messages (the platform's destination, the
            same source); ``None`` keeps the builders' (:mod:`xpos.proto.routing`).
    """

    host: str
    port: int
    tpdu: str | None = None
    platform_tpdu: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class Connector(Protocol):
    """Opens a byte stream to a host address (the link's transport seam)."""

    async def __call__(self, address: HostAddress) -> Streams:
        """Connect to ``address``.

        Raises:
            OSError: the host cannot be reached (refused, no route ...).
            ssl.SSLError: the TLS handshake failed.
        """
        ...


class TcpConnector:
    """TCP, with TLS 1.3 mutual authentication unless ``tls`` is ``None`` (plain TCP).

    Args:
        tls: Client TLS context; ``None`` means plain TCP (configured explicitly).
        server_hostname: Name checked against the host certificate.
    """

    def __init__(self, tls: ssl.SSLContext | None, server_hostname: str = "localhost") -> None:
        self._tls = tls
        self._hostname = server_hostname if tls is not None else None

    async def __call__(self, address: HostAddress) -> Streams:
        """Open the connection (and do the TLS handshake)."""
        return await asyncio.open_connection(address.host, address.port, ssl=self._tls,
                                             server_hostname=self._hostname)


@dataclass(frozen=True, kw_only=True)
class LinkConfig:
    """How to reach the host.

    Attributes:
        primary: The primary host.
        backup: The backup host, tried when the primary cannot be reached.
        tls: Client TLS context (TLS 1.3, mutual auth). ``None`` means plain TCP, which
            must be configured explicitly (legacy private lines). Used by the default
            connector only.
        server_hostname: Name checked against the host certificate.
        connect_timeout_s: Per-address connect (and handshake) timeout.
        response_timeout_s: How long to wait for a response.
        header: The 12-digit message header (reference §1.1); ``None`` keeps the
            codec's default.
    """

    primary: HostAddress
    backup: HostAddress | None = None
    tls: ssl.SSLContext | None = None
    server_hostname: str = "localhost"
    connect_timeout_s: float = 5.0
    response_timeout_s: float = 30.0
    header: str | None = None


TrafficHook = Callable[[str, Message], None]


class HostLink:
    """Sends requests to the host and returns the correlated response."""

    def __init__(self, config: LinkConfig, *, on_traffic: TrafficHook | None = None,
                 clock: Clock | None = None, connector: Connector | None = None) -> None:
        """Create the link; nothing connects until the first exchange.

        Args:
            config: Where and how to connect.
            on_traffic: Called with ``("→host" | "←host", message)`` for each message.
            clock: What the deadlines run on (default: the event loop's clock).
            connector: How to open a byte stream (default: :class:`TcpConnector` with
                ``config.tls``).
        """
        self._config = config
        self._clock: Clock = clock or LoopClock()
        self._connector: Connector = connector or TcpConnector(config.tls,
                                                               config.server_hostname)
        self.awaiting_response = False
        self._on_traffic = on_traffic
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._session = self._new_session(config.primary)
        self._lock = asyncio.Lock()
        self.connected_to: HostAddress | None = None

    async def exchange(self, request: Message) -> Message:
        """Send one request and wait for its response.

        The request goes out with the TPDU of the host connected to and the configured
        header.

        Raises:
            HostUnreachableError: no configured host could be reached.
            HostTimeoutError: the request was sent but no valid response came in time.
            RemoteProtocolError: the host sent a frame that could not be decoded.
        """
        async with self._lock:
            await self._ensure_connected()
            assert self._writer is not None
            request = self._session.stamp(request)
            data = self._session.send(request, now=self._clock.now())
            try:
                self._writer.write(data)
                await self._writer.drain()
            except OSError as exc:
                await self._drop()
                raise HostTimeoutError(f"connection lost while sending: {exc}") from exc
            self._traffic("→host", request)
            crashpoints.after_send(request)
            try:
                return await self._await_response(request)
            except asyncio.CancelledError:
                await self._drop()  # its answer must never reach a later request
                raise

    async def connect(self) -> None:
        """Make sure a connection is up (primary first, then backup).

        Raises:
            HostUnreachableError: no configured host could be reached.
        """
        async with self._lock:
            await self._ensure_connected()

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        await self._drop()

    async def _await_response(self, request: Message) -> Message:
        key = correlation_key(request)
        while True:
            event = self._session.next_event()
            if isinstance(event, ResponseReceived) and correlation_key(event.request) == key:
                self._traffic("←host", event.response)
                return event.response
            if isinstance(event, ResponseReceived):
                log.warning("discarded a response to an earlier request: %s",
                            describe(event.response))
                continue
            if isinstance(event, UnmatchedResponse):
                log.warning("discarded unmatched response: %s (%s)",
                            describe(event.message), event.reason)
                continue
            if isinstance(event, FrameError):
                await self._drop()
                raise RemoteProtocolError(f"malformed frame from host: {event.error}")
            await self._read_more(request, self._clock.now())

    async def _read_more(self, request: Message, now: float) -> None:
        """Read more bytes, or act on the session's deadline for ``request``."""
        if any(correlation_key(t.request) == correlation_key(request)
               for t in self._session.tick(now)):
            await self._drop()
            raise HostTimeoutError(f"no response from host for MTI {request.mti}")
        deadline = self._session.next_deadline
        assert self._reader is not None and deadline is not None
        try:
            self.awaiting_response = True
            data = await self._clock.wait_for(self._reader.read(_READ_SIZE), deadline - now)
        except TimeoutError:
            # The clock reached the deadline: the session says which request timed out.
            await self._read_more(request, max(self._clock.now(), deadline))
            return
        except OSError as exc:
            await self._drop()
            raise HostTimeoutError(f"connection lost awaiting MTI {request.mti}: {exc}") from exc
        finally:
            self.awaiting_response = False
        if not data:
            await self._drop()
            raise HostTimeoutError("host closed the connection before responding")
        self._session.receive_data(data)

    async def _ensure_connected(self) -> None:
        if (self._writer is not None and self._reader is not None
                and not self._writer.is_closing() and not self._reader.at_eof()):
            return
        await self._drop()
        errors: list[str] = []
        cause: BaseException | None = None
        for address in (self._config.primary, self._config.backup):
            if address is None:
                continue
            try:
                await self._connect(address)
                return
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                errors.append(f"{address}: {_reason(exc)}")
                if cause is None or not isinstance(cause, ssl.SSLError):
                    cause = exc  # a TLS failure is the more telling cause
        raise HostUnreachableError("host unreachable: " + "; ".join(errors)) from cause

    async def _connect(self, address: HostAddress) -> None:
        self._reader, self._writer = await self._clock.wait_for(
            self._connector(address), self._config.connect_timeout_s)
        self._session = self._new_session(address)
        self.connected_to = address

    def _new_session(self, address: HostAddress) -> TerminalSession:
        return TerminalSession(timeout_s=self._config.response_timeout_s,
                               tpdu=address.tpdu, header=self._config.header,
                               platform_tpdu=address.platform_tpdu)

    async def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        self.connected_to = None
        if writer is None:
            return
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 1.0)

    def _traffic(self, direction: str, message: Message) -> None:
        if self._on_traffic is not None:
            self._on_traffic(direction, message)


def _reason(exc: BaseException) -> str:
    """Why a connection attempt failed, in words (TLS failures say so)."""
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc}"
    return str(exc) or type(exc).__name__
