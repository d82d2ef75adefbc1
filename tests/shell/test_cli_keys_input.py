"""``xpos keys load`` takes the TMK components at a prompt without echo, or from stdin.

The prompt runs on a real pty (the child's stdin, stdout and stderr): what the pty gives
back must hold the prompts but never a typed component, which it would if the terminal
echoed. Scripts pipe the components with ``--components-from-stdin``.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from xpos.refhost.seed import DEMO

TIMEOUT_S = 60.0
A, B = DEMO.tmk_components[0], DEMO.tmk_components[1]


def _read_until(fd: int, text: str, seen: bytearray) -> None:
    """Read the pty until ``text`` has appeared (or fail after a generous timeout)."""
    while text.encode() not in seen:
        ready, _, _ = select.select([fd], [], [], TIMEOUT_S)
        assert ready, f"no {text!r} from the prompt; got {seen.decode(errors='replace')!r}"
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the pty
            break
        if not chunk:
            break
        seen += chunk


def test_the_prompt_reads_the_components_without_echo(tmp_path: Path) -> None:
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir", str(tmp_path),
         "--kcv", DEMO.tmk_kcv], stdin=child, stdout=child, stderr=child, close_fds=True,
        start_new_session=True)
    os.close(child)
    seen = bytearray()
    try:
        _read_until(main, "component 1", seen)
        os.write(main, A.encode() + b"\n")
        _read_until(main, "component 2", seen)
        os.write(main, B.encode() + b"\n")
        _read_until(main, "component 3 (Enter if none)", seen)
        os.write(main, b"\n")
        _read_until(main, "TMK loaded", seen)
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        proc.kill()
        os.close(main)
    text = seen.decode(errors="replace")
    assert A not in text and B not in text and A[:8] not in text
    assert "note" not in text  # no warning: nothing was given on the command line
    assert json.loads((tmp_path / "keys.json").read_text())["tmk"]


def test_components_piped_on_stdin_are_loaded(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir", str(tmp_path),
         "--kcv", DEMO.tmk_kcv, "--components-from-stdin"],
        input=f"{A}\n\n{B}\n", capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert result.returncode == 0, result.stderr
    assert f"KCV {DEMO.tmk_kcv}" in result.stdout
    assert (tmp_path / "keys.json").exists()


def test_piped_components_with_a_wrong_check_value_store_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir", str(tmp_path),
         "--kcv", "000000", "--components-from-stdin"],
        input=f"{A}\n{B}\n", capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert result.returncode == 1
    assert "密钥校验值不符" in result.stderr and A not in result.stderr
    assert not (tmp_path / "keys.json").exists()


def test_without_a_terminal_or_stdin_option_it_says_how(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir", str(tmp_path),
         "--kcv", DEMO.tmk_kcv], stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT_S, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "xpos: 错误 error: 密钥输入错误 key entry error: no TMK components: run in a "
        "terminal to be asked for them, or pipe them one per line with "
        "--components-from-stdin")


def test_component_on_the_command_line_still_works_with_a_warning(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir", str(tmp_path),
         "--kcv", DEMO.tmk_kcv, "--component", A, "--component", B],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert result.returncode == 0
    assert "process list and shell history" in result.stderr
    assert (tmp_path / "keys.json").exists()
