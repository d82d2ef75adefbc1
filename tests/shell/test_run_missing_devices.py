"""``xpos run`` with its serial keypad not plugged in and its network printer off.

It starts anyway and says 缺少设备 for both; once the keypad's link appears the menu is
redrawn and works; the keypad pulled mid-sale (amount keyed, waiting for the card) and
plugged back, the same sale goes on; the slips wait for the printer (打印机未连接, the
paper-out path) and are printed whole once it is switched on and the operator confirms.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from runkit import (  # the xpos run tests' helpers (same folder; fixtures: conftest.py)
    CARD,
    TIMEOUT_S,
    pty,
    screen_waiter,
    terminal_dir,
    wait_for,
    xpos,
)

from xpos.drivers.magstripe import encode_swipe
from xpos.model import mask_pan
from xpos.receipts.decode import decode_escpos
from xpos.refhost.seed import track2_for
from xpos.testing.printer_sim import PrinterSim


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _states(data: Path) -> dict[str, str]:
    body = json.loads((data / "devices.state").read_text(encoding="utf-8"))
    return {kind: entry["state"] for kind, entry in body["devices"].items()}


def test_xpos_run_survives_a_missing_keypad_and_printer_and_an_unplug_mid_sale(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str]) -> None:
    pki, port = host
    reader, reader_tty = pty_path
    printer_port = _free_port()  # nothing listens there: the printer is off
    data = terminal_dir(tmp_path, pki, port, reader_tty,
                        printer=f"escpos+tcp://127.0.0.1:{printer_port}?timeout=5")
    link = tmp_path / "xpos-keypad"  # the udev link of the keypad: not plugged in yet
    config = data / "xpos.toml"
    config.write_text(config.read_text("utf-8").replace(
        f'keypad = "fifo://{data}/keys"', f'keypad = "serial://{link}?baud=9600"'), "utf-8")
    log = data / "run.log"
    with log.open("w", encoding="utf-8") as err:
        proc = xpos("run", "--data-dir", str(data), stderr=err, stdout=subprocess.DEVNULL)

    def logged(text: str, times: int = 1) -> None:
        wait_for(repr(text), lambda: log.read_text("utf-8").count(text) >= times, proc, log)

    sim = PrinterSim(port=printer_port)
    try:
        shows = screen_waiter(data, proc, log)
        logged("running")
        logged("缺少设备 missing device: keypad")
        logged("缺少设备 missing device: printer")
        assert _states(data)["keypad"] == "missing"
        assert _states(data)["printer"] == "not ready"
        listing = subprocess.run([sys.executable, "-m", "xpos.cli", "devices", "list",
                                  "--data-dir", str(data)], capture_output=True, text=True,
                                 timeout=TIMEOUT_S)
        assert listing.returncode == 1 and listing.stdout.startswith("# xpos run (pid ")
        rows = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()}
        assert rows["keypad"] in ("missing", "retrying") and rows["printer"] == "not_ready"
        shows("主菜单")  # drawn though nobody can key yet
        pin = os.open(data / "pin", os.O_WRONLY)
        try:
            with pty() as (first, first_tty):
                logged("keypad still missing")
                link.symlink_to(first_tty)  # plugged in
                logged("keypad is back")
                assert _states(data)["keypad"] == "ready"
                os.write(first, b"1")  # 签到
                shows("签到成功")
                os.write(first, b"\r")
                shows("主菜单")
                os.write(first, b"2")
                shows("请输入金额")
                os.write(first, b"1234\r")
                shows("请刷卡")
                os.close(first)  # the keypad's cable is pulled mid-sale
                logged("缺少设备 missing device: keypad failed")
            link.unlink()
            with pty() as (second, second_tty):
                link.symlink_to(second_tty)  # plugged back
                logged("keypad is back", times=2)
                shows("请刷卡")  # the same sale, still waiting for the card
                os.write(reader, encode_swipe(track2=track2_for(CARD.pan, CARD.expiry)))
                shows("请持卡人输入密码")
                os.write(pin, f"{CARD.pin}\n".encode())
                shows("打印机未连接")  # the printer is still off: the slip waits
                assert _states(data)["printer"] == "not ready"
                sim.start()  # switched on
                os.write(second, b"\r")
                shows("交易成功")
        finally:
            os.close(pin)
        text = decode_escpos(sim.output)
        assert text.startswith("签购单 POS SALES SLIP\n商户存根 MERCHANT COPY")  # whole
        assert text.count("￥12.34") == 2 and mask_pan(CARD.pan) in text
        assert "CARDHOLDER COPY" in text and CARD.pan not in text
        assert _states(data)["printer"] == "ready"
        proc.terminate()
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        sim.stop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text("utf-8")
    assert "Traceback" not in text and CARD.pan not in text
    assert not (data / "devices.state").exists()  # removed on a clean stop
