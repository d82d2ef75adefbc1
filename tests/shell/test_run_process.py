"""``xpos run`` as a real process: reference host in another process, devices driven from
outside (keypad and PIN pad through FIFOs, magstripe through a pty, display and printer
into files), a sale end to end, then SIGTERM."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xpos.drivers.magstripe import encode_swipe
from xpos.model import mask_pan
from xpos.receipts.decode import decode_escpos
from xpos.refhost.seed import DEMO, track2_for

TIMEOUT_S = 30.0
CARD = DEMO.cards[0]


def _xpos(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "xpos.cli", *args], text=True,
                            **kwargs)  # type: ignore[call-overload]


def _wait_for(what: str, ready: Callable[[], bool], proc: subprocess.Popen[str],
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


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    data = tmp_path / "host"
    proc = _xpos("host", "--data-dir", str(data), "--port", "0",
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    match = re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline())
    assert match, proc.stderr.read() if proc.stderr else ""
    yield data / "pki", int(match.group(1))
    proc.terminate()
    proc.wait(timeout=TIMEOUT_S)


@pytest.fixture
def pty_path() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    with contextlib.suppress(OSError):  # a test may have unplugged it already
        os.close(master)
    os.close(slave)


def _terminal_dir(tmp_path: Path, pki: Path, port: int, tty_name: str) -> Path:
    data = tmp_path / "terminal"
    data.mkdir()
    os.mkfifo(data / "keys")
    os.mkfifo(data / "pin")
    (data / "xpos.toml").write_text(f"""\
host = "127.0.0.1:{port}"
pki_dir = "{pki}"
response_timeout_s = 10

[devices]
keypad = "fifo://{data}/keys"
pinpad = "fifo://{data}/pin"
display = "file://{data}/screen.txt"
printer = "file://{data}/receipts.bin"
magstripe = "serial://{tty_name}?baud=9600"
rfid = "none:"
scanner = "none:"
""", encoding="utf-8")
    components = [arg for c in DEMO.tmk_components for arg in ("--component", c)]
    loaded = subprocess.run([sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir",
                             str(data), *components, "--kcv", DEMO.tmk_kcv],
                            capture_output=True, text=True, timeout=TIMEOUT_S)
    assert loaded.returncode == 0, loaded.stderr
    return data


def test_xpos_run_sells_on_devices_driven_from_outside_and_stops_on_sigterm(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = _terminal_dir(tmp_path, pki, port, tty_name)
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = _xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    try:
        screen = data / "screen.txt"

        def shows(text: str) -> None:
            _wait_for(f"screen {text!r}", lambda: screen.exists() and
                      text in screen.read_text(encoding="utf-8"), proc, log)

        _wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
        keys = os.open(data / "keys", os.O_WRONLY)
        pin = os.open(data / "pin", os.O_WRONLY)
        try:
            shows("主菜单")
            os.write(keys, b"1\n")
            shows("签到成功")
            os.write(keys, b"ENTER\n")
            shows("主菜单")
            os.write(keys, b"2\n")
            shows("请输入金额")
            os.write(keys, b"1 2 3 4 ENTER\n")
            shows("请刷卡")
            os.write(master, encode_swipe(track2=track2_for(CARD.pan, CARD.expiry)))
            shows("请持卡人输入密码")
            os.write(pin, f"{CARD.pin}\n".encode())
            shows("交易成功")
        finally:
            os.close(keys)
            os.close(pin)
        receipts = data / "receipts.bin"
        _wait_for("the cardholder copy", lambda: "CARDHOLDER COPY" in decode_escpos(
            receipts.read_bytes()), proc, log)
        text = decode_escpos(receipts.read_bytes())
        assert text.count("￥12.34") == 2 and mask_pan(CARD.pan) in text
        assert CARD.pan not in text
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines and all(re.match(r"<[0-7]>", line) for line in lines), lines
    for closed in ("keypad FIFO closed", "PIN pad FIFO closed", "printer file", "devices closed",
                   "terminal stopped"):
        assert any(closed in line for line in lines), (closed, lines)
    assert CARD.pan not in log.read_text(encoding="utf-8")
    assert not any("fake devices" in line for line in lines)  # every kind configured



def test_xpos_run_stops_cleanly_on_sigint(tmp_path: Path, host: tuple[Path, int],
                                          pty_path: tuple[int, str]) -> None:
    pki, port = host
    data = _terminal_dir(tmp_path, pki, port, pty_path[1])
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = _xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    _wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=TIMEOUT_S) == 0
    text = log.read_text(encoding="utf-8")
    assert "stopping on signal" in text and "devices closed" in text


def test_an_unplugged_reader_is_reported_and_retried_not_fatal(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = _terminal_dir(tmp_path, pki, port, tty_name)
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = _xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    try:
        _wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
        os.close(master)  # the reader's cable is pulled
        _wait_for("the reopen attempt", lambda: "magstripe still missing" in
                  log.read_text("utf-8"), proc, log)
        assert proc.poll() is None  # the terminal runs on
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("<3>") and "card reader failed" in line and "reopening" in line
               for line in lines), lines
    assert "devices closed" in "\n".join(lines) and "terminal stopped" in lines[-1]


def _run_once(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xpos.cli", "run", *args],
                          capture_output=True, text=True, timeout=TIMEOUT_S)


def _config(data: Path, top: str = "", devices: str = "") -> None:
    data.mkdir(parents=True, exist_ok=True, mode=0o700)  # private: no warning
    (data / "xpos.toml").write_text(
        f'{top}[devices]\nprinter = "file://{data}/out.bin"\n{devices}', encoding="utf-8")


def test_xpos_run_refuses_to_start_without_pki_or_tmk(tmp_path: Path) -> None:
    data = tmp_path / "t"
    _config(data)
    result = _run_once("--data-dir", str(data))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("<3>"), lines
    for missing in ("ca.pem", "terminal.pem", "terminal.key", "no TMK", "xpos keys load"):
        assert missing in lines[0]
    assert not (data / "pki").exists() and not (data / "out.bin").exists()


def test_xpos_run_with_pki_but_no_tmk_names_only_the_tmk(tmp_path: Path,
                                                         host: tuple[Path, int]) -> None:
    data = tmp_path / "t"
    _config(data, f'pki_dir = "{host[0]}"\n')
    result = _run_once("--data-dir", str(data))
    assert result.returncode == 1
    assert "no TMK" in result.stderr and "ca.pem" not in result.stderr


def test_xpos_run_reports_a_missing_config_file(tmp_path: Path) -> None:
    result = _run_once("--data-dir", str(tmp_path), "--config", str(tmp_path / "none.toml"))
    assert result.returncode == 1 and "none.toml does not exist" in result.stderr
