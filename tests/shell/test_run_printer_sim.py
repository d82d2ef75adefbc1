"""``xpos run`` printing on the network printer simulator: a sale whose merchant copy runs
out of paper mid-slip, the operator reloads and confirms, both copies end up whole."""

from __future__ import annotations

import os
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
from xpos.model import mask_pan
from xpos.receipts.decode import decode_escpos
from xpos.refhost.seed import track2_for
from xpos.testing.printer_sim import PrinterSim


def test_xpos_run_sale_on_the_printer_simulator_survives_paper_out(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str],
        sim: PrinterSim) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = terminal_dir(tmp_path, pki, port, tty_name, printer=sim.url)
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
            sim.clear()
            sim.paper_out(after_bytes=200)
            os.write(keys, b"2\n")
            shows("请输入金额")
            os.write(keys, b"1 2 3 4 ENTER\n")
            shows("请刷卡")
            os.write(master, encode_swipe(track2=track2_for(CARD.pan, CARD.expiry)))
            shows("请持卡人输入密码")
            os.write(pin, f"{CARD.pin}\n".encode())
            shows("打印机缺纸")
            assert not sim.paper_ok and len(sim.output) == 200
            sim.reload()
            os.write(keys, b"ENTER\n")
            shows("交易成功")
        finally:
            os.close(keys)
            os.close(pin)
        text = decode_escpos(sim.output[200:])  # what was printed after the reload
        assert text.count("￥12.34") == 2 and mask_pan(CARD.pan) in text
        assert text.startswith("签购单 POS SALES SLIP\n商户存根 MERCHANT COPY")  # whole
        assert "CARDHOLDER COPY" in text and CARD.pan not in text
        proc.terminate()
        assert proc.wait(timeout=TIMEOUT_S) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert CARD.pan not in log.read_text(encoding="utf-8")
