"""A serial card reader unplugged while the terminal runs is reopened; a sale goes on.

The reader's URL names a symbolic link (as a udev rule makes ``/dev/xpos-msr``) to a
pty: pulling the cable closes the pty's master; plugging it back points the link at a
new pty. The terminal is the rig's, with the reference host in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import Callable
from pathlib import Path

from xpos.drivers.magstripe import encode_swipe
from xpos.refhost.seed import DEMO, track2_for
from xpos.terminal.replug import ReaderReplug
from xpos.testing.rig import TerminalRig

ALICE = DEMO.card("alice")
TIMEOUT_S = 30.0


def _pty() -> tuple[int, int, str]:
    master, slave = os.openpty()
    tty.setraw(slave)
    return master, slave, os.ttyname(slave)


async def _until(check: Callable[[], object], what: str) -> None:
    async def loop() -> None:
        while not check():
            await asyncio.sleep(0.01)  # a worker thread reads the port: real time passes
    try:
        await asyncio.wait_for(loop(), TIMEOUT_S)
    except TimeoutError:
        raise AssertionError(f"no {what} within {TIMEOUT_S} s") from None


def test_an_unplugged_reader_comes_back_and_the_sale_goes_on(tmp_path: Path) -> None:
    first_master, first_slave, first_name = _pty()
    second_master, second_slave, second_name = _pty()
    link = tmp_path / "xpos-msr"
    link.symlink_to(first_name)
    (tmp_path / "xpos.toml").write_text(
        f'[devices]\nmagstripe = "serial://{link}?baud=9600"\nrfid = "none:"\n'
        'scanner = "none:"\n', encoding="utf-8")

    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", sign_on=True) as rig:
            replug = ReaderReplug(rig.terminal.config, clock=rig.terminal.clock, retry_s=0.01)
            rig.terminal.replug = replug
            assert "请输入金额" in await rig.press("2")
            assert "请刷卡" in await rig.press("1", "2", "3", "4", "ENTER")
            os.close(first_master)  # pulled, while the sale waits for a card
            link.unlink()
            link.symlink_to(second_name)  # plugged back: udev points the link anew
            await _until(lambda: replug.reopened, "reopened reader")
            assert "请刷卡" in rig.screen()  # the sale never noticed
            os.write(second_master, encode_swipe(track2=track2_for(ALICE.pan, ALICE.expiry)))
            await _until(lambda: rig.pinpad.asking, "PIN request")
            assert "交易成功" in await rig.pin(ALICE.pin or "")
            assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1234

    try:
        asyncio.run(main())
    finally:
        for fd in (first_slave, second_master, second_slave):
            with contextlib.suppress(OSError):
                os.close(fd)
