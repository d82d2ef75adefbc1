"""A till (cash register) to drive the terminal's ECR port: tests, the emulator, by hand.

:class:`Till` is the till's end of the ECR link: it sends a request frame, waits for the
terminal's ACK (resending on NAK, up to 3 times), then waits for the response frame and
ACKs it. It runs over any pair of byte functions: a :class:`MemoryEcrPort` (the
terminal's port in the same process), a pty, a TCP connection.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Awaitable, Callable

from xpos.errors import DecodeError, DeviceError
from xpos.proto.ecr import (
    ACK,
    NAK,
    EcrRequest,
    EcrResponse,
    decode_response,
    encode_frame,
    encode_request,
)
from xpos.proto.ecr_link import Control, Frame, FrameSplitter, Token
from xpos.terminal.ecr import EcrService
from xpos.terminal.runtime import Terminal

TILL_TIMEOUT_S = 30.0
"""Real seconds a till waits for an ACK or a response before it gives up."""

Send = Callable[[bytes], Awaitable[None]]
Receive = Callable[[], Awaitable[bytes]]


class TillError(DeviceError):
    """The terminal did not acknowledge or answer as the protocol says."""


class MemoryEcrPort:
    """The terminal's ECR port in memory; :meth:`till` gives the till's end of it."""

    name = "memory"

    def __init__(self) -> None:
        """A connected pair, nothing sent yet."""
        self._to_terminal: asyncio.Queue[bytes] = asyncio.Queue()
        self._to_till: asyncio.Queue[bytes] = asyncio.Queue()
        self.closed = False
        self.sent: list[bytes] = []
        self._till: Till | None = None

    async def read(self) -> bytes:
        """Bytes from the till; an unplugged port raises :class:`DeviceError`."""
        data = await self._to_terminal.get()
        if not data:
            raise DeviceError("ECR memory port unplugged")
        return data

    async def write(self, data: bytes) -> None:
        """Bytes to the till."""
        self.sent.append(data)
        self._to_till.put_nowait(data)

    def close(self) -> None:
        """Mark the port closed."""
        self.closed = True

    def unplug(self) -> None:
        """Make the terminal's pending read fail, as a pulled cable does."""
        self._to_terminal.put_nowait(b"")

    async def till_send(self, data: bytes) -> None:
        """The till writes ``data`` (garbage and half frames too)."""
        self._to_terminal.put_nowait(data)

    async def till_receive(self) -> bytes:
        """What the terminal wrote next."""
        return await self._to_till.get()

    def till(self) -> Till:
        """The till at the other end (the same one on every call)."""
        if self._till is None:
            self._till = Till(self.till_send, self.till_receive)
        return self._till


class Till:
    """The till's end of the ECR link (see the module docstring)."""

    def __init__(self, send: Send, receive: Receive, *, timeout_s: float = TILL_TIMEOUT_S,
                 retries: int = 3) -> None:
        """A till over these byte functions."""
        self._send = send
        self._receive = receive
        self._timeout = timeout_s
        self._retries = retries
        self._splitter = FrameSplitter()
        self._tokens: collections.deque[Token] = collections.deque()

    async def send(self, request: EcrRequest) -> None:
        """Send a request and wait for its ACK.

        Raises:
            TillError: NAK after every retry, or no ACK in time.
        """
        await self.send_frame(encode_frame(encode_request(request)))

    async def send_frame(self, frame: bytes) -> None:
        """Send a frame as it is and wait for its ACK (see :meth:`send`)."""
        for _ in range(self._retries + 1):
            await self._send(frame)
            token = await self._next((Control,))
            if isinstance(token, Control) and token.byte == ACK:
                return
        raise TillError("the terminal refused the request (NAK) after every retry")

    async def response(self) -> EcrResponse:
        """Wait for the response, ACK it and return it.

        Raises:
            TillError: no response in time, or one that cannot be read (NAKed).
        """
        while True:
            token = await self._next((Frame,))
            assert isinstance(token, Frame)
            try:
                answer = decode_response(token.data)
            except DecodeError as exc:
                await self._send(bytes([NAK]))
                raise TillError(f"unreadable response: {exc}") from exc
            await self._send(bytes([ACK]))
            return answer

    async def request(self, request: EcrRequest) -> EcrResponse:
        """:meth:`send` then :meth:`response`."""
        await self.send(request)
        return await self.response()

    async def _next(self, kinds: tuple[type, ...]) -> Token:
        while True:
            while self._tokens:
                token = self._tokens.popleft()
                if isinstance(token, kinds):
                    return token
            try:
                data = await asyncio.wait_for(self._receive(), self._timeout)
            except TimeoutError:
                raise TillError("no answer from the terminal in time") from None
            self._tokens.extend(self._splitter.feed(data))


async def ecr_idle_loop(terminal: Terminal, port: MemoryEcrPort) -> None:
    """The terminal's idle loop with its ECR port on ``port`` (what the rig runs)."""

    async def opener() -> MemoryEcrPort:
        return port

    await EcrService(terminal, opener=opener).run_forever()
