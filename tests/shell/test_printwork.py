"""The printer thread: jobs off the loop, one at a time, in order; outcomes back on the loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

from xpos.drivers.fakes import FakePrinter
from xpos.errors import PaperOutError
from xpos.terminal.devslots import DeviceBoard, Slot
from xpos.terminal.printwork import PrintWorker, is_blocking
from xpos.terminal.standins import StandInPrinter

WAIT_S = 30.0


def test_jobs_run_on_one_thread_off_the_loop_in_order_and_never_overlap() -> None:
    async def main() -> None:
        worker = PrintWorker()
        gate, started = threading.Event(), threading.Event()
        seen: list[tuple[str, str]] = []

        def job(name: str) -> None:
            seen.append((name, threading.current_thread().name))
            if name == "first":
                started.set()
                assert gate.wait(WAIT_S)

        first = asyncio.create_task(worker.run(lambda: job("first")))
        second = asyncio.create_task(worker.run(lambda: job("second")))
        assert await asyncio.to_thread(started.wait, WAIT_S)
        for _ in range(20):  # the loop runs while the first job is stuck
            await asyncio.sleep(0)
        assert worker.in_flight == 2 and seen == [("first", "xpos-printer")]
        gate.set()
        assert await first is None and await second is None
        assert seen == [("first", "xpos-printer"), ("second", "xpos-printer")]
        assert worker.in_flight == 0
        await asyncio.wait_for(worker.wait_idle(), WAIT_S)
        worker.close()

    asyncio.run(main())


def test_what_a_job_raises_comes_back_as_its_outcome() -> None:
    async def main() -> None:
        worker = PrintWorker()

        def paper_out() -> None:
            raise PaperOutError("no paper")

        outcome = await worker.run(paper_out)
        assert isinstance(outcome, PaperOutError) and str(outcome) == "no paper"
        assert await worker.run(lambda: None) is None  # the thread lives on
        worker.close()

    asyncio.run(main())


def test_a_cancelled_wait_drops_the_outcome_and_the_worker_goes_on() -> None:
    async def main() -> None:
        worker = PrintWorker()
        gate, started, finished = threading.Event(), threading.Event(), threading.Event()

        def stuck() -> None:
            started.set()
            assert gate.wait(WAIT_S)
            finished.set()

        waiting = asyncio.create_task(worker.run(stuck))
        assert await asyncio.to_thread(started.wait, WAIT_S)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert worker.in_flight == 0
        gate.set()
        assert await asyncio.to_thread(finished.wait, WAIT_S)
        assert await worker.run(lambda: None) is None
        worker.close()

    asyncio.run(main())


def test_which_printers_are_printed_off_the_loop() -> None:
    assert not is_blocking(FakePrinter())  # fakes stay inline: virtual-clock determinism
    board = DeviceBoard()
    escpos = StandInPrinter(Slot("printer", "escpos+tcp://127.0.0.1:9", lambda: None, board),
                            "escpos+tcp://127.0.0.1:9")
    assert is_blocking(escpos)  # missing or not: opening it may block too
    fake = StandInPrinter(Slot("printer", "fake:", FakePrinter, board), "fake:")
    assert not is_blocking(fake)
