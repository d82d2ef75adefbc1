"""An unattended PIN entry times out on simulated time: nothing sent, nothing journaled."""

import asyncio
from pathlib import Path

from xpos.terminal.clock import VirtualClock
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, alice_track


def test_an_unattended_pin_entry_times_out_and_the_next_sale_works(tmp_path: Path) -> None:
    async def main() -> None:
        clock = VirtualClock()
        async with TerminalRig(tmp_path, clock=clock, sign_on=True, pin_timeout_s=20) as rig:
            await rig.press("2")
            await rig.press(*"100", "ENTER")
            assert "请持卡人输入密码" in await rig.swipe(alice_track())
            assert rig.pinpad.asking
            clock.advance(19.0)
            await rig.terminal.settle()
            assert "请持卡人输入密码" in rig.screen() and rig.pinpad.asking
            clock.advance(1.0)
            await rig.terminal.settle()
            assert "输入密码超时" in rig.screen()
            assert not rig.pinpad.asking and rig.pinpad.withdrawn == 1
            assert [e for e in rig.host.transcript if e.mti == "0200"] == []
            assert rig.terminal.journal.last("sale") is None
            await rig.press("ENTER")
            await rig.press("2")
            await rig.press(*"100", "ENTER")
            await rig.swipe(alice_track())
            assert "交易成功" in await rig.pin(ALICE.pin or "")

    asyncio.run(main())
