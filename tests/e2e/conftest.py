import asyncio
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from xpos.refhost.seed import DEMO, track2_for
from xpos.testing.rig import TerminalRig

Scenario = Callable[[TerminalRig], Awaitable[None]]
RunRig = Callable[..., None]

ALICE = DEMO.card("alice")
BOB = DEMO.card("bob")
CAROL = DEMO.card("carol")
DAVE = DEMO.card("dave")


def alice_track() -> str:
    return track2_for(ALICE.pan, ALICE.expiry)


@pytest.fixture
def run_rig(tmp_path: Path) -> RunRig:
    def run(scenario: Scenario, **config: Any) -> None:
        async def main() -> None:
            options = {"transport": "memory", **config}  # the TLS suite passes "tls"
            async with TerminalRig(tmp_path, **options) as rig:
                await scenario(rig)

        asyncio.run(main())

    return run


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def sign_on(rig: TerminalRig) -> None:
    assert "签到成功" in await rig.press("1")
    await rig.press("ENTER")


async def sale(rig: TerminalRig, amount: str, track2: str, pin: str | None) -> str:
    await rig.press("2")
    await rig.press(*amount, "ENTER")
    screen = await rig.swipe(track2)
    if pin is not None:
        screen = await rig.pin(pin)
    return screen


async def voucher(rig: TerminalRig, code: str) -> str:
    """X menu → 订单验证: the code, then every item left (ENTER) and the confirm (ENTER)."""
    await rig.press("3")
    await rig.press("1")
    screen = await rig.press(*code, "#")
    if "核销份数" in screen:
        screen = await rig.press("ENTER")
    if "确认核销" in screen:
        screen = await rig.press("ENTER")
    return screen


async def back_to_menu(rig: TerminalRig) -> None:
    screen = await rig.press("ENTER")
    while "主菜单" not in screen:
        screen = await rig.press("CANCEL")
