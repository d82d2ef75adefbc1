"""``xpos run`` as a real process: reference host in another process, devices driven from
outside (keypad and PIN pad through FIFOs, magstripe through a pty, display and printer
into files), a sale end to end, then SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from runkit import (  # the xpos run tests' helpers (same folder; fixtures: conftest.py)
    CARD,
    TIMEOUT_S,
    screen_waiter,
    sign_on,
    terminal_dir,
    wait_for,
    xpos,
)

from xpos.drivers.magstripe import encode_swipe
from xpos.model import mask_pan
from xpos.receipts.decode import decode_escpos
from xpos.refhost.seed import track2_for


def test_xpos_run_sells_on_devices_driven_from_outside_and_stops_on_sigterm(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = terminal_dir(tmp_path, pki, port, tty_name)
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    try:
        shows = screen_waiter(data, proc, log)
        wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
        keys = os.open(data / "keys", os.O_WRONLY)
        pin = os.open(data / "pin", os.O_WRONLY)
        try:
            sign_on(keys, shows)
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
        wait_for("the cardholder copy", lambda: "CARDHOLDER COPY" in decode_escpos(
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
    data = terminal_dir(tmp_path, pki, port, pty_path[1])
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=TIMEOUT_S) == 0
    text = log.read_text(encoding="utf-8")
    assert "stopping on signal" in text and "devices closed" in text


def test_an_unplugged_reader_is_reported_and_retried_not_fatal(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = terminal_dir(tmp_path, pki, port, tty_name)
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    try:
        wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
        os.close(master)  # the reader's cable is pulled
        wait_for("the reopen attempt", lambda: "magstripe still missing" in
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
