"""``xpos devices list``: each configured device and the ECR port, opened now or missing."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

TIMEOUT_S = 30.0


@pytest.fixture
def pty_name() -> Iterator[str]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield os.ttyname(slave)
    with contextlib.suppress(OSError):
        os.close(master)
    os.close(slave)


def _list(data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xpos.cli", "devices", "list", "--data-dir",
                           str(data)], capture_output=True, text=True, timeout=TIMEOUT_S)


def _rows(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split(maxsplit=2)[1:] for line in out.splitlines()}


def test_every_device_is_listed_with_its_state(tmp_path: Path, pty_name: str) -> None:
    (tmp_path / "xpos.toml").write_text(f"""\
ecr = "serial:///dev/ttyXPOS-gone?baud=9600"
[devices]
magstripe = "serial://{pty_name}?baud=9600"
rfid = "none:"
printer = "file://{tmp_path}/receipts.bin"
""", encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1, result.stderr  # the till's port is missing
    rows = _rows(result.stdout)
    assert list(rows) == ["keypad", "display", "magstripe", "rfid", "scanner", "pinpad",
                          "printer", "customer_display", "beeper", "ecr"]
    assert rows["beeper"][0] == "none"  # optional kinds are absent unless configured
    assert rows["magstripe"][0] == "ok" and rows["printer"][0] == "ok"
    assert rows["rfid"][0] == "none" and rows["keypad"][0] == "fake"
    assert rows["ecr"][0] == "missing" and "/dev/ttyXPOS-gone" in rows["ecr"][1]


def test_all_present_exits_0_and_a_tcp_till_port_is_tried(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('ecr = "tcp://127.0.0.1:0"\n', encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _rows(result.stdout)["ecr"][0] == "ok"


def test_a_bad_config_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('ecr = "usb://x"\n', encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1 and "ecr" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
