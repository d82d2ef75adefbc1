"""Settlement (结算) end to end over the in-memory pair: terminal, journal and host."""

from __future__ import annotations

from xpos.core.flows.online import TotalsRequest
from xpos.core.slips import mark_reprint
from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.receipts.escpos import render
from xpos.receipts.reprint import document_from_bytes
from xpos.refhost.settle import SettleLedger
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, DEMO, RunRig, alice_track, back_to_menu, sale, sign_on, voucher

SETTLE_KEY = "7"
SUPERVISOR = "123456"


async def settle(rig: TerminalRig) -> str:
    """From the main menu through the supervisor password to the confirm screen, then go."""
    assert "主管密码" in await rig.press(SETTLE_KEY)
    screen = await rig.type(SUPERVISOR + "#")
    assert "结算?" in screen, screen
    return await rig.press("1")


async def approved_sale(rig: TerminalRig, amount: str) -> int:
    assert "交易成功" in await sale(rig, amount, alice_track(), ALICE.pin)
    await back_to_menu(rig)
    record = rig.terminal.journal.last("sale")
    assert record is not None
    return record.stan


def _kinds(rig: TerminalRig) -> list[str]:
    return [e.mti + ":" + e.text.split("\n")[0] for e in rig.host.transcript if e.mti]


def test_balanced_settlement_sends_batch_end_only_and_opens_a_new_batch(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig, "1234")
        await approved_sale(rig, "500")
        assert "验证成功" in await voucher(rig, DEMO.demo_voucher)
        await back_to_menu(rig)
        rig.receipts()
        journal = rig.terminal.journal
        assert (journal.batch_no, journal.x_batch_no) == (1, 1)
        before = await rig.terminal.txn.handle(TotalsRequest())
        assert {(x.domain, x.kind, x.count) for x in before.totals} == {
            ("bank", "sale", 2), ("x", "voucher", 1)}
        screen = await settle(rig)
        assert "结算成功" in screen and "对账平" in screen, screen
        assert (journal.batch_no, journal.x_batch_no) == (2, 2)
        after = await rig.terminal.txn.handle(TotalsRequest())  # since the last settlement
        assert after.totals == () and after.batch == 2
        slip = rig.receipts()
        assert "结算单 SETTLEMENT" in slip and "2笔 ￥17.34" in slip
        assert "对账平 BALANCED" in slip and "新批次号 NEW BATCH: 000002" in slip
        descriptions = [e.text for e in rig.host.transcript if e.direction == "→host"]
        assert sum("批上送结束" in d for d in descriptions) == 1
        assert not any("批上送 " in d.split("\n")[0] + " " for d in descriptions
                       if "批上送结束" not in d)
        assert any("X结算" in d for d in descriptions)
        ledger = SettleLedger(rig.host.core.context)
        assert ledger.settled(rig.terminal.config.tid, "bank", 1) == ("11", True)
        assert ledger.uploads(rig.terminal.config.tid, 1).items == 0
        assert rig.host.store.terminal(rig.terminal.config.tid).batch == 2  # type: ignore[union-attr]
        await back_to_menu(rig)
        assert "原交易已结算" in await _void(rig, stan)

    run_rig(scenario)


async def _void(rig: TerminalRig, stan: int) -> str:
    await rig.press("5")
    await rig.type(SUPERVISOR + "#")
    return await rig.type(f"{stan}#")


def test_unbalanced_settlement_uploads_eight_per_message_then_ends(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        for n in range(9):
            await approved_sale(rig, str(100 + n))
        rig.host.faults.unbalanced()
        screen = await settle(rig)
        assert "结算成功" in screen and "对账不平" in screen, screen
        ledger = SettleLedger(rig.host.core.context)
        uploads = ledger.uploads(rig.terminal.config.tid, 1)
        assert (uploads.items, uploads.messages, uploads.duplicates) == (9, 2, 0)
        assert ledger.settled(rig.terminal.config.tid, "bank", 1) == ("21", True)
        slip = rig.receipts()
        assert "对账不平 UNBALANCED" in slip and "批上送 UPLOADED: 9笔" in slip
        assert rig.terminal.journal.batch_no == 2

    run_rig(scenario)


def test_pending_reversal_goes_before_the_settlement(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await approved_sale(rig, "300")
        rig.host.faults.drop()
        assert "交易超时" in await sale(rig, "700", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        assert rig.terminal.journal.pending_reversal() is not None
        screen = await settle(rig)
        assert "结算成功" in screen and "对账平" in screen, screen
        order = [e.mti for e in rig.host.transcript if e.direction == "→host"]
        assert order.index("0400") < order.index("0500")
        last = rig.terminal.journal.last("sale")
        assert last is not None and last.status is TxnStatus.REVERSED

    run_rig(scenario, response_timeout_s=0.3)


def test_settlement_cut_by_the_network_resumes_and_blocks_sales_until_done(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        for n in range(10):
            await approved_sale(rig, str(200 + n))
        rig.host.faults.unbalanced().drop(on=frozenset({MessageKind.BATCH_UPLOAD}))
        screen = await settle(rig)
        assert "结算未完成" in screen, screen
        await back_to_menu(rig)
        open_ = rig.terminal.journal.open_settlement()
        assert open_ is not None and open_.state == "upload" and open_.upload_index == 0
        assert "结算未完成" in await rig.press("2")  # no sale until the settlement is done
        await back_to_menu(rig)
        await rig.power_cycle()
        assert "结算未完成" in await _settle_resume(rig)
        ledger = SettleLedger(rig.host.core.context)
        uploads = ledger.uploads(rig.terminal.config.tid, 1)
        assert (uploads.items, uploads.duplicates, uploads.retransmits) == (10, 0, 1)
        assert rig.terminal.journal.open_settlement() is None
        assert rig.terminal.journal.batch_no == 2

    run_rig(scenario, response_timeout_s=0.3)


async def _settle_resume(rig: TerminalRig) -> str:
    assert "主管密码" in await rig.press(SETTLE_KEY)
    screen = await rig.type(SUPERVISOR + "#")
    assert "继续结算?" in screen
    done = await rig.press("1")
    assert "结算成功" in done, done
    return screen


def test_settlement_slip_reprint_is_the_original_plus_the_mark(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await approved_sale(rig, "1000")
        rig.receipts()
        before = len(rig.printer.output)
        assert "结算成功" in await settle(rig)
        first_bytes = bytes(rig.printer.output)[before:]
        first = rig.receipts()
        await back_to_menu(rig)
        await rig.power_cycle()
        start = len(rig.printer.output)
        await rig.press("4")
        screen = await rig.press("4")
        assert "重打印完成" in screen or "完成" in screen, screen
        reprinted = bytes(rig.printer.output)[start:]
        again = rig.receipts()
        assert "重打印 REPRINT" in again and "重打印 REPRINT" not in first
        assert [line for line in again.splitlines() if "REPRINT" not in line] == \
            first.splitlines()
        expected = render(mark_reprint(document_from_bytes("settlement", first_bytes)))
        assert reprinted == expected

    run_rig(scenario)
