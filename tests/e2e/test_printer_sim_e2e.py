"""Sales printed on the network printer simulator: the paper-out contract end to end.

The terminal's printer is ``escpos+tcp://`` (python-escpos ``Network``) talking to
:class:`~xpos.testing.printer_sim.PrinterSim`. Whatever the moment the paper ends --
before the slip, between the two copies, in the middle of a slip -- the sale stands,
the operator is told 打印机缺纸, and after the reload each slip is on paper whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xpos.journal import TxnStatus
from xpos.receipts.decode import decode_escpos
from xpos.testing.printer_sim import PrinterSim
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, sale, sign_on


def _receipts(rig: TerminalRig) -> tuple[bytes, bytes]:
    record = rig.terminal.journal.last("sale")
    assert record is not None and record.status is TxnStatus.APPROVED
    (merchant_name, merchant), (customer_name, customer) = (
        rig.terminal.journal.receipts_of(record.id))
    assert (merchant_name, customer_name) == ("sale-merchant", "sale-customer")
    return merchant, customer


async def _reload_and_retry(rig: TerminalRig, sim: PrinterSim, screen: str) -> str:
    assert "打印机缺纸" in screen and "装纸后按确认键重打" in screen
    assert sim.paper_ok is False
    sim.reload()
    return await rig.press("ENTER")


def test_a_sale_prints_both_copies_on_the_network_printer(
        run_rig: RunRig, sim: PrinterSim) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "1234", alice_track(), ALICE.pin)
        merchant, customer = _receipts(rig)
        assert sim.output == merchant + customer
        text = sim.text()
        assert "商户存根" in text and "持卡人存根" in text and "￥12.34" in text
        assert ALICE.pan not in text

    run_rig(scenario, devices={"printer": sim.url})


def test_paper_out_before_the_sale_is_detected_and_nothing_is_lost(
        run_rig: RunRig, sim: PrinterSim) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        sim.paper_out()
        screen = await sale(rig, "500", alice_track(), ALICE.pin)
        screen = await _reload_and_retry(rig, sim, screen)
        assert "交易成功" in screen
        merchant, customer = _receipts(rig)
        assert sim.output == merchant + customer  # nothing was sent while out of paper

    run_rig(scenario, devices={"printer": sim.url})


def test_paper_out_between_the_copies_prints_the_customer_copy_whole(
        run_rig: RunRig, sim: PrinterSim) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "500", alice_track(), ALICE.pin)
        first_merchant, _ = _receipts(rig)
        await rig.press("ENTER")
        sim.clear()
        sim.paper_out(after_bytes=len(first_merchant))  # the same length for this sale
        screen = await sale(rig, "500", alice_track(), ALICE.pin)
        screen = await _reload_and_retry(rig, sim, screen)
        assert "交易成功" in screen
        merchant, customer = _receipts(rig)
        assert len(merchant) == len(first_merchant)
        assert sim.output == merchant + customer
        assert sim.lost > 0  # the customer copy's first bytes fell on no paper

    run_rig(scenario, devices={"printer": sim.url})


def test_paper_out_mid_slip_prints_the_slip_whole_after_reload(
        run_rig: RunRig, sim: PrinterSim) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        sim.paper_out(after_bytes=150)
        screen = await sale(rig, "777", alice_track(), ALICE.pin)
        screen = await _reload_and_retry(rig, sim, screen)
        assert "交易成功" in screen
        merchant, customer = _receipts(rig)
        assert sim.output == merchant[:150] + merchant + customer  # whole, not the tail
        record = rig.terminal.journal.last("sale")
        assert record is not None
        assert rig.terminal.journal.print_status(record.id) == [  # the journal knows
            ("sale-merchant", False), ("sale-merchant", True), ("sale-customer", True)]
        whole = decode_escpos(sim.output[150:])
        assert whole == decode_escpos(merchant + customer) and "￥7.77" in whole

    run_rig(scenario, devices={"printer": sim.url})


def test_the_printer_profile_in_the_url_decides_the_cut(run_rig: RunRig, sim: PrinterSim) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        merchant, customer = _receipts(rig)
        # TM-T88V has a cutter: GS V 0 after the feed; POS-5890 (default) gets GS V B 0.
        assert merchant.endswith(b"\x1bd\x06\x1dV\x00") and b"\x1dVB\x00" not in merchant
        assert sim.output == merchant + customer

    run_rig(scenario, devices={"printer": sim.url + "&profile=TM-T88V"})


def test_chinese_as_images_on_paper_and_as_text_in_the_journal(
        run_rig: RunRig, sim: PrinterSim) -> None:
    pytest.importorskip("PIL")
    from xpos.receipts import raster

    if not any(Path(font).is_file() for font in raster.FONT_CANDIDATES):
        pytest.skip("no CJK font installed (Debian fonts-wqy-microhei)")

    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "250", alice_track(), ALICE.pin)
        merchant, _ = _receipts(rig)
        kept = decode_escpos(merchant)
        assert "签购单 POS SALES SLIP" in kept and "￥2.50" in kept  # reprintable text
        paper = sim.text()
        assert "[IMAGE 384x28]" in paper and "签购单" not in paper and "商户存根" not in paper
        assert re.search(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d$", paper, re.M)  # ASCII: text
        assert b"\x1c&" not in sim.output  # no Chinese mode on this printer

    run_rig(scenario, devices={"printer": sim.url + "&chinese=image"})
