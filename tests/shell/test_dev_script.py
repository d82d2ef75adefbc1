"""``./dev`` without a task lists every task the README uses, ``./dev xpos`` included; an
unknown task says so and exits 2 (neither needs the virtualenv)."""

from __future__ import annotations

import subprocess
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "dev"


def _dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DEV), *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_the_help_lists_every_task_the_readme_uses() -> None:
    result = _dev()
    assert result.returncode == 0
    readme = (DEV.parent / "README.md").read_text(encoding="utf-8")
    for task in ("emulator", "demo", "test", "bench", "crash", "qa", "xpos"):
        assert f"./dev {task}" in readme and f"./dev {task} " in result.stdout, task


def test_an_unknown_task_is_named_and_exits_2() -> None:
    result = _dev("emulater")
    assert result.returncode == 2
    assert result.stderr == "[dev] unknown task 'emulater'; the tasks:\n"
    assert "./dev emulator" in result.stdout
