"""Named crash points: inert unless armed; armed, a SIGKILL at the n-th hit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from xpos.terminal.crashpoints import ENV, MOMENTS, POINTS, SETTLE_MOMENTS, parse

CHILD = """
import sys
from xpos.terminal.crashpoints import after_print, crashpoint
for i in range(1, 4):
    print(f"hit {i}", flush=True)
    crashpoint("sale.after_send")
    after_print("void-customer")
    if i == 2:
        after_print("void-merchant")
print("survived", flush=True)
"""


def _run(spec: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if spec is not None:
        env[ENV] = spec
    return subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_unarmed_points_do_nothing() -> None:
    done = _run(None)
    assert done.returncode == 0 and done.stdout.split("\n")[-2] == "survived"


def test_an_armed_point_kills_the_process_at_its_nth_hit() -> None:
    done = _run("sale.after_send@2")
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.split() == ["hit", "1", "hit", "2"]


def test_between_copies_fires_after_the_merchant_copy_only() -> None:
    done = _run("void.between_copies")
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.split() == ["hit", "1", "hit", "2"]


def test_another_armed_point_leaves_this_one_alone() -> None:
    assert _run("void.after_send").returncode == 0


@pytest.mark.parametrize("spec", ["", "@2", "sale.after_send@0", "sale.after_send@x"])
def test_a_bad_spec_is_one_clear_error(spec: str) -> None:
    with pytest.raises(ValueError):
        parse(spec)


def test_the_registry_names_kind_dot_moment() -> None:
    assert len(set(POINTS)) == len(POINTS)
    for point in POINTS:
        kind, _, moment = point.partition(".")
        assert kind and moment in (SETTLE_MOMENTS if kind == "settle" else MOMENTS)
    assert parse("void.after_commit") == ("void.after_commit", 1)
