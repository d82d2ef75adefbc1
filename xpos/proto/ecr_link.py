"""The ECR link, terminal side: a sans-IO state machine over :mod:`xpos.proto.ecr` frames.

Theory of operation
-------------------
The till is the initiator, the terminal the responder. Bytes from the till go into
:meth:`EcrLink.feed`, the passing of time into :meth:`EcrLink.tick` (``now`` on every
call, seconds on any monotonic clock; :attr:`EcrLink.next_deadline` says when the shell
must call ``tick`` next). Both return :class:`Send` (bytes for the till),
:class:`Deliver` (a request the shell must run) and :class:`Note` (a line for the log).

* **Receiving.** :class:`FrameSplitter` cuts the byte stream into ACK, NAK and frames.
  A good frame is answered ACK; a bad one (length, ETX, LRC) NAK; bytes outside a frame
  (garbage) one NAK per :meth:`feed`. A frame started but not finished within
  ``char_timeout_s`` (a half frame) is dropped with a NAK, so the link never waits
  for bytes that will not come.
* **One request at a time.** A good request is delivered when none is running; the
  shell answers it with :meth:`EcrLink.respond` (always: the terminal's shell responds
  in a ``finally``). A *different* request while one runs is answered at once with
  ``RC=BY`` (busy); a request that cannot be read, with ``RC=BR``. The *same* frame
  again (the till missed our ACK) is only ACKed again. The same frame as the last
  completed request gets the last response again: a till's retry never runs a sale twice.
* **Sending.** A response is sent and waits ``ack_timeout_s`` for ACK. NAK or the
  timeout resends it, up to ``retries`` times; then the link gives up (a :class:`Note`)
  and is free again. A new frame from the till while waiting counts as the ACK.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xpos.errors import DecodeError
from xpos.proto.ecr import (
    ACK,
    ETX,
    NAK,
    STX,
    EcrRequest,
    EcrResponse,
    Result,
    decode_fields,
    decode_request,
    encode_frame,
    encode_response,
    frame_length,
    lrc,
)

CHAR_TIMEOUT_S = 2.0
ACK_TIMEOUT_S = 2.0
RETRIES = 3


@dataclass(frozen=True)
class Control:
    """An ACK or NAK byte from the other side."""

    byte: int


@dataclass(frozen=True)
class Frame:
    """A good frame: its DATA and its whole bytes."""

    data: bytes
    raw: bytes


@dataclass(frozen=True)
class BadFrame:
    """A frame that failed its checks (answer NAK)."""

    reason: str


@dataclass(frozen=True)
class Garbage:
    """Bytes outside any frame."""

    size: int


Token = Control | Frame | BadFrame | Garbage


class FrameSplitter:
    """Cuts a byte stream into :data:`Token` values (both sides of the link use it)."""

    def __init__(self) -> None:
        """An empty splitter."""
        self._buf = bytearray()

    @property
    def partial(self) -> bool:
        """A frame has started and is not complete yet."""
        return bool(self._buf)

    def reset(self) -> None:
        """Forget a partial frame."""
        self._buf.clear()

    def feed(self, data: bytes) -> list[Token]:
        """Add bytes; the tokens they complete, in order."""
        tokens: list[Token] = []
        garbage = 0
        for byte in data:
            if not self._buf:
                if byte == STX:
                    self._buf.append(byte)
                elif byte in (ACK, NAK):
                    garbage = self._flush(tokens, garbage)
                    tokens.append(Control(byte))
                else:
                    garbage += 1
                continue
            self._buf.append(byte)
            token = self._check()
            if token is not None:
                garbage = self._flush(tokens, garbage)
                tokens.append(token)
        self._flush(tokens, garbage)
        return tokens

    def _check(self) -> Token | None:
        if len(self._buf) < 3:
            return None
        try:
            size = frame_length(bytes(self._buf[1:3]))
        except DecodeError as exc:
            self._buf.clear()
            return BadFrame(str(exc))
        if len(self._buf) < size + 5:
            return None
        raw = bytes(self._buf)
        self._buf.clear()
        if raw[-2] != ETX:
            return BadFrame("no ETX where the length says")
        if lrc(raw[1:-1]) != raw[-1]:
            return BadFrame("LRC does not match")
        return Frame(data=raw[3:-2], raw=raw)

    @staticmethod
    def _flush(tokens: list[Token], garbage: int) -> int:
        if garbage:
            tokens.append(Garbage(garbage))
        return 0


@dataclass(frozen=True)
class Send:
    """Write these bytes to the till."""

    data: bytes


@dataclass(frozen=True)
class Deliver:
    """Run this request, then call :meth:`EcrLink.respond`."""

    request: EcrRequest


@dataclass(frozen=True)
class Note:
    """Something worth a log line (never card data: the link carries masked PANs only)."""

    text: str


Action = Send | Deliver | Note


@dataclass
class _Outgoing:
    frame: bytes
    deadline: float
    attempts: int = 1


@dataclass
class EcrLink:
    """The terminal's end of the ECR link (see the module's theory of operation).

    Args:
        char_timeout_s: How long a started frame may take to complete.
        ack_timeout_s: How long a response waits for ACK before it is resent.
        retries: Resends of a response (after NAK or timeout) before giving up.
    """

    char_timeout_s: float = CHAR_TIMEOUT_S
    ack_timeout_s: float = ACK_TIMEOUT_S
    retries: int = RETRIES
    _splitter: FrameSplitter = field(default_factory=FrameSplitter)
    _frame_deadline: float | None = None
    _outgoing: _Outgoing | None = None
    _running: EcrRequest | None = None
    _running_frame: bytes = b""
    _last: tuple[bytes, bytes] | None = None

    @property
    def busy(self) -> bool:
        """A request has been delivered and not yet responded to."""
        return self._running is not None

    @property
    def next_deadline(self) -> float | None:
        """When :meth:`tick` must be called next (None: no timer armed)."""
        times = [t for t in (self._frame_deadline,
                             self._outgoing.deadline if self._outgoing else None)
                 if t is not None]
        return min(times) if times else None

    def feed(self, data: bytes, now: float) -> list[Action]:
        """Bytes from the till."""
        actions: list[Action] = []
        for token in self._splitter.feed(data):
            if isinstance(token, Control):
                actions += self._control(token.byte, now)
            elif isinstance(token, Frame):
                actions.append(Send(bytes([ACK])))
                actions += self._frame(token, now)
            elif isinstance(token, BadFrame):
                actions += [Send(bytes([NAK])), Note(f"bad frame from the till: {token.reason}")]
            else:
                actions += [Send(bytes([NAK])), Note(f"{token.size} stray bytes from the till")]
        self._frame_deadline = now + self.char_timeout_s if self._splitter.partial else None
        return actions

    def tick(self, now: float) -> list[Action]:
        """Time has passed: drop a half frame, resend or give up a response."""
        actions: list[Action] = []
        if self._frame_deadline is not None and now >= self._frame_deadline:
            self._splitter.reset()
            self._frame_deadline = None
            actions += [Send(bytes([NAK])), Note("half a frame from the till: dropped")]
        if self._outgoing is not None and now >= self._outgoing.deadline:
            actions += self._resend(now, "no ACK")
        return actions

    def respond(self, response: EcrResponse, now: float) -> list[Action]:
        """Answer the running request (a response that replaces any unacknowledged one).

        Raises:
            RuntimeError: no request is running.
        """
        if self._running is None:
            raise RuntimeError("no ECR request is running")
        frame = encode_frame(encode_response(response))
        self._last = (self._running_frame, frame)
        self._running = None
        self._running_frame = b""
        return self._send(frame, now)

    # -- internals --------------------------------------------------------------------

    def _send(self, frame: bytes, now: float) -> list[Action]:
        self._outgoing = _Outgoing(frame=frame, deadline=now + self.ack_timeout_s)
        return [Send(frame)]

    def _control(self, byte: int, now: float) -> list[Action]:
        if self._outgoing is None:
            return []
        if byte == ACK:
            self._outgoing = None
            return []
        return self._resend(now, "NAK")

    def _resend(self, now: float, why: str) -> list[Action]:
        out = self._outgoing
        assert out is not None
        if out.attempts > self.retries:
            self._outgoing = None
            return [Note(f"response not acknowledged after {out.attempts} sends ({why}): "
                         "given up")]
        self._outgoing = replace(out, attempts=out.attempts + 1,
                                 deadline=now + self.ack_timeout_s)
        return [Send(out.frame)]

    def _frame(self, frame: Frame, now: float) -> list[Action]:
        self._outgoing = None  # a new frame: the till has our last response
        if self._running is not None and frame.raw == self._running_frame:
            return [Note("request repeated while it runs: ACKed again")]
        if self._last is not None and frame.raw == self._last[0]:
            return [Note("request repeated after its response: response sent again"),
                    *self._send(self._last[1], now)]
        try:
            request = decode_request(frame.data)
        except DecodeError as exc:
            return [Note(f"unreadable request: {exc}"),
                    *self._send(encode_frame(encode_response(_refusal(frame.data,
                                                                      Result.BAD_REQUEST,
                                                                      str(exc)))), now)]
        if self._running is not None:
            busy = EcrResponse(command=request.command, reference=request.reference,
                               result=Result.BUSY, text="busy")
            return [Note(f"{request.command} {request.reference} while busy: BY"),
                    *self._send(encode_frame(encode_response(busy)), now)]
        self._running = request
        self._running_frame = frame.raw
        return [Deliver(request)]


def _refusal(data: bytes, result: str, text: str) -> EcrResponse:
    """A response to an unreadable request, echoing what can be read of CM and RF."""
    try:
        fields = decode_fields(data)
    except DecodeError:
        fields = {}
    command = fields.get("CM", "")[:8]
    reference = fields.get("RF", "")[:20]
    return EcrResponse(command=command if command.isascii() else "",
                       reference=reference if reference.isascii() else "",
                       result=result, text=text[:200])
