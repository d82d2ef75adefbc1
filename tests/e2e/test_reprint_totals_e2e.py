"""Reprints (B2/B3) and totals (B1) on the rig: menu 4 打印 → 1 last, 2 by trace, 3 totals."""

from xpos.core.slips import REPRINT
from xpos.journal import TxnStatus
from xpos.receipts.decode import PrintedLine, decode_lines
from xpos.refhost.seed import DEMO
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on, voucher


def _texts(job: bytes) -> list[PrintedLine]:
    return decode_lines(job)


def assert_reprint_of(original: bytes, reprint: bytes) -> None:
    """Decoded line by line, the reprint is the original plus one 重打印 REPRINT line."""
    before, after = _texts(original), _texts(reprint)
    marks = [i for i, line in enumerate(after) if line.text == REPRINT]
    assert len(marks) == 1, [line.text for line in after]
    assert after[:marks[0]] + after[marks[0] + 1:] == before
    assert before[marks[0]].text == "-" * 32  # after the header, before the first rule


async def _menu_print(rig: TerminalRig, item: str) -> str:
    await rig.press("4")
    return await rig.press(item)


def test_reprint_last_then_by_trace_after_a_restart(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "1234", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        originals = list(rig.printer.jobs)
        assert len(originals) == 2
        record = rig.terminal.journal.last("sale")
        assert record is not None and record.status is TxnStatus.APPROVED

        assert "重打印完成" in await _menu_print(rig, "1")
        for original, reprint in zip(originals, rig.printer.jobs[2:], strict=True):
            assert_reprint_of(original, reprint)
        await back_to_menu(rig)

        await rig.power_cycle()  # a new printer: its jobs start empty
        await rig.press("4", "2")
        screen = await rig.type(f"{record.stan}#")
        assert "重打印完成" in screen
        for original, reprint in zip(originals, rig.printer.jobs, strict=True):
            assert_reprint_of(original, reprint)
        assert ALICE.pan not in rig.receipts()
        await back_to_menu(rig)

        assert "重打印完成" in await _menu_print(rig, "1")  # still the sale, not a reprint
        assert_reprint_of(originals[0], rig.printer.jobs[2])

    run_rig(scenario)


def test_reprint_of_an_unknown_trace_is_refused_and_prints_nothing(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "无此交易" in await _menu_print(rig, "1")  # nothing printed yet
        await back_to_menu(rig)
        await rig.press("4", "2")
        assert "无此交易" in await rig.type("999#")
        assert rig.printer.jobs == []

    run_rig(scenario)


def test_a_receipt_lost_to_paper_out_is_recovered_by_reprint(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        printer = rig.printer
        await sign_on(rig)
        stop = printer.on_change(lambda: printer.paper_out() if printer.jobs else None)
        screen = await sale(rig, "500", alice_track(), ALICE.pin)
        stop()
        assert "打印机缺纸" in screen
        assert "交易成功" in await rig.press("2")  # no reload: the customer copy is lost
        assert len(printer.jobs) == 1 and "持卡人存根" not in rig.receipts()
        await back_to_menu(rig)
        printer.reload()

        assert "重打印完成" in await _menu_print(rig, "1")
        merchant, customer = printer.jobs[1:]
        assert_reprint_of(printer.jobs[0], merchant)
        record = rig.terminal.journal.last("sale")
        assert record is not None
        (_, merchant_kept), (name, lost) = rig.terminal.journal.receipts_of(record.id)
        assert name == "sale-customer" and merchant_kept == printer.jobs[0]
        assert_reprint_of(lost, customer)  # the copy that never reached the paper
        text = rig.receipts()
        assert "持卡人存根" in text and REPRINT in text and "￥5.00" in text

    run_rig(scenario)


def test_totals_count_approved_only_bank_and_x_apart(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        for amount in ("100", "250"):
            assert "交易成功" in await sale(rig, amount, alice_track(), ALICE.pin)
            await back_to_menu(rig)
        assert "密码错误" in await sale(rig, "900", alice_track(), "000000")
        await back_to_menu(rig)
        assert "验证成功" in await voucher(rig, DEMO.demo_voucher)
        await back_to_menu(rig)
        rig.receipts()

        screen = await _menu_print(rig, "3")
        assert "交易汇总 1/" in screen and "银行卡" in screen
        assert "消费 2笔" in screen and "3.50" in screen and "9.00" not in screen
        pages = [screen]
        while "打印汇总单" not in pages[-1]:
            pages.append(await rig.press("ENTER"))
        shown = "\n".join(pages)
        assert "X菜单" in shown and "券兑换 1笔" in shown
        await rig.press("1")
        slip = rig.receipts()
        assert "交易汇总 TOTALS" in slip and "批次号 BATCH NO.:" in slip
        assert "2笔 ￥3.50" in slip and "券兑换/VOUCHER" in slip
        bank, x = slip.split("银行卡 BANK CARD")[1].split("X菜单 X MENU")
        assert "消费/SALE" in bank and "VOUCHER" not in bank
        assert "券兑换/VOUCHER" in x and "消费/SALE" not in x
        assert ALICE.pan not in slip

    run_rig(scenario)
