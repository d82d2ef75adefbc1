import asyncio
import socket
from pathlib import Path

from xpos.journal import TxnStatus

from .conftest import display, host, keyboard_sale, make_app, press, started, status


def _refused(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_quit_stops_the_rig_and_a_restart_carries_on(tmp_path: Path) -> None:
    async def main() -> None:
        first = make_app(tmp_path)
        async with first.run_test() as pilot:
            await started(first, pilot)
            await keyboard_sale(first, pilot, "100")
            assert "交易成功" in display(first)
            assert first.rig is not None
            port, batch = first.rig.port, first.rig.status().batch
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert first.rig is None
        assert _refused(port)

        again = make_app(tmp_path)
        async with again.run_test() as pilot:
            await started(again, pilot)
            assert again.rig is not None
            assert again.rig.status().signed_on and again.rig.status().batch == batch
            assert "已签到" in status(again) and f"{batch:06d}" in status(again)
            assert "联机" in status(again) and "脱机" not in status(again)  # probed at start
            assert "0800" not in host(again)  # no new sign-on: the keys were kept
            old = again.rig.terminal.journal.last("sale")
            assert old is not None and old.status is TxnStatus.APPROVED
            await press(again, pilot, "enter")
            await keyboard_sale(again, pilot, "200")
            assert "交易成功" in display(again)
            new = again.rig.terminal.journal.last("sale")
            assert new is not None and new.stan > old.stan and new.amount == 200
            await pilot.press("ctrl+q")

    asyncio.run(main())
