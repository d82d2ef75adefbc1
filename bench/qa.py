"""QA runner throughput: scenarios per second, each on a fresh embedded host + terminal.

Three kinds of scenario, each run ``--count`` times in one ``run_scenarios`` call (as
``xpos qa run`` does):

* short: the terminal starts, signs on and shows its main menu (one expectation);
* J2: the voucher redemption of tests/scenarios/j2_voucher.yaml (fixtures, receipt,
  host and journal checks);
* timeout: a sale the host answers only after 40 s, so the terminal times out at 30 s
  (simulated) and later sends the reversal: simulated time, not real.

Prints scenarios/s, the median real time per scenario and the process CPU time per
scenario (steadier than wall time on a shared machine). The embedded host is joined in
memory (see docs/architecture.md, performance).

Usage: ``./dev bench`` or ``python bench/qa.py [--count N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from xpos.qa.model import Scenario
from xpos.qa.parse import load_scenarios
from xpos.qa.runner import run_scenarios

ROOT = Path(__file__).resolve().parent.parent
SHORT = """\
name: short
steps:
  - expect_screen: "主菜单"
"""


def _load(text: str, folder: Path) -> list[Scenario]:
    path = folder / "bench.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenarios(path)


def _measure(label: str, scenarios: list[Scenario], count: int) -> None:
    batch = scenarios * count
    started, cpu = time.perf_counter(), time.process_time()
    results = run_scenarios(batch)
    elapsed = time.perf_counter() - started
    cpu_ms = (time.process_time() - cpu) / len(batch) * 1000
    failed = [r for r in results if not r.passed]
    if failed:
        print(f"{label}: {len(failed)} failed: {failed[0].message}", file=sys.stderr)
        sys.exit(1)
    per = statistics.median(r.seconds for r in results) * 1000
    print(f"{label:<10} {len(batch):>4} scenarios in {elapsed:6.2f} s = "
          f"{len(batch) / elapsed:6.1f} scenarios/s (median {per:5.1f} ms each, "
          f"CPU {cpu_ms:5.1f} ms each)")


def main() -> None:
    """Run the three measurements."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100, help="runs of each scenario")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        short = _load(SHORT, Path(folder))
        j2 = load_scenarios(ROOT / "tests/scenarios/j2_voucher.yaml")
        timeout = [s for s in load_scenarios(ROOT / "tests/scenarios/sale.yaml")
                   if "reversal" in s.tags]
        _measure("short", short, args.count)
        _measure("J2", j2, args.count)
        _measure("timeout", timeout, max(1, args.count // 2))


if __name__ == "__main__":
    main()
