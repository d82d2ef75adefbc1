"""How long the event loop stands still per print job: inline versus the printer thread.

The terminal (a :class:`~xpos.testing.rig.TerminalRig`, host in memory) prints sale
slips through its real print path (``PrintStep`` → journal → ``escpos+tcp://`` driver)
on the printer simulator, which answers each ``DLE EOT`` status query after N ms (a
slow printer; a job asks 2 to 3 times). A ticker task asks to run every millisecond
and records how late it ran: its worst lateness is how long the loop was blocked, i.e.
how long the till port, the host link and the watchdog could not run.

* ``inline``: ``print_bytes`` called on the event loop (before issue #12's fix; forced
  here by turning the driver's ``blocking`` attribute off);
* ``thread``: the terminal's printer thread (:mod:`xpos.terminal.printwork`).

Usage: ``python bench/printlag.py [--jobs N] [--delays 0,20,100]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from xpos.core.slips import SaleSlip, sale_slip
from xpos.core.steps import PrintStep, ResultCode
from xpos.refhost.seed import DEMO
from xpos.testing.printer_sim import PrinterSim
from xpos.testing.rig import TerminalRig

TICK_S = 0.001
SLIP = SaleSlip(merchant_name=DEMO.merchant_name, mid=DEMO.mid, tid=DEMO.tid, operator="01",
                masked_pan="621234*********4567", expiry="", batch=1, stan=1,
                auth_code="123456", rrn="000000000001",
                when=dt.datetime(2026, 11, 26, 10, 30), amount=1234)


async def _ticker(worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while True:
        before = loop.time()
        await asyncio.sleep(TICK_S)
        worst[0] = max(worst[0], loop.time() - before - TICK_S)


async def measure(sim: PrinterSim, *, threaded: bool, jobs: int) -> tuple[float, float]:
    """Worst loop lag per job and median job time, both in ms."""
    with tempfile.TemporaryDirectory() as tmp:
        async with TerminalRig(Path(tmp), transport="memory", menu=False,
                               devices={"printer": sim.url}) as rig:
            printer = rig.terminal.devices.printer
            printer.blocking = threaded  # type: ignore[attr-defined]
            step = PrintStep(document=sale_slip(SLIP, copy="merchant"))
            lags, times = [], []
            for _ in range(jobs):
                worst = [0.0]
                ticker = asyncio.create_task(_ticker(worst))
                await asyncio.sleep(TICK_S * 2)  # the ticker is running
                start = time.perf_counter()
                result = await rig.terminal.run_step(step)
                times.append((time.perf_counter() - start) * 1e3)
                await asyncio.sleep(TICK_S * 2)  # the ticker notes a late turn, if any
                ticker.cancel()
                if result.code is not ResultCode.OK:
                    raise SystemExit(f"print failed: {result}")
                lags.append(worst[0] * 1e3)
            return max(lags), statistics.median(times)


async def run(delays: list[int], jobs: int) -> None:
    print(f"{'answer delay':>12} | {'mode':>6} | {'job (median)':>12} | {'max loop lag':>12}")
    for delay in delays:
        with PrinterSim() as sim:
            sim.answer_delay_s = delay / 1e3
            for threaded in (False, True):
                lag, took = await measure(sim, threaded=threaded, jobs=jobs)
                mode = "thread" if threaded else "inline"
                print(f"{delay:>9} ms | {mode:>6} | {took:>9.1f} ms | {lag:>9.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10)
    parser.add_argument("--delays", default="0,20,100,500")
    args = parser.parse_args(argv)
    asyncio.run(run([int(d) for d in args.delays.split(",")], args.jobs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
