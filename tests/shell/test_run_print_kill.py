"""``xpos run`` killed (SIGKILL) while a slip is stuck on the printer thread loses nothing.

The printer simulator holds its status answer, so the merchant copy's job waits on the
terminal's printer thread; the process is killed there. The journal keeps the approved
sale (no reversal owed) and the whole slip recorded but not printed, which the
lost-receipt path (tests/crash/test_lost_receipt.py) prints after the restart.
"""

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
from xpos.journal import Journal, TxnStatus
from xpos.refhost.seed import track2_for
from xpos.terminal.config import JOURNAL_NAME
from xpos.testing.printer_sim import PrinterSim


def test_kill_9_while_the_slip_is_on_the_printer_thread_loses_nothing(
        tmp_path: Path, host: tuple[Path, int], pty_path: tuple[int, str],
        sim: PrinterSim) -> None:
    pki, port = host
    master, tty_name = pty_path
    data = terminal_dir(tmp_path, pki, port, tty_name,
                        printer=f"escpos+tcp://127.0.0.1:{sim.port}?timeout=60")
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
            os.write(keys, b"8 8 8 ENTER\n")
            shows("请刷卡")
            os.write(master, encode_swipe(track2=track2_for(CARD.pan, CARD.expiry)))
            shows("请持卡人输入密码")
            sim.hold_answers()
            os.write(pin, f"{CARD.pin}\n".encode())
            assert sim.wait_held(TIMEOUT_S), log.read_text("utf-8")
        finally:
            os.close(keys)
            os.close(pin)
        proc.kill()  # SIGKILL with the job on the printer thread
        proc.wait(timeout=TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    sim.release_answers()
    assert sim.output == b""
    journal = Journal(data / JOURNAL_NAME)
    try:
        record = journal.last("sale")
        assert record is not None and record.status is TxnStatus.APPROVED
        assert record.amount == 888 and journal.pending_reversal() is None
        assert journal.print_status(record.id) == [("sale-merchant", False)]
        ((name, slip),) = journal.receipts_of(record.id)
        assert name == "sale-merchant" and b"8.88" in slip  # kept whole for the reprint
    finally:
        journal.close()
