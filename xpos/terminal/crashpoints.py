"""Named crash points: where the crash harness may kill the terminal with SIGKILL.

Theory of operation
-------------------
The money path of the shell calls :func:`crashpoint` with a name ``<kind>.<moment>``
(``sale.after_send``) at the instants where a power cut matters most: after the journal
row and its reversal are committed but before a byte is sent, after the request left,
after the answer arrived but before the journal knows it, after the journal committed
the outcome but before the slip prints, between the two slip copies. In a normal
process this is one dictionary lookup and nothing happens.

A process started with the environment variable ``XPOS_CRASH_AT=<name>[@<n>]`` (``n``
defaults to 1) kills itself with ``SIGKILL`` at the ``n``-th time it passes point
``name``: no ``finally``, no ``atexit``, no flush, exactly like a power cut. The hit
counts are the one piece of process-wide state here; they only ever change in such a
test process.

:data:`POINTS` is the registry the crash harness (:mod:`xpos.testing.crash`) reads:
every name in it becomes a column of the crash matrix. A new transaction kind joins the
matrix by passing the shared machinery (``TransactionService._begin`` / ``_finish``,
the host link, the runtime's printing), which already calls the points with its kind's
name, and by appending its names to :data:`POINTS` (one line).
"""

from __future__ import annotations

import os
import signal

from xpos.proto.catalogue import classify
from xpos.proto.codec import Message

ENV = "XPOS_CRASH_AT"
"""The environment variable that arms one crash point."""

MOMENTS = ("before_send", "after_send", "after_answer", "after_commit", "between_copies")
"""What each moment means, in order: journaled with its reversal, nothing sent yet; the
request was written to the host link; the answer was read, the journal does not know it
yet; the journal committed the outcome, no slip printed; the merchant copy printed (and
recorded), the customer copy not yet."""

SETTLE_MOMENTS = ("before_send", "after_send", "after_answer", "mid_upload")
"""A settlement's moments: its step (0500, 0320, batch end, X 0500) journaled with its
STAN, nothing sent (every step); the 0500 written to the host link; a step's answer
read, its progress not journaled (every step); a batch-upload 0320 answered and its
progress journaled, the next one not sent."""

REVERSAL_MOMENTS = ("before_send", "after_send", "after_answer")
"""A pending reversal's moments: its attempt counted, sent, answered but not finished."""

POINTS: tuple[str, ...] = (
    *(f"sale.{moment}" for moment in MOMENTS),
    *(f"void.{moment}" for moment in MOMENTS),
    *(f"reversal.{moment}" for moment in REVERSAL_MOMENTS),
    *(f"refund.{moment}" for moment in MOMENTS),
    *(f"completion.{moment}" for moment in MOMENTS),
    *(f"completion_void.{moment}" for moment in MOMENTS),
    *(f"settle.{moment}" for moment in SETTLE_MOMENTS),
)
"""Every named crash point (``<kind>.<moment>``); new kinds append theirs here."""

_hits: dict[str, int] = {}


def parse(spec: str) -> tuple[str, int]:
    """``"sale.after_send@3"`` → ``("sale.after_send", 3)``; no ``@`` means the first hit.

    Raises:
        ValueError: the count is not a positive integer or the name is empty.
    """
    name, _, count = spec.strip().partition("@")
    hits = int(count) if count else 1
    if not name or hits < 1:
        raise ValueError(f"{ENV}: expected <kind>.<moment>[@<n>], got {spec!r}")
    return name, hits


def crashpoint(name: str) -> None:
    """Pass crash point ``name``: kill this process if ``XPOS_CRASH_AT`` says so."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    wanted, at = parse(spec)
    if wanted != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] == at:
        os.kill(os.getpid(), signal.SIGKILL)


def after_send(request: Message) -> None:
    """Pass ``<kind>.after_send`` for a request just written to the host link."""
    if not os.environ.get(ENV):
        return
    kind = classify(request).value
    crashpoint(f"{kind}.after_send")


def after_print(document_name: str) -> None:
    """Pass ``<kind>.between_copies`` once the first copy of ``<kind>-<copy>`` printed."""
    kind, _, copy = document_name.partition("-")
    if copy == "merchant":
        crashpoint(f"{kind}.between_copies")
