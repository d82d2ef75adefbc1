"""Run every decoder's fuzz target for longer than CI does and print inputs per second.

    ./dev xpos ...   (or)   .venv/bin/python bench/fuzz.py [EXAMPLES] [TARGET ...]

EXAMPLES (default 20000) inputs per target. A finding is printed with its input and the
exit code is 1; the targets are in tests/fuzz/targets.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings

from tests.fuzz.targets import TARGETS, Target


def fuzz(target: Target, examples: int) -> tuple[int, float, str]:
    """Run ``examples`` inputs; (inputs run, seconds, finding or "")."""
    count = 0

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(target.strategy)
    def run(data: Any) -> None:
        nonlocal count
        count += 1
        target.feed(data)

    start = time.perf_counter()
    try:
        run()
    except Exception as exc:  # a finding: report it, go on with the next target
        return count, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return count, time.perf_counter() - start, ""


def main(argv: list[str]) -> int:
    examples = int(argv[0]) if argv and argv[0].isdigit() else 20_000
    names = [a for a in argv if not a.isdigit()]
    found = 0
    print(f"{'target':26} {'inputs':>8} {'s':>7} {'inputs/s':>9}")
    for target in TARGETS:
        if names and target.name not in names:
            continue
        count, seconds, finding = fuzz(target, examples)
        print(f"{target.name:26} {count:8d} {seconds:7.1f} {count / seconds:9.0f}"
              + (f"  FINDING {finding[:200]}" if finding else ""))
        found += bool(finding)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
