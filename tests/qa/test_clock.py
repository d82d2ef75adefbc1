import asyncio

import pytest

from xpos.terminal.clock import LoopClock, VirtualClock


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_virtual_sleep_ends_only_when_advanced_past_its_deadline() -> None:
    async def main() -> list[str]:
        clock = VirtualClock(start=100.0)
        woke: list[str] = []

        async def sleeper(name: str, seconds: float) -> None:
            await clock.sleep(seconds)
            woke.append(f"{name}@{clock.now():g}")

        tasks = [asyncio.create_task(sleeper("b", 20)), asyncio.create_task(sleeper("a", 10))]
        await asyncio.sleep(0)
        assert clock.next_deadline() == 110.0
        assert clock.sleepers == 2
        assert clock.advance(9.5) == 0
        await asyncio.sleep(0)
        assert woke == []
        assert clock.advance_to(110.0) == 1
        await asyncio.sleep(0)
        assert clock.advance_to(200.0) == 1
        await asyncio.gather(*tasks)
        assert clock.now() == 200.0
        return woke

    assert run(main()) == ["a@110", "b@200"]


def test_virtual_wait_for_returns_the_result_or_times_out_on_the_clock() -> None:
    async def main() -> None:
        clock = VirtualClock()
        queue: asyncio.Queue[int] = asyncio.Queue()
        waiter = asyncio.create_task(clock.wait_for(queue.get(), 30))
        await asyncio.sleep(0)
        queue.put_nowait(7)
        assert await waiter == 7
        assert clock.sleepers == 0  # the timer was cancelled and pruned

        waiter = asyncio.create_task(clock.wait_for(queue.get(), 30))
        await asyncio.sleep(0)
        clock.advance(29)
        await asyncio.sleep(0)
        assert not waiter.done()
        clock.advance(1)
        with pytest.raises(TimeoutError):
            await waiter
        queue.put_nowait(8)  # the cancelled get did not swallow a later item
        assert queue.get_nowait() == 8

    run(main())


def test_cancelling_a_virtual_wait_for_cancels_the_awaited_task() -> None:
    async def main() -> None:
        clock = VirtualClock()
        inner_cancelled = asyncio.Event()

        async def forever() -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                inner_cancelled.set()
                raise

        waiter = asyncio.create_task(clock.wait_for(forever(), 5))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await asyncio.sleep(0)
        assert inner_cancelled.is_set()

    run(main())


def test_zero_sleep_only_yields() -> None:
    async def main() -> None:
        clock = VirtualClock()
        await clock.sleep(0)
        assert clock.sleepers == 0

    run(main())


def test_loop_clock_is_real_time() -> None:
    async def main() -> None:
        clock = LoopClock()
        assert not clock.virtual
        assert abs(clock.now() - asyncio.get_running_loop().time()) < 1
        assert await clock.wait_for(asyncio.sleep(0, result=3), 1) == 3
        with pytest.raises(TimeoutError):
            await clock.wait_for(asyncio.Event().wait(), 0.001)

    run(main())
