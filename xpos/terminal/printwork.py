"""Print jobs off the event loop: one printer thread for drivers that block.

Theory of operation
-------------------
A real ESC/POS printer (:mod:`xpos.drivers.escpos_printer`) asks ``DLE EOT`` before and
after each job and waits up to its timeout (3 s by default) for every answer; a printer
that is off or slow would hold the event loop for seconds, and with it the host link,
pending reversals, the till's ECR port (a till waiting for its ACK), the keypad and the
service watchdog. A printer driver that can block says so with a ``blocking = True``
attribute (:func:`is_blocking`); the terminal then hands its ``print_bytes`` call to the
:class:`PrintWorker`:

* **One thread, one job at a time.** The worker owns one daemon thread, started on the
  first job, that takes jobs from a queue in order: two jobs never overlap on the
  printer. (The print step waits for its job's answer anyway; the queue makes it hold
  whatever the caller does.)
* **Only the driver call moves.** Rendering, journaling the slip before it is printed,
  ``mark_printed``, the crash point and the ``PrintDone`` event stay on the loop thread
  (SQLite connections and the core are single-threaded): :meth:`PrintWorker.run`
  awaits the job's outcome -- ``None`` or the exception it raised -- on the loop.
* **Settling.** :attr:`PrintWorker.in_flight` counts jobs handed over and not yet
  answered; :meth:`PrintWorker.wait_idle` resolves when there are none. The terminal's
  ``settle`` treats a job in flight as work in progress.
* **Cancelled or closed.** A thread cannot be interrupted: an awaiting task that is
  cancelled (the terminal closes) stops waiting, and the job runs on until the driver
  returns (bounded by the driver's timeout); its outcome is then dropped. The thread is
  a daemon, so a printer that never answers cannot keep the process from exiting.

Drivers without the attribute (the fakes, the in-memory and file printers of the rig,
the QA runner and the emulator) are still called inline, so virtual-clock runs stay
deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Job = Callable[[], None]
_Item = tuple[Job, asyncio.AbstractEventLoop, "asyncio.Future[BaseException | None]"]


def is_blocking(printer: object) -> bool:
    """True when ``printer`` says its ``print_bytes`` may block (``blocking = True``)."""
    return getattr(printer, "blocking", False) is True


class PrintWorker:
    """Runs blocking print jobs on one printer thread, in order (see the module doc)."""

    def __init__(self) -> None:
        """A worker with no thread yet (it starts with the first job)."""
        self._jobs: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def in_flight(self) -> int:
        """Jobs handed to the thread whose outcome the loop has not taken yet."""
        return self._in_flight

    async def wait_idle(self) -> None:
        """Wait until no job is in flight (at once if none is)."""
        await self._idle.wait()

    async def run(self, job: Job) -> BaseException | None:
        """Run ``job`` on the printer thread and wait for it without blocking the loop.

        Returns:
            ``None`` if the job returned, else the exception it raised (not re-raised:
            the caller decides what a failed print means).
        """
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[BaseException | None] = loop.create_future()
        self._start()
        self._in_flight += 1
        self._idle.clear()
        try:
            self._jobs.put((job, loop, outcome))
            return await outcome
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    def close(self) -> None:
        """Let the thread end once it has finished the job it is on (idempotent)."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, args=(self._jobs,),
                                            name="xpos-printer", daemon=True)
            self._thread.start()

    @staticmethod
    def _serve(jobs: queue.SimpleQueue[_Item | None]) -> None:
        while (item := jobs.get()) is not None:
            job, loop, outcome = item
            error: BaseException | None = None
            try:
                job()
            except Exception as exc:  # handed to the loop, which decides
                error = exc
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(_settle, outcome, error)


def _settle(outcome: asyncio.Future[BaseException | None], error: BaseException | None) -> None:
    if not outcome.done():  # the awaiting task may have been cancelled
        outcome.set_result(error)
