"""Crash harness benchmark: ``python bench/crash.py --trials N [--seed S] [--work DIR]``.

Kills a real terminal process with SIGKILL at named crash points and at random
instants, restarts it on the same data directory, and reconciles its journal against
the reference host's ledger (xpos/testing/crash.py). Prints trials/s and the
invariant counts; exits 1 if an invariant broke.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from xpos.testing.crash import run


def main() -> int:
    """Parse the arguments, run the harness, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="trials to run (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--work", type=Path, default=None,
                        help="an empty directory to work in (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xpos-crash-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        report = run(args.trials, seed=args.seed, work=work)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
