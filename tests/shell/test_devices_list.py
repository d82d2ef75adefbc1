"""``xpos devices list``: each configured device and the ECR port, opened now or missing."""

from __future__ import annotations

import contextlib
import json
import os
import socket
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


def test_a_printer_that_is_off_is_not_ready(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: the printer is off
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "xpos.toml").write_text(
        f'[devices]\nprinter = "escpos+tcp://127.0.0.1:{port}?timeout=2"\n', encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    state, rest = _rows(result.stdout)["printer"]
    assert state == "not_ready" and "no paper" in rest


def test_the_running_terminals_view_is_listed_while_it_runs(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text(
        f'[devices]\nkeypad = "serial://{tmp_path}/kbd?baud=9600"\n'
        f'printer = "file://{tmp_path}/receipts.bin"\n', encoding="utf-8")
    state = {"keypad": {"state": "retrying", "why": "no such file"},
             "printer": {"state": "ready", "why": ""}}
    (tmp_path / "devices.state").write_text(
        json.dumps({"pid": os.getpid(), "devices": state}), encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(f"# xpos run (pid {os.getpid()})")
    rows = _rows(result.stdout)
    assert rows["keypad"][0] == "retrying" and "no such file" in rows["keypad"][1]
    assert rows["printer"][0] == "ready" and rows["display"][0] == "fake"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    (tmp_path / "devices.state").write_text(  # its process is gone: probed as usual
        json.dumps({"pid": int(gone.stdout), "devices": state}), encoding="utf-8")
    rows = _rows(_list(tmp_path).stdout)
    assert rows["keypad"][0] == "missing" and rows["printer"][0] == "ok"


@pytest.mark.parametrize("url", ["bogus://x", "serial:///dev/ttyS0?baud=abc"])
def test_a_bad_device_url_is_a_bad_config_not_a_missing_device(tmp_path: Path,
                                                                url: str) -> None:
    (tmp_path / "xpos.toml").write_text(f'[devices]\nprinter = "{url}"\n', encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    state, rest = _rows(result.stdout)["printer"]  # xpos run would refuse it: not "missing"
    assert state == "bad_config" and url in rest


def test_the_pin_on_the_keypad_is_listed_as_the_keypad_is(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text(
        '[devices]\nkeypad = "serial:///dev/ttyXPOS-gone"\npinpad = "keypad:"\n',
        encoding="utf-8")
    result = _list(tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    rows = _rows(result.stdout)
    assert rows["keypad"][0] == "missing" and rows["pinpad"][0] == "missing"
    assert "keyed on the keypad" in rows["pinpad"][1]


def test_the_columns_line_up_for_the_longest_kind_and_state(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text(
        '[devices]\ncustomer_display = "fake:"\nkeypad = "serial:///dev/ttyXPOS-gone"\n'
        'printer = "bogus://x"\n',
        encoding="utf-8")
    lines = _list(tmp_path).stdout.splitlines()
    starts = {line.index(line.split()[2]) for line in lines}  # where the URL column starts
    assert len(starts) == 1, lines
