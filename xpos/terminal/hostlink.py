"""The terminal's host link: TCP + TLS 1.3 to the primary host, then the backup.

The link is the thin I/O shell around :class:`xpos.proto.session.TerminalSession`, which
does the framing and correlation. One connection is kept open and reused; a connection
found broken *before* a request is written is replaced (primary first, then backup). A
request already written is never re-sent by the link: if its response does not come,
the connection is closed (so a late response can never be read) and
:class:`~xpos.errors.HostTimeoutError` is raised; the transaction layer decides
(reversal). A response the session cannot match to the request is logged and discarded,
never applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from xpos.errors import HostTimeoutError, HostUnreachableError, RemoteProtocolError
from xpos.proto.codec import Message
from xpos.proto.session import (
    FrameError,
    ResponseReceived,
    TerminalSession,
    UnmatchedResponse,
)
from xpos.proto.transcript import describe
from xpos.terminal.clock import Clock, LoopClock

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class HostAddress:
    """One host endpoint."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, kw_only=True)
class LinkConfig:
    """How to reach the host.

    Attributes:
        primary: The primary host.
        backup: The backup host, tried when the primary cannot be reached.
        tls: Client TLS context (TLS 1.3, mutual auth). ``None`` means plain TCP, which
            must be configured explicitly (legacy private lines).
        server_hostname: Name checked against the host certificate.
        connect_timeout_s: Per-address connect (and handshake) timeout.
        response_timeout_s: How long to wait for a response.
    """

    primary: HostAddress
    backup: HostAddress | None = None
    tls: ssl.SSLContext | None = None
    server_hostname: str = "localhost"
    connect_timeout_s: float = 5.0
    response_timeout_s: float = 30.0


TrafficHook = Callable[[str, Message], None]


class HostLink:
    """Sends requests to the host and returns the correlated response."""

    def __init__(self, config: LinkConfig, *, on_traffic: TrafficHook | None = None,
                 clock: Clock | None = None) -> None:
        """Create the link; nothing connects until the first exchange.

        Args:
            config: Where and how to connect.
            on_traffic: Called with ``("→host" | "←host", message)`` for each message.
            clock: What the timeouts run on (default: the event loop's clock).
        """
        self._config = config
        self._clock: Clock = clock or LoopClock()
        self.awaiting_response = False
        self._on_traffic = on_traffic
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._session = TerminalSession(timeout_s=config.response_timeout_s)
        self._lock = asyncio.Lock()
        self.connected_to: HostAddress | None = None

    async def exchange(self, request: Message) -> Message:
        """Send one request and wait for its response.

        Raises:
            HostUnreachableError: no configured host could be reached.
            HostTimeoutError: the request was sent but no valid response came in time.
            RemoteProtocolError: the host sent a frame that could not be decoded.
        """
        async with self._lock:
            await self._ensure_connected()
            assert self._writer is not None
            data = self._session.send(request, now=self._clock.now())
            try:
                self._writer.write(data)
                await self._writer.drain()
            except OSError as exc:
                await self._drop()
                raise HostTimeoutError(f"connection lost while sending: {exc}") from exc
            self._traffic("→host", request)
            try:
                return await self._await_response(request, self._clock.now()
                                                  + self._config.response_timeout_s)
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

    async def _await_response(self, request: Message, deadline: float) -> Message:
        while True:
            event = self._session.next_event()
            if isinstance(event, ResponseReceived) and event.request is request:
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
            await self._read_more(request, deadline - self._clock.now())

    async def _read_more(self, request: Message, remaining: float) -> None:
        assert self._reader is not None
        try:
            if remaining <= 0:
                raise TimeoutError
            self.awaiting_response = True
            data = await self._clock.wait_for(self._reader.read(4096), remaining)
        except (TimeoutError, OSError) as exc:
            await self._drop()
            raise HostTimeoutError(f"no response from host for MTI {request.mti}") from exc
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
        for address in (self._config.primary, self._config.backup):
            if address is None:
                continue
            try:
                await self._connect(address)
                return
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                errors.append(f"{address}: {exc or type(exc).__name__}")
        raise HostUnreachableError("host unreachable: " + "; ".join(errors))

    async def _connect(self, address: HostAddress) -> None:
        cfg = self._config
        hostname = cfg.server_hostname if cfg.tls is not None else None
        self._reader, self._writer = await self._clock.wait_for(
            asyncio.open_connection(address.host, address.port, ssl=cfg.tls,
                                    server_hostname=hostname),
            cfg.connect_timeout_s)
        self._session = TerminalSession(timeout_s=cfg.response_timeout_s)
        self.connected_to = address

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
