"""``xpos host --x-void-window`` reaches the platform's X void check: a real host process
(plain TCP on loopback) with a window of 0 refuses the X void of a redemption made a
moment before with ``V7`` and its words; ``--help`` documents the option."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

from tests.refhost.terminal import TlsTerminal
from xpos.proto.messages import parse_voucher_response
from xpos.proto.voucher import voucher_request
from xpos.proto.voucher_x import VoucherVoidOriginal, voucher_void_request

GYM = "883300112239"  # 健身次卡: 5 items
TIMEOUT_S = 120


def _start(data_dir: Path, *options: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xpos.cli", "host", "--data-dir", str(data_dir), "--port", "0",
         "--plain", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"127\.0\.0\.1:(\d+)", line)
    assert match, f"no port in {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"
    return proc, int(match.group(1))


async def _redeem_then_void(port: int) -> tuple[str, str, str]:
    term = await TlsTerminal.connect(port, None)
    try:
        await term.sign_on()
        redeemed = term.seal(voucher_request(stan=term.next_stan(), tid=term.tid,
                                             mid=term.mid, batch=term.batch, code=GYM,
                                             method="keyed", units=1))
        first = await term.exchange(redeemed)
        original = VoucherVoidOriginal(batch=term.batch, stan=int(redeemed.get(11) or 0))
        void = term.seal(voucher_void_request(stan=term.next_stan(), tid=term.tid,
                                              mid=term.mid, batch=term.batch,
                                              original=original))
        answer = await term.exchange(void)
        info = parse_voucher_response(answer)
        return first.get(39) or "", answer.get(39) or "", info.message if info else ""
    finally:
        await term.close()


def test_a_zero_x_void_window_refuses_every_x_void(tmp_path: Path) -> None:
    proc, port = _start(tmp_path, "--x-void-window", "0")
    try:
        redeemed, voided, words = asyncio.run(_redeem_then_void(port))
    finally:
        proc.terminate()
        proc.wait(timeout=TIMEOUT_S)
    assert (redeemed, voided) == ("00", "V7")  # the default window (24 h) would say 00
    assert words.startswith("超过0秒不能撤销")


def test_help_names_the_x_void_window_and_its_default() -> None:
    shown = subprocess.run([sys.executable, "-m", "xpos.cli", "host", "--help"],
                           capture_output=True, text=True, timeout=TIMEOUT_S, check=True)
    text = " ".join(shown.stdout.split())
    assert "--x-void-window SECONDS" in text and "default 86400" in text
