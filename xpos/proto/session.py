"""Sans-IO sessions for the host link, in the style of h11: bytes in, events out.

Theory of operation
-------------------
Neither class does I/O or reads a clock. The shell writes what :meth:`send` returns,
passes what it reads to :meth:`receive_data`, drains :meth:`next_event` until it returns
``None`` ("need more data"), and calls :meth:`TerminalSession.tick` with the current
time to expire requests (:attr:`TerminalSession.next_deadline` says when it must next).

Terminal role (:class:`TerminalSession`):

1. ``send(request, now)`` stamps the request with the session's TPDU and header (the
   acquirer assigns them; :meth:`TerminalSession.stamp`), encodes and frames it, and
   remembers it under the
   correlation key ``(request MTI + 10, field 11, field 41)`` with a deadline of
   ``now + timeout_s``. Sending a second request with the same key while the first is
   outstanding, or sending a response MTI, is a :class:`~xpos.errors.LocalProtocolError`.
2. Each complete frame received is decoded and matched *when it arrives*:

   * key outstanding and :func:`~xpos.proto.catalogue.response_check` passes
     -> :class:`ResponseReceived`, and the request is no longer outstanding;
   * key outstanding but the check fails (amount, MID, missing 39 ...)
     -> :class:`UnmatchedResponse`; the request stays outstanding, so it either gets
     a consistent answer or times out (and the transaction layer reverses it);
   * key not outstanding (timed out earlier, never sent, or a request from the host)
     -> :class:`UnmatchedResponse`.

   An unmatched message is never paired with a request, so it cannot be applied to the
   wrong transaction.
3. ``tick(now)`` removes every request whose deadline has passed and returns
   :class:`RequestTimedOut` for each; the key is remembered (bounded) so that a response
   arriving later is reported as late.

Errors: a body that does not decode gives :class:`FrameError` (``fatal=False``; the
frame boundary is intact, the link may go on). A length prefix above the maximum frame
size gives ``FrameError(fatal=True)``: the byte stream can no longer be split, the
shell must close the connection, and every later ``receive_data`` reports it again.

Host role (:class:`HostSession`): each decoded frame is a :class:`RequestReceived`;
``send(response)`` frames a response MTI. Correlation is the terminal's job.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass

from xpos.errors import DecodeError, LocalProtocolError
from xpos.proto.catalogue import is_response, response_check, response_mti
from xpos.proto.codec import Message, decode_message, encode_message
from xpos.proto.framing import DEFAULT_MAX_FRAME, FrameReader, frame
from xpos.proto.routing import is_x_class

__all__ = [
    "FrameError",
    "HostEvent",
    "HostSession",
    "RequestReceived",
    "RequestTimedOut",
    "ResponseReceived",
    "SessionEvent",
    "TerminalSession",
    "UnmatchedResponse",
    "correlation_key",
]

CorrelationKey = tuple[str, str | None, str | None]
_LATE_MEMORY = 256


@dataclass(frozen=True, kw_only=True)
class ResponseReceived:
    """A response matched to its outstanding request and consistent with it."""

    request: Message
    response: Message


@dataclass(frozen=True, kw_only=True)
class UnmatchedResponse:
    """A message that answers no outstanding request (late, unknown or inconsistent).

    It must never be applied to a transaction.
    """

    message: Message
    reason: str


@dataclass(frozen=True, kw_only=True)
class FrameError:
    """Received bytes could not be decoded.

    Attributes:
        error: The decode error (field and position).
        fatal: The framing itself is lost; close the connection.
    """

    error: DecodeError
    fatal: bool = False


@dataclass(frozen=True, kw_only=True)
class RequestTimedOut:
    """An outstanding request passed its deadline without a consistent response."""

    request: Message


@dataclass(frozen=True, kw_only=True)
class RequestReceived:
    """Host side: a decoded message from the terminal."""

    message: Message


SessionEvent = ResponseReceived | UnmatchedResponse | FrameError
HostEvent = RequestReceived | FrameError


def correlation_key(msg: Message) -> CorrelationKey:
    """The key a response is matched on: (response MTI, field 11, field 41).

    For a request the MTI is first turned into its response MTI, so a request and its
    response have the same key.
    """
    mti = msg.mti if is_response(msg.mti) else response_mti(msg.mti)
    return (mti, msg.get(11), msg.get(41))


class _Receiver:
    """Framing and decoding shared by both roles."""

    def __init__(self, max_frame: int) -> None:
        self._reader = FrameReader(max_size=max_frame)

    def _receive(self, data: bytes) -> list[Message | FrameError]:
        was_broken = self._reader.error is not None
        try:
            bodies = self._reader.feed(data)
        except DecodeError as exc:
            return [FrameError(error=exc, fatal=True)]
        out: list[Message | FrameError] = [self._decode(body) for body in bodies]
        if not was_broken and self._reader.error is not None:
            out.append(FrameError(error=self._reader.error, fatal=True))
        return out

    @staticmethod
    def _decode(body: bytes) -> Message | FrameError:
        try:
            return decode_message(body)
        except DecodeError as exc:
            return FrameError(error=exc)


@dataclass(frozen=True, kw_only=True)
class _Outstanding:
    request: Message
    deadline: float


class TerminalSession(_Receiver):
    """The terminal side: sends requests, correlates responses, expires requests."""

    def __init__(self, *, timeout_s: float = 30.0, max_frame: int = DEFAULT_MAX_FRAME,
                 tpdu: str | None = None, header: str | None = None,
                 platform_tpdu: str | None = None) -> None:
        """Create a session.

        Args:
            timeout_s: How long a request waits for its response.
            max_frame: Largest frame body accepted.
            tpdu: TPDU put on every request (10 digits); ``None`` keeps the request's.
            header: Header put on every request (12 digits); ``None`` keeps the request's.
            platform_tpdu: TPDU put on every X-class request (:mod:`xpos.proto.routing`);
                ``None`` keeps the request's (the builders address the platform).
        """
        super().__init__(max_frame)
        self._timeout = timeout_s
        self._tpdu = tpdu
        self._platform_tpdu = platform_tpdu
        self._header = header
        self._outstanding: dict[CorrelationKey, _Outstanding] = {}
        self._expired: OrderedDict[CorrelationKey, None] = OrderedDict()
        self._events: deque[SessionEvent] = deque()

    @property
    def outstanding(self) -> tuple[Message, ...]:
        """Requests sent and not yet answered or timed out, oldest first."""
        return tuple(entry.request for entry in self._outstanding.values())

    @property
    def next_deadline(self) -> float | None:
        """The earliest deadline among outstanding requests, if any."""
        return min((e.deadline for e in self._outstanding.values()), default=None)

    def stamp(self, msg: Message) -> Message:
        """``msg`` with this session's TPDU and header (what :meth:`send` puts on the wire)."""
        # An X-class message goes to the platform's destination (xpos.proto.routing).
        tpdu = (self._platform_tpdu or msg.tpdu) if is_x_class(msg) else self._tpdu
        if tpdu in (None, msg.tpdu) and self._header in (None, msg.header):
            return msg
        return msg.replace(tpdu=tpdu, header=self._header)

    def send(self, msg: Message, *, now: float) -> bytes:
        """Stamp, encode and frame a request, and start waiting for its response.

        Raises:
            LocalProtocolError: ``msg`` is a response, lacks field 11 or 41, or its key is
                already outstanding.
            EncodeError: ``msg`` cannot be encoded (nothing is remembered).
        """
        msg = self.stamp(msg)
        data = frame(encode_message(msg))
        if is_response(msg.mti):
            raise LocalProtocolError(f"the terminal sends requests, not MTI {msg.mti}")
        key = correlation_key(msg)
        if key[1] is None or key[2] is None:
            raise LocalProtocolError("a request needs fields 11 and 41 to be correlated")
        if key in self._outstanding:
            raise LocalProtocolError(f"a request {key} is already outstanding")
        self._outstanding[key] = _Outstanding(request=msg, deadline=now + self._timeout)
        self._expired.pop(key, None)
        return data

    def receive_data(self, data: bytes) -> None:
        """Feed received bytes; complete frames become events."""
        for item in self._receive(data):
            self._events.append(item if isinstance(item, FrameError) else self._match(item))

    def next_event(self) -> SessionEvent | None:
        """The next event, or ``None`` when more data is needed."""
        return self._events.popleft() if self._events else None

    def tick(self, now: float) -> list[RequestTimedOut]:
        """Expire every outstanding request whose deadline is ``<= now``."""
        due = [key for key, entry in self._outstanding.items() if entry.deadline <= now]
        timed_out = [RequestTimedOut(request=self._outstanding.pop(key).request) for key in due]
        for key in due:
            self._expired[key] = None
            if len(self._expired) > _LATE_MEMORY:
                self._expired.popitem(last=False)
        return timed_out

    def _match(self, msg: Message) -> SessionEvent:
        key = correlation_key(msg)
        entry = self._outstanding.get(key) if is_response(msg.mti) else None
        if entry is None:
            late = key in self._expired
            reason = "late response: its request timed out" if late else "no matching request"
            return UnmatchedResponse(message=msg, reason=reason)
        problem = response_check(entry.request, msg)
        if problem is not None:
            return UnmatchedResponse(message=msg, reason=f"inconsistent response: {problem}")
        del self._outstanding[key]
        return ResponseReceived(request=entry.request, response=msg)


class HostSession(_Receiver):
    """The host side: decodes requests, frames responses."""

    def __init__(self, *, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        """Create a session.

        Args:
            max_frame: Largest frame body accepted.
        """
        super().__init__(max_frame)
        self._events: deque[HostEvent] = deque()

    def receive_data(self, data: bytes) -> None:
        """Feed received bytes; complete frames become events."""
        for item in self._receive(data):
            self._events.append(item if isinstance(item, FrameError)
                                else RequestReceived(message=item))

    def next_event(self) -> HostEvent | None:
        """The next event, or ``None`` when more data is needed."""
        return self._events.popleft() if self._events else None

    def send(self, msg: Message) -> bytes:
        """Encode and frame a response.

        Raises:
            LocalProtocolError: ``msg`` is not a response MTI.
            EncodeError: ``msg`` cannot be encoded.
        """
        if not is_response(msg.mti):
            raise LocalProtocolError(f"the host sends responses, not MTI {msg.mti}")
        return frame(encode_message(msg))
