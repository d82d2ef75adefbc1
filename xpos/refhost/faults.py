"""Scriptable faults of the reference host, for tests and QA scenarios.

Theory of operation
-------------------
A :class:`FaultPlan` is a FIFO queue. Each call (``decline``, ``drop``, ``delay``,
``bad_mac``, ``close``) appends one fault that applies to exactly one future request:
the next request whose kind is in the fault's ``on`` set (by default the financial
requests: sale and voucher verification; pass ``on=`` to aim at reversals or sign-ons).
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


class FaultKind(enum.Enum):
    """What a fault does."""

    DECLINE = "decline"
    DROP = "drop"
    DELAY = "delay"
    BAD_MAC = "bad_mac"
    CLOSE = "close"
    MALFORMED = "malformed"
    TRUNCATED = "truncated"


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

    def clear(self) -> None:
        """Forget all planned faults."""
        self._queue.clear()

    def take(self, kind: MessageKind | None) -> Fault | None:
        """Remove and return the head fault if it applies to a request of ``kind``."""
        if kind is None or not self._queue or kind not in self._queue[0].on:
            return None
        return self._queue.popleft()


def corrupt_mac(msg: Message) -> Message:
    """The message with every bit of field 64 flipped (a MAC that cannot verify).

    A message without field 64 gets one of ``FF`` bytes.
    """
    mac = msg.get(64)
    if mac is None:
        return msg.replace(set={64: "FF" * 8})
    flipped = bytes(b ^ 0xFF for b in bytes.fromhex(mac))
    return msg.replace(set={64: flipped.hex().upper()})
