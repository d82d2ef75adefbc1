"""The ECR port on a real terminal (rig, host in memory): the till drives sale and void.

The till is :class:`xpos.testing.till.Till` on a :class:`MemoryEcrPort`; the customer
swipes and enters the PIN on the rig's devices; the reference host really authorises.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from xpos.errors import DeviceError
from xpos.journal import TxnStatus
from xpos.model import mask_pan
from xpos.proto.ecr import EcrRequest, encode_frame, encode_request
from xpos.refhost.seed import DEMO, track2_for
from xpos.terminal.ecr import NOT_YET, EcrService
from xpos.testing.rig import TerminalRig
from xpos.testing.till import MemoryEcrPort, Till

ALICE = DEMO.card("alice")
TRACK = track2_for(ALICE.pan, ALICE.expiry)
Case = Callable[[TerminalRig, MemoryEcrPort, Till], Awaitable[None]]


def sale(ref: str, amount: int = 1234) -> EcrRequest:
    return EcrRequest(command="SALE", reference=ref, amount=amount)


def run(tmp_path: Path, case: Case, *, sign_on: bool = True) -> None:
    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", menu=False,
                               sign_on=sign_on) as rig:
            port = MemoryEcrPort()

            async def opener() -> MemoryEcrPort:
                return port

            service = EcrService(rig.terminal, opener=opener)
            task = asyncio.create_task(service.run_forever())
            try:
                await service.wait_open()
                await rig.terminal.settle()
                assert "主菜单" in rig.screen()
                await case(rig, port, port.till())
            finally:
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            assert port.closed

    asyncio.run(main())


async def settle_after(rig: TerminalRig, action: Awaitable[None]) -> str:
    await action
    await rig.terminal.settle()
    return rig.screen()


def test_the_till_drives_a_sale_and_gets_the_masked_card_auth_code_and_trace(
        tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        screen = await settle_after(rig, till.send(sale("T0001")))
        assert "收银机发起" in screen and "12.34" in screen and "请刷卡" in screen
        await rig.swipe(TRACK)
        assert "交易成功" in await rig.pin(ALICE.pin or "")
        answer = await till.response()
        row = rig.terminal.journal.last("sale")
        assert row is not None and row.status is TxnStatus.APPROVED
        assert (answer.result, answer.reference, answer.command) == ("00", "T0001", "SALE")
        assert answer.masked_pan == mask_pan(ALICE.pan) == "621234*********4567"
        assert answer.trace == row.stan and answer.auth_code and answer.host_rc == "00"
        assert answer.amount == 1234 and answer.text == "交易成功" and len(answer.rrn) == 12
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1234
        printed = rig.receipts()
        assert printed.count("￥12.34") == 2 and ALICE.pan not in printed
        assert all(ALICE.pan.encode() not in sent for sent in port.sent)
        assert "主菜单" in await rig.press("ENTER")  # back at idle: the menu works again
        assert "请输入金额" in await rig.press("2")

    run(tmp_path, case)


def test_the_till_voids_by_trace_with_the_same_card(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        await settle_after(rig, till.send(sale("T1", 500)))
        await rig.swipe(TRACK)
        await rig.pin(ALICE.pin or "")
        sold = await till.response()
        await rig.press("ENTER")
        void = EcrRequest(command="VOID", reference="T2", original_trace=sold.trace)
        screen = await settle_after(rig, till.send(void))
        assert "撤销" in screen and "5.00" in screen
        await rig.swipe(TRACK)
        await rig.pin(ALICE.pin or "")
        answer = await till.response()
        assert (answer.result, answer.reference, answer.amount) == ("00", "T2", 500)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance
        original = rig.terminal.journal.by_stan(sold.trace)
        assert original is not None and original.voided

    run(tmp_path, case)


def test_a_void_of_an_unknown_trace_is_declined_without_a_card(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        answer = await till.request(EcrRequest(command="VOID", reference="V", original_trace=999))
        assert answer.result == "DC" and answer.text == "无此交易"
        assert rig.terminal.journal.last("void") is None

    run(tmp_path, case)


def test_a_request_while_the_operator_is_in_a_transaction_is_answered_busy(
        tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        assert "请输入金额" in await rig.press("2")  # the operator's own sale
        answer = await till.request(sale("T9"))
        assert (answer.result, answer.reference, answer.text) == ("BY", "T9", "终端忙 请稍后")
        assert "请输入金额" in rig.screen()  # the operator's sale goes on
        assert rig.terminal.journal.last("sale") is None

    run(tmp_path, case)


def test_a_second_request_while_the_till_sale_runs_is_busy_and_the_first_completes(
        tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        await settle_after(rig, till.send(sale("FIRST")))
        busy = await till.request(sale("SECOND", 999))
        assert (busy.result, busy.reference) == ("BY", "SECOND")
        await rig.swipe(TRACK)
        await rig.pin(ALICE.pin or "")
        answer = await till.response()
        assert (answer.result, answer.reference, answer.amount) == ("00", "FIRST", 1234)

    run(tmp_path, case)


def test_cancel_and_timeouts_at_the_terminal_reach_the_till(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        await settle_after(rig, till.send(sale("C1")))
        await rig.press("CANCEL")
        answer = await till.response()
        assert (answer.result, answer.text) == ("CN", "交易已取消")
        assert rig.terminal.journal.last("sale") is None

    run(tmp_path, case)


def test_planned_and_unknown_commands_are_answered_not_supported(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        for command in (*NOT_YET, "BOGUS"):
            answer = await till.request(EcrRequest(command=command, reference="N"))
            assert (answer.result, answer.command) == ("NS", command)
        assert "主菜单" in rig.screen()

    run(tmp_path, case)


def test_bad_input_gets_nak_or_bad_request_and_the_terminal_goes_on(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        await port.till_send(b"\x00garbage\xff")
        assert await port.till_receive() == b"\x15"
        answer = await till.request(EcrRequest(command="SALE", reference="Z", amount=0))
        assert answer.result == "DC" and answer.text == "金额不能为零"
        await till.send_frame(encode_frame(b"CM004SALERF001QAM003abc"))
        bad = await till.response()
        assert (bad.result, bad.reference) == ("BR", "Q")
        assert (await till.request(EcrRequest(command="NOPE", reference="Q2"))).result == "NS"

    run(tmp_path, case)


def test_a_terminal_not_signed_on_answers_error(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        answer = await till.request(sale("S"))
        assert (answer.result, answer.text) == ("ER", "请先签到")

    run(tmp_path, case, sign_on=False)


def test_a_repeated_request_after_its_answer_is_not_a_second_sale(tmp_path: Path) -> None:
    async def case(rig: TerminalRig, port: MemoryEcrPort, till: Till) -> None:
        frame = encode_frame(encode_request(sale("ONCE")))
        await settle_after(rig, till.send_frame(frame))
        await rig.swipe(TRACK)
        await rig.pin(ALICE.pin or "")
        first = await till.response()
        await rig.press("ENTER")
        await till.send_frame(frame)  # the till missed the answer and sends again
        again = await till.response()
        assert again == first
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1234

    run(tmp_path, case)


def test_an_unplugged_till_is_reported_and_reopened_while_the_terminal_runs(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        async with TerminalRig(tmp_path, transport="memory", menu=False,
                               sign_on=True) as rig:
            ports = [MemoryEcrPort(), None, MemoryEcrPort()]
            opened: list[MemoryEcrPort] = []

            async def opener() -> MemoryEcrPort:
                port = ports.pop(0)
                if port is None:
                    raise DeviceError("no such device /dev/ttyUSB9")
                opened.append(port)
                return port

            service = EcrService(rig.terminal, opener=opener, retry_s=0.01)
            task = asyncio.create_task(service.run_forever())
            try:
                await service.wait_open()
                opened[0].unplug()
                while len(opened) < 2:
                    await asyncio.sleep(0.01)  # the real-time retry of the port task
                await service.wait_open()
                assert service.state == "open memory" and opened[0].closed
                assert "请输入金额" in await rig.press("2")  # the terminal never stopped
                await rig.press("CANCEL")
                answer = await opened[1].till().request(EcrRequest(command="NOPE",
                                                                   reference="R"))
                assert answer.result == "NS"
            finally:
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task

    with caplog.at_level(logging.INFO, logger="xpos.terminal.ecr"):
        asyncio.run(main())
    text = caplog.text
    assert "failed: ECR memory port unplugged" in text and "/dev/ttyUSB9" in text
