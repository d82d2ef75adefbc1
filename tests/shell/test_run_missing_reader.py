"""``xpos run`` with its card reader missing at start: it starts without it, says 缺少设备,
and once the reader's path appears (a udev link made later) a sale is paid with it."""

from __future__ import annotations

import os
import signal
import subprocess
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
from xpos.refhost.seed import track2_for


def test_xpos_run_starts_without_its_reader_and_uses_it_once_it_appears(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    master, tty_name = pty_path
    link = tmp_path / "xpos-msr"  # not there yet: the reader is not plugged in
    data = terminal_dir(tmp_path, pki, port, str(link))
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)
    try:
        shows = screen_waiter(data, proc, log)
        wait_for("the running line", lambda: "running" in log.read_text("utf-8"), proc, log)
        text = log.read_text("utf-8")
        assert "缺少设备 missing device: magstripe" in text, text
        keys = os.open(data / "keys", os.O_WRONLY)
        pin = os.open(data / "pin", os.O_WRONLY)
        try:
            sign_on(keys, shows)  # the menu works without the reader
            wait_for("a retry", lambda: "still missing" in log.read_text("utf-8"), proc, log)
            link.symlink_to(tty_name)  # plugged in: udev makes the link
            wait_for("the reader back", lambda: "reader is back" in log.read_text("utf-8"),
                     proc, log)
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
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text("utf-8")
