"""What the ``xpos run`` process tests share: the command, waiting for its output, the
reference host in another process, ptys, the terminal's data folder and the screen.

Used by test_run_process.py, test_run_printer_sim.py and test_run_ecr_process.py (this
folder is on ``sys.path`` when pytest collects them).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xpos.refhost.seed import DEMO

TIMEOUT_S = 30.0
CARD = DEMO.cards[0]


def xpos(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    """``python -m xpos.cli ARGS`` as a child process (text mode)."""
    return subprocess.Popen([sys.executable, "-m", "xpos.cli", *args], text=True,
                            **kwargs)  # type: ignore[call-overload]


def wait_for(what: str, ready: Callable[[], bool], proc: subprocess.Popen[str],
             log: Path) -> None:
    """Wait for the terminal process to produce something (generous timeout)."""
    deadline = time.monotonic() + TIMEOUT_S
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"xpos run exited ({proc.returncode}) waiting for {what}:\n"
                        f"{log.read_text(encoding='utf-8')}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {TIMEOUT_S} s:\n{log.read_text(encoding='utf-8')}")
        time.sleep(0.02)


def screen_waiter(data: Path, proc: subprocess.Popen[str],
                  log: Path) -> Callable[[str], None]:
    """``shows(text)``: wait until the display file ``data/screen.txt`` holds ``text``."""
    screen = data / "screen.txt"

    def shows(text: str) -> None:
        wait_for(f"screen {text!r}", lambda: screen.exists() and
                 text in screen.read_text(encoding="utf-8"), proc, log)

    return shows


def sign_on(keys: int, shows: Callable[[str], None]) -> None:
    """From the main menu: 1 (签到), wait for 签到成功, ENTER, back at the main menu."""
    shows("主菜单")
    os.write(keys, b"1\n")
    shows("签到成功")
    os.write(keys, b"ENTER\n")
    shows("主菜单")


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """``xpos host`` on a free port: (its PKI folder, its port); terminated afterwards."""
    data = tmp_path / "host"
    proc = xpos("host", "--data-dir", str(data), "--port", "0",
                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    match = re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline())
    assert match, proc.stderr.read() if proc.stderr else ""
    yield data / "pki", int(match.group(1))
    proc.terminate()
    proc.wait(timeout=TIMEOUT_S)


@contextlib.contextmanager
def pty() -> Iterator[tuple[int, str]]:
    """A raw pty: (master fd, slave tty name); a test may close the master early."""
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        yield master, os.ttyname(slave)
    finally:
        with contextlib.suppress(OSError):  # a test may have unplugged it already
            os.close(master)
        os.close(slave)


@pytest.fixture
def pty_path() -> Iterator[tuple[int, str]]:
    """:func:`pty` as a fixture."""
    with pty() as pair:
        yield pair


def terminal_dir(tmp_path: Path, pki: Path, port: int, reader: str, *,
                 printer: str | None = None, ecr: str | None = None,
                 mode: int = 0o777) -> Path:
    """``tmp_path/terminal``: xpos.toml (FIFO keypad and PIN pad, display and printer
    files, magstripe on the pty ``reader``, optional ECR pty) and the demo TMK loaded.

    Args:
        tmp_path: the test's folder.
        pki: the host's PKI folder.
        port: the host's port.
        reader: the magstripe reader's tty.
        printer: the printer URL (default: the file ``receipts.bin``).
        ecr: the ECR port's tty, if any.
        mode: the folder's mode (before the umask).
    """
    data = tmp_path / "terminal"
    data.mkdir(mode=mode)
    os.mkfifo(data / "keys")
    os.mkfifo(data / "pin")
    ecr_line = f'ecr = "serial://{ecr}?baud=9600"\n' if ecr else ""
    printer = printer or f"file://{data}/receipts.bin"
    (data / "xpos.toml").write_text(f"""\
host = "127.0.0.1:{port}"
pki_dir = "{pki}"
response_timeout_s = 10
{ecr_line}
[devices]
keypad = "fifo://{data}/keys"
pinpad = "fifo://{data}/pin"
display = "file://{data}/screen.txt"
printer = "{printer}"
magstripe = "serial://{reader}?baud=9600"
rfid = "none:"
scanner = "none:"
""", encoding="utf-8")
    components = [arg for c in DEMO.tmk_components for arg in ("--component", c)]
    loaded = subprocess.run([sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir",
                             str(data), *components, "--kcv", DEMO.tmk_kcv],
                            capture_output=True, text=True, timeout=TIMEOUT_S)
    assert loaded.returncode == 0, loaded.stderr
    return data
