"""``xpos emulator 2>file``: the screen is drawn on the terminal, not into the file."""

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from xpos.emulator.app.tty import drawing_on_terminal

CHILD = """
import fcntl, os, sys, termios
fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty becomes the controlling terminal, as in a shell
from xpos.emulator.app.tty import drawing_on_terminal
with drawing_on_terminal() as moved:
    os.write(2, b"SCREEN\\n")
print("moved" if moved else "kept", file=sys.stderr)
"""


def _on_pty(tmp_path: Path, stderr_to_file: bool) -> tuple[str, str]:
    """Run CHILD with a pty as its controlling terminal; (pty output, stderr file)."""
    master, slave = pty.openpty()
    err = tmp_path / "err.txt"
    with err.open("wb") as err_file:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD], stdin=slave, stdout=slave,
            stderr=err_file if stderr_to_file else slave, start_new_session=True,
            close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 1024)
        except OSError:  # the child closed the pty
            break
        if not data:
            break
        chunks.append(data)
    assert child.wait(timeout=60) == 0
    os.close(master)
    return b"".join(chunks).decode(), err.read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/ptmx").exists(), reason="needs ptys")
def test_with_stderr_in_a_file_the_screen_goes_to_the_terminal(tmp_path: Path) -> None:
    screen, err = _on_pty(tmp_path, stderr_to_file=True)
    assert "SCREEN" in screen and "SCREEN" not in err
    assert err.strip() == "moved"  # and stderr is the file again afterwards


@pytest.mark.skipif(not Path("/dev/ptmx").exists(), reason="needs ptys")
def test_with_stderr_on_the_terminal_nothing_moves(tmp_path: Path) -> None:
    screen, _ = _on_pty(tmp_path, stderr_to_file=False)
    assert "SCREEN" in screen and "kept" in screen


def test_without_a_terminal_nothing_moves(tmp_path: Path) -> None:
    with (tmp_path / "err").open("w") as err:
        fd = err.fileno()
        with drawing_on_terminal(fd, tty=str(tmp_path / "no-tty")) as moved:
            assert not moved and not os.isatty(fd)


EMULATOR = """
import fcntl, sys, termios
fcntl.ioctl(0, termios.TIOCSCTTY, 0)
from xpos.cli import main
sys.exit(main(["emulator", "--data-dir", sys.argv[1]]))
"""


def _read_until(master: int, needle: bytes, timeout: float) -> bytes:
    """What the pty printed until ``needle`` appeared (or the timeout, or EOF)."""
    seen = b""
    end = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], max(0.0, end - time.monotonic()))
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        seen += data
    return seen


@pytest.mark.skipif(not Path("/dev/ptmx").exists(), reason="needs ptys")
def test_xpos_emulator_with_stderr_in_a_file_draws_on_the_terminal(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    err = tmp_path / "err.txt"
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    with err.open("wb") as err_file:
        child = subprocess.Popen(
            [sys.executable, "-c", EMULATOR, str(tmp_path / "data")], stdin=slave,
            stdout=slave, stderr=err_file, start_new_session=True, close_fds=True, env=env)
    os.close(slave)
    try:
        screen = _read_until(master, "联机".encode(), timeout=90)
        assert "联机".encode() in screen  # drawn on the terminal, link up
        os.write(master, b"\x11")  # Ctrl+Q
        _read_until(master, b"\x00never", timeout=30)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    assert "显示屏" not in err.read_text(encoding="utf-8", errors="replace")


def test_xpos_emulator_without_any_terminal_is_one_line_not_a_screen_in_a_file(
        tmp_path: Path) -> None:
    """No controlling terminal (a new session) and stderr a pipe: the screen would go into
    the pipe and the app would wait for keys forever; it says so in one line instead."""
    child = subprocess.run(
        [sys.executable, "-m", "xpos.cli", "emulator", "--data-dir", str(tmp_path / "d")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        start_new_session=True, check=False)
    assert child.returncode == 1
    assert child.stderr.startswith("xpos: 错误 error: 没有终端 no terminal: xpos emulator ")
    assert child.stderr.count("\n") == 1 and "\x1b[" not in child.stderr + child.stdout
