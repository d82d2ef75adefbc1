"""``xpos qa run PATH… [--junit FILE] [--evidence DIR] [-k EXPR] [--host HOST:PORT]…``.

Exit status: 0 when every selected scenario passed, 1 when any failed (or none was
selected), 2 when a scenario file is invalid or there is none (nothing runs; each error
names the file, the line and the offending key).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from xpos.errors import ConfigError, ScenarioError
from xpos.testing.shell import parse_address

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def add_qa_parser(sub: Any) -> None:
    """Add ``qa run`` to the ``xpos`` command's subparsers."""
    qa = sub.add_parser("qa", help="QA: run scenario files headless",
                        description="QA: run YAML scenario files headless on simulated "
                                    "time (docs/qa.md).")
    commands = qa.add_subparsers(title="commands", metavar="COMMAND")
    qa.set_defaults(func=lambda _: qa.error("choose a command: run"))
    run = commands.add_parser("run", help="run YAML scenarios (files or directories)",
                              description="Run YAML scenarios (files, or directories "
                                          "searched for *.yaml / *.yml). Exit 0: all "
                                          "passed; 1: any failed or none selected; 2: "
                                          "a scenario file is invalid (nothing runs).")
    run.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                     help="scenario files, or directories searched for *.yaml / *.yml")
    run.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML here")
    run.add_argument("--evidence", type=Path, metavar="DIR",
                     help="write each failure's evidence under DIR/<scenario>/")
    run.add_argument("-k", dest="keyword", metavar="EXPR",
                     help="only scenarios whose name, tags or file match, e.g. "
                          "'voucher and not expired'")
    run.add_argument("--host", metavar="HOST:PORT",
                     help="use this host (real time) instead of a fresh embedded one")
    run.add_argument("--pki-dir", type=Path, metavar="DIR",
                     help="with --host: the terminal's PKI (ca.pem, terminal.pem, terminal.key)")
    run.add_argument("--list", action="store_true", help="list the selected scenarios only")
    run.add_argument("-q", "--quiet", action="store_true", help="print failures and the total")
    run.set_defaults(func=run_qa)


def run_qa(args: argparse.Namespace) -> int:
    """Carry out ``xpos qa run``; returns the exit status."""
    from xpos.qa.keyword import keyword_matcher
    from xpos.qa.parse import find_scenario_files, load_scenarios

    try:
        if args.host:
            parse_address(args.host, key="--host", source="command line")
        matcher = keyword_matcher(args.keyword) if args.keyword else None
        files = find_scenario_files(args.paths)
        _check_outputs(args)
    except ConfigError as exc:
        print(f"xpos qa: 错误 error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if not files:  # a wrong folder, not a selection that came out empty
        print(f"xpos qa: 错误 error: no *.yaml / *.yml scenario file in "
              f"{', '.join(map(str, args.paths))}", file=sys.stderr)
        return EXIT_INVALID
    scenarios, errors = [], []
    for file in files:
        try:
            scenarios += load_scenarios(file)
        except ScenarioError as exc:
            errors.append(exc)
    for error in errors:
        print(f"xpos qa: 场景文件错误 invalid scenario: {error}", file=sys.stderr)
    if errors:
        return EXIT_INVALID
    selected = [s for s in scenarios if matcher is None or matcher(s)]
    if args.list:
        for scenario in selected:
            print(f"{scenario.where}  {scenario.name}  [{', '.join(scenario.tags)}]")
        return EXIT_OK
    if not selected:
        print(f"xpos qa: no scenario selected ({len(scenarios)} found in {len(files)} files)",
              file=sys.stderr)
        return EXIT_FAILED
    return _run(selected, args)


def _check_outputs(args: argparse.Namespace) -> None:
    """Make sure the reports can be written before anything runs.

    Raises:
        ConfigError: naming the option and the problem.
    """
    if args.pki_dir is not None and not args.host:
        raise ConfigError("--pki-dir is for --host (the embedded host has its own PKI)")
    if args.pki_dir is not None and not (args.pki_dir / "ca.pem").is_file():
        raise ConfigError(f"--pki-dir: {args.pki_dir / 'ca.pem'} is missing")
    if args.evidence is not None:
        try:
            args.evidence.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"--evidence: cannot make the directory: {exc}") from None
        if not os.access(args.evidence, os.W_OK):
            raise ConfigError(f"--evidence: {args.evidence} is not writable")
    if args.junit is not None:
        try:
            args.junit.parent.mkdir(parents=True, exist_ok=True)
            with args.junit.open("ab"):
                pass
        except OSError as exc:
            raise ConfigError(f"--junit: cannot write the file: {exc}") from None


def _run(scenarios: list[Any], args: argparse.Namespace) -> int:
    from xpos.qa.junit import write_junit
    from xpos.qa.runner import ScenarioResult, run_scenarios

    def report(result: ScenarioResult) -> None:
        if result.passed and args.quiet:
            return
        mark = "PASS" if result.passed else "FAIL"
        print(f"{mark}  {result.scenario.name}  ({result.scenario.where}, "
              f"{result.seconds * 1000:.0f} ms)")
        if not result.passed:
            print("      " + result.message.replace("\n", "\n      "))
            if result.evidence is not None:
                print(f"      evidence: {result.evidence}")
        sys.stdout.flush()

    started = time.perf_counter()
    results = run_scenarios(scenarios, host=args.host, evidence_dir=args.evidence,
                            pki_dir=args.pki_dir, on_result=report)
    elapsed = time.perf_counter() - started
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed in {elapsed:.2f} s "
          f"({len(results) / elapsed:.1f} scenarios/s)")
    if args.junit is not None:
        write_junit(args.junit, results)
    return EXIT_FAILED if failed else EXIT_OK
