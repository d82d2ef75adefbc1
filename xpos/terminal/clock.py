"""Monotonic time for the shell: the event loop's clock, or a simulated one.

Theory of operation
-------------------
Everything in the shell that waits on time (a step's timeout in
:class:`~xpos.terminal.runtime.Terminal`, the host link's connect and response timeouts, the
reference host's ``delay`` fault) asks a :class:`Clock` instead of calling
``asyncio.sleep`` / ``asyncio.wait_for`` itself. :class:`LoopClock` is the real thing.
:class:`VirtualClock` only moves when told: each ``sleep`` registers a timer, and
:meth:`VirtualClock.advance_to` wakes, in deadline order, every timer that falls due.
The QA runner advances it only when the terminal has settled (nothing can happen any
more except the passing of time), so a scenario that waits 40 simulated seconds for a
host runs in milliseconds and always the same way.

The core never sees a clock: it gets ``now`` inside its events.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Awaitable
from typing import Protocol, TypeVar

_T = TypeVar("_T")


class Clock(Protocol):
    """Monotonic seconds plus the two ways the shell waits on them."""

    @property
    def virtual(self) -> bool:
        """True when time moves only when told (simulated time)."""
        ...

    def now(self) -> float:
        """Monotonic seconds (only differences mean anything)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...

    async def wait_for(self, awaitable: Awaitable[_T], timeout: float) -> _T:
        """Await ``awaitable`` for at most ``timeout`` seconds.

        Raises:
            TimeoutError: the time ran out first (the awaitable is cancelled).
        """
        ...


class LoopClock:
    """The running event loop's clock: real time."""

    virtual = False

    def now(self) -> float:
        """The loop's monotonic time."""
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        """``asyncio.sleep``."""
        await asyncio.sleep(seconds)

    async def wait_for(self, awaitable: Awaitable[_T], timeout: float) -> _T:
        """``asyncio.wait_for``."""
        return await asyncio.wait_for(awaitable, timeout)


class VirtualClock:
    """Simulated time: sleeps end only when :meth:`advance_to` passes their deadline.

    Args:
        start: The initial reading.
    """

    virtual = True

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        """The simulated time."""
        return self._now

    def next_deadline(self) -> float | None:
        """When the earliest pending sleep ends, or None if nothing sleeps."""
        self._prune()
        return self._timers[0][0] if self._timers else None

    @property
    def sleepers(self) -> int:
        """How many sleeps are pending."""
        self._prune()
        return len(self._timers)

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock is advanced ``seconds`` past now (0 or less: yield once)."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        timer = self._timer(seconds)
        try:
            await timer
        finally:
            timer.cancel()  # a cancelled sleep leaves a done future: pruned later

    async def wait_for(self, awaitable: Awaitable[_T], timeout: float) -> _T:
        """Await ``awaitable`` until the clock passes ``now + timeout`` (now = this call).

        Raises:
            TimeoutError: the clock passed the deadline first.
        """
        timer = self._timer(max(timeout, 0.0))
        task = asyncio.ensure_future(awaitable)
        try:
            await asyncio.wait((task, timer), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            timer.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise TimeoutError

    def _timer(self, seconds: float) -> asyncio.Future[None]:
        """A future the clock resolves ``seconds`` from now (registered at once)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self._now + seconds, next(self._seq), future))
        return future

    def advance_to(self, when: float) -> int:
        """Move the clock to ``when``, waking every sleep due by then.

        The clock stops at each due deadline in order, so a sleeper reads its own
        deadline as ``now`` only if the caller lets the loop run between deadlines; the
        QA runner advances one deadline at a time and settles in between.

        Returns:
            How many sleeps were woken.
        """
        woken = 0
        while self._timers and self._timers[0][0] <= when:
            deadline, _, future = heapq.heappop(self._timers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
                woken += 1
        self._now = max(self._now, when)
        return woken

    def advance(self, seconds: float) -> int:
        """Move the clock ``seconds`` forward (see :meth:`advance_to`)."""
        return self.advance_to(self._now + seconds)

    def _prune(self) -> None:
        while self._timers and self._timers[0][2].done():
            heapq.heappop(self._timers)
