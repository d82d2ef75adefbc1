"""A printer that does not answer never stalls the terminal (issue #12: status is a contract).

The terminal prints on the network printer simulator (``escpos+tcp://``, python-escpos
``Network``) made to hold its ``DLE EOT`` answers: the slip's job is stuck on the printer
thread. Meanwhile the till on a real TCP ECR port gets its ACK (and a busy answer), and
the service watchdog keeps pinging a real notify socket. Once the printer answers, the
slip is on paper whole and the journal marks it printed.
"""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest

from xpos.drivers.ecr_port import TcpEcrPort, open_ecr_port
from xpos.journal import TxnStatus
from xpos.proto.ecr import EcrRequest
from xpos.refhost.seed import DEMO, track2_for
from xpos.terminal.daemon import _watchdog
from xpos.terminal.ecr import EcrService
from xpos.terminal.sdnotify import Notifier
from xpos.testing.printer_sim import PrinterSim
from xpos.testing.rig import TerminalRig
from xpos.testing.till import Till

ALICE = DEMO.card("alice")
TRACK = track2_for(ALICE.pan, ALICE.expiry)
WAIT_S = 30.0  # generous: a machine under load


def _slow_url(sim: PrinterSim) -> str:
    return f"escpos+tcp://127.0.0.1:{sim.port}?timeout=60"  # the driver waits, not fails


async def _till_on(port: TcpEcrPort) -> tuple[Till, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port.port)

    async def send(data: bytes) -> None:
        writer.write(data)
        await writer.drain()

    async def receive() -> bytes:
        return await reader.read(4096)

    return Till(send, receive, timeout_s=WAIT_S), writer


async def _stuck_sale(rig: TerminalRig, sim: PrinterSim) -> None:
    """An operator's sale up to its merchant slip, which the printer does not answer."""
    assert "请输入金额" in await rig.press("2")
    await rig.press(*"1234", "ENTER")
    assert "密码" in await rig.swipe(TRACK)
    sim.hold_answers()
    rig.pinpad.enter(ALICE.pin or "")  # no settle: the terminal will not settle now
    assert await asyncio.to_thread(sim.wait_held, WAIT_S), "the job never reached the printer"
    assert rig.terminal.print_worker.in_flight == 1
    assert not rig.terminal.idle  # settle() would not return while the job is stuck


def test_a_stuck_printer_leaves_the_till_port_and_the_watchdog_running(
        tmp_path: Path, sim: PrinterSim) -> None:
    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", menu=False, sign_on=True,
                               devices={"printer": _slow_url(sim)}) as rig:
            ecr_port = await open_ecr_port("tcp://127.0.0.1:0")
            assert isinstance(ecr_port, TcpEcrPort)

            async def opener() -> TcpEcrPort:
                return ecr_port

            service = EcrService(rig.terminal, opener=opener)
            idle = asyncio.create_task(service.run_forever())
            notify = tmp_path / "notify.sock"
            systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            systemd.bind(str(notify))
            systemd.setblocking(False)
            notifier = Notifier({"NOTIFY_SOCKET": str(notify), "WATCHDOG_USEC": "20000",
                                 "WATCHDOG_PID": str(os.getpid())})
            pinger = asyncio.create_task(_watchdog(notifier))
            till, writer = await _till_on(ecr_port)
            try:
                await service.wait_open()
                await rig.terminal.settle()
                await _stuck_sale(rig, sim)
                # (a) the till's frame is ACKed (send returns only then) and answered busy
                busy = await till.request(EcrRequest(command="SALE", reference="T7",
                                                     amount=500))
                assert (busy.result, busy.reference) == ("BY", "T7")
                # (b) the watchdog pings go on: three fresh ones while the job is stuck
                loop = asyncio.get_running_loop()
                pings = [await asyncio.wait_for(loop.sock_recv(systemd, 64), WAIT_S)
                         for _ in range(3)]
                assert pings == [b"WATCHDOG=1"] * 3
                assert sim.held_answers == 1 and rig.terminal.print_worker.in_flight == 1
                assert sim.output == b""  # nothing printed yet: the status came first
                sim.release_answers()
                await rig.terminal.settle()
                assert "交易成功" in rig.screen()
                record = rig.terminal.journal.last("sale")
                assert record is not None and record.status is TxnStatus.APPROVED
                slips = rig.terminal.journal.receipts_of(record.id)
                assert sim.output == b"".join(data for _, data in slips)  # whole, in order
                assert rig.terminal.journal.print_status(record.id) == [
                    ("sale-merchant", True), ("sale-customer", True)]
                assert rig.terminal.print_worker.in_flight == 0
            finally:
                sim.release_answers()
                writer.close()
                for task in (idle, pinger):
                    task.cancel()
                    with pytest.raises(asyncio.CancelledError):
                        await task
                systemd.close()

    asyncio.run(main())


def test_settle_waits_for_the_job_on_the_printer_thread(tmp_path: Path, sim: PrinterSim) -> None:
    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", sign_on=True,
                               devices={"printer": _slow_url(sim)}) as rig:
            await rig.terminal.settle()
            await _stuck_sale(rig, sim)
            settling = asyncio.create_task(rig.terminal.settle())
            for _ in range(50):  # many loop turns: settle must still be waiting
                await asyncio.sleep(0)
            assert not settling.done()
            sim.release_answers()
            await asyncio.wait_for(settling, WAIT_S)
            assert "交易成功" in rig.screen() and rig.terminal.print_worker.in_flight == 0
            assert "￥12.34" in sim.text() and "持卡人存根" in sim.text()

    asyncio.run(main())


def test_a_printer_that_is_off_gives_the_paper_out_path_without_blocking(
        tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on: the printer is off
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", sign_on=True,
                               devices={"printer": f"escpos+tcp://127.0.0.1:{port}"}) as rig:
            await rig.press("2")
            await rig.press(*"500", "ENTER")
            await rig.swipe(TRACK)
            screen = await rig.pin(ALICE.pin or "")
            assert "打印机" in screen  # the operator is told; the sale stands
            record = rig.terminal.journal.last("sale")
            assert record is not None and record.status is TxnStatus.APPROVED
            assert rig.terminal.journal.print_status(record.id) == [("sale-merchant", False)]

    asyncio.run(main())
