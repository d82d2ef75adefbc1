"""Scriptable faults of the reference host, for tests and QA scenarios.

Theory of operation
-------------------
A :class:`FaultPlan` is a FIFO queue. Each call (``decline``, ``drop``, ``delay``,
``bad_mac``, ``close``) appends one fault that applies to exactly one future request:
the next request whose kind is in the fault's ``on`` set (by default :data:`FINANCIAL`:
every request that moves money or voucher items, and the balance inquiry; pass ``on=``
to aim at reversals, sign-ons, queries or notices).
Only the head of the queue is ever considered, so faults apply in the order they were
planned; a request of another kind passes the head untouched.

What each fault does to that request:

* ``decline(code)`` — the request is *not* processed (no debit, no redemption); the host
  answers with ``code`` in field 39 (MAC'd as usual).
* ``drop()`` — processed normally, but the answer is never sent (the response was lost:
  money moved, the terminal must reverse).
* ``delay(seconds)`` — processed normally; the server awaits its (injectable) sleep
  function for ``seconds`` before sending the answer.
* ``bad_mac()`` — processed normally; field 64 of the answer is corrupted.
* ``close()`` — processed normally; the server closes the connection instead of
  answering.
* ``bad_tlv()`` / ``unknown_step()`` (X3 session messages) — processed normally; the
  answer's field 62 is malformed TLV, or its step type is ``ZZZ``; MAC'd again.
* ``malformed()`` — processed normally; a well-framed body that is not ISO 8583 is sent.
* ``truncated()`` — processed normally; half the answer frame is sent, then the
  connection is closed.
* ``garbage()`` — processed normally; bytes that are not even a frame (a length prefix
  beyond any frame limit, then noise) are sent instead of the answer.
* ``duplicate()`` — processed normally; the answer frame is sent twice.
* ``late()`` — processed normally; the answer is held back and sent, stale, on the next
  answer the host writes to any connection (after the terminal gave up and reconnected),
  just before that answer.
* ``unbalanced()`` — (a settlement, by default) the host first books an approved sale
  the terminal never journaled (:func:`xpos.refhost.settle.book_unjournaled`), then
  processes the request: its totals really disagree.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

from xpos.proto.codec import Message
from xpos.proto.messages import MessageKind

FINANCIAL: frozenset[MessageKind] = frozenset({MessageKind.SALE, MessageKind.VOID,
                                               MessageKind.VOUCHER_VERIFY,
                                               MessageKind.REFUND, MessageKind.BALANCE})
FINANCIAL |= {MessageKind.PREAUTH, MessageKind.PREAUTH_VOID, MessageKind.COMPLETION,
              MessageKind.COMPLETION_VOID}  # the pre-authorisation family
FINANCIAL |= {MessageKind.VOUCHER_VOID,  # X1 void: puts items back (a void's twin)
              MessageKind.PARTY_DEBIT}   # X2 third-party debit: moves money
"""The default target of a fault: every request that moves money or voucher items (sale,
void, refund, the pre-authorisation family, voucher redemption and its X void, the X2
third-party debit) and the balance inquiry, a card transaction of its own. Not in it:
sign-on, reversals, settlement and batch upload, the questions and notices around a
transaction (X1 voucher query, X2 order query and order-paid notice) and X3 sessions, so
a fault planned before a redemption meets the redemption, not the query before it."""


X3: frozenset[MessageKind] = frozenset({MessageKind.SESSION_OPEN, MessageKind.SESSION_STEP})
"""The X3 session messages (the default target of ``bad_tlv`` and ``unknown_step``)."""


class FaultKind(enum.Enum):
    """What a fault does."""

    DECLINE = "decline"
    DROP = "drop"
    DELAY = "delay"
    BAD_MAC = "bad_mac"
    CLOSE = "close"
    MALFORMED = "malformed"
    TRUNCATED = "truncated"
    BAD_TLV = "bad_tlv"
    UNKNOWN_STEP = "unknown_step"
    GARBAGE = "garbage"
    DUPLICATE = "duplicate"
    LATE = "late"
    UNBALANCED = "unbalanced"


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One planned fault.

    Attributes:
        kind: What it does.
        on: The request kinds it may apply to.
        code: The response code of a ``DECLINE``.
        seconds: The wait of a ``DELAY``.
    """

    kind: FaultKind
    on: frozenset[MessageKind] = FINANCIAL
    code: str = ""
    seconds: float = 0.0


class FaultPlan:
    """A queue of faults for the next matching requests (see the module docstring).

    Every planning method returns the plan, so calls chain:
    ``host.faults.drop().decline("05")``.
    """

    def __init__(self) -> None:
        """Start with no faults."""
        self._queue: deque[Fault] = deque()
        self._held: list[bytes] = []

    def __len__(self) -> int:
        """The number of faults not applied yet."""
        return len(self._queue)

    @property
    def pending(self) -> tuple[Fault, ...]:
        """The faults not applied yet, next first."""
        return tuple(self._queue)

    def add(self, fault: Fault) -> FaultPlan:
        """Append a fault."""
        self._queue.append(fault)
        return self

    def decline(self, code: str = "05", *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Answer the next matching request with ``code`` without processing it.

        Raises:
            ValueError: if ``code`` is not two printable characters.
        """
        if len(code) != 2 or not code.isascii() or not code.isprintable():
            raise ValueError(f"a response code is two characters, not {code!r}")
        return self.add(Fault(kind=FaultKind.DECLINE, on=on, code=code))

    def drop(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Process the next matching request but send no answer."""
        return self.add(Fault(kind=FaultKind.DROP, on=on))

    def delay(self, seconds: float, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Wait ``seconds`` before answering the next matching request.

        Raises:
            ValueError: for a negative delay.
        """
        if seconds < 0:
            raise ValueError("a delay cannot be negative")
        return self.add(Fault(kind=FaultKind.DELAY, on=on, seconds=seconds))

    def bad_mac(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Corrupt the MAC of the answer to the next matching request."""
        return self.add(Fault(kind=FaultKind.BAD_MAC, on=on))

    def close(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Close the connection instead of answering the next matching request."""
        return self.add(Fault(kind=FaultKind.CLOSE, on=on))

    def malformed(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Answer the next matching request with a well-framed body that is not ISO 8583."""
        return self.add(Fault(kind=FaultKind.MALFORMED, on=on))

    def truncated(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Send only the first half of the answer frame, then close the connection."""
        return self.add(Fault(kind=FaultKind.TRUNCATED, on=on))

    def bad_tlv(self, *, on: frozenset[MessageKind] = X3) -> FaultPlan:
        """Process the next X3 message; its answer's field 62 is malformed TLV (MAC'd)."""
        return self.add(Fault(kind=FaultKind.BAD_TLV, on=on))

    def unknown_step(self, *, on: frozenset[MessageKind] = X3) -> FaultPlan:
        """Process the next X3 message; its answer's step type becomes ``ZZZ`` (MAC'd)."""
        return self.add(Fault(kind=FaultKind.UNKNOWN_STEP, on=on))

    def clear(self) -> None:
        """Forget all planned faults."""
        self._queue.clear()

    def unbalanced(self, *, on: frozenset[MessageKind] = frozenset({MessageKind.SETTLE})
                   ) -> FaultPlan:
        """Book a sale the terminal never journaled when the next settlement arrives."""
        return self.add(Fault(kind=FaultKind.UNBALANCED, on=on))

    def take(self, kind: MessageKind | None) -> Fault | None:
        """Remove and return the head fault if it applies to a request of ``kind``."""
        if kind is None or not self._queue or kind not in self._queue[0].on:
            return None
        return self._queue.popleft()

    def garbage(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Send bytes that are not a frame instead of the answer to the next matching one."""
        return self.add(Fault(kind=FaultKind.GARBAGE, on=on))

    def duplicate(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Send the answer to the next matching request twice."""
        return self.add(Fault(kind=FaultKind.DUPLICATE, on=on))

    def late(self, *, on: frozenset[MessageKind] = FINANCIAL) -> FaultPlan:
        """Hold the answer to the next matching request back until the host's next answer."""
        return self.add(Fault(kind=FaultKind.LATE, on=on))

    def wire(self, kind: FaultKind, data: bytes) -> bytes:
        """The bytes to write for an answer framed as ``data`` under wire fault ``kind``."""
        if kind is FaultKind.GARBAGE:
            return GARBAGE_BYTES
        if kind is FaultKind.DUPLICATE:
            return data + data
        self._held.append(data)
        return b""

    def release_held(self) -> bytes:
        """Answers held back by ``late()``, to write before the next answer (once)."""
        held, self._held = b"".join(self._held), []
        return held


def corrupt_mac(msg: Message) -> Message:
    """The message with every bit of field 64 flipped (a MAC that cannot verify).

    A message without field 64 gets one of ``FF`` bytes.
    """
    mac = msg.get(64)
    if mac is None:
        return msg.replace(set={64: "FF" * 8})
    flipped = bytes(b ^ 0xFF for b in bytes.fromhex(mac))
    return msg.replace(set={64: flipped.hex().upper()})



WIRE_FAULTS = frozenset({FaultKind.GARBAGE, FaultKind.DUPLICATE, FaultKind.LATE})
"""Faults applied to the answer's bytes by :meth:`FaultPlan.wire` (the server asks)."""
GARBAGE_BYTES = b"\xff\xfe" + bytes(range(0x80, 0xA0))
"""What ``garbage()`` sends: a length prefix far beyond any frame limit, then noise."""
WIRE_NOTES = {FaultKind.GARBAGE: "bytes that are not a frame sent instead of the answer",
              FaultKind.DUPLICATE: "answer sent twice",
              FaultKind.LATE: "answer held back until the next answer"}
"""The transcript note of each wire fault."""
