"""The terminal side of the settlement kill test, run as its own process.

``python settle_child.py DATA_DIR HOST:PORT sales N`` makes N approved sales;
``python settle_child.py DATA_DIR HOST:PORT settle POINT`` runs 结算 and, when POINT is
``settle_answered`` or ``mid_upload``, kills itself with SIGKILL at that instant: after
the host answered the 0500 (or the second 0320) and before the terminal journaled the
answer. POINT ``none`` runs it to the end and prints the screens.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

from xpos.refhost.seed import DEMO, track2_for
from xpos.terminal import settle as ts
from xpos.testing.rig import TerminalRig


def arm(point: str) -> None:
    """SIGKILL this process when the named answer arrives, before it is journaled."""
    original = ts.SettlementRunner._answered

    def answered(self: ts.SettlementRunner, record: Any, response: Any) -> Any:
        if ((point == "settle_answered" and record.state == "settle")
                or (point == "mid_upload" and record.state == "upload"
                    and record.upload_index == 1)):
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, record, response)

    ts.SettlementRunner._answered = answered  # type: ignore[method-assign]


async def main(data: Path, address: str, phase: str, arg: str) -> None:
    async with TerminalRig(data, host_address=address, tls=False, sign_on=True) as rig:
        if phase == "sales":
            card = DEMO.card("alice")
            for n in range(int(arg)):
                await rig.press("2")
                await rig.press(*str(100 + n), "ENTER")
                await rig.swipe(track2_for(card.pan, card.expiry))
                screen = await rig.pin(card.pin or "")
                assert "交易成功" in screen, screen
                while "主菜单" not in screen:
                    screen = await rig.press("CANCEL")
            print("SALES DONE", flush=True)
            return
        arm(arg)
        await rig.press("7")
        print("CONFIRM", (await rig.type("123456#")).replace("\n", "|"), flush=True)
        print("RESULT", (await rig.press("1")).replace("\n", "|"), flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]))
