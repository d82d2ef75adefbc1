"""Refund and balance end to end over the in-memory pair: terminal, journal, host ledger."""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime

import pytest

from xpos.cli.journal import _list_journal
from xpos.journal import TxnStatus
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on


async def choose(rig: TerminalRig, label: str) -> str:
    """Press the main-menu digit of ``label``, turning pages (DOWN) until it shows."""
    for _ in range(4):
        found = re.search(rf"(\d)\.{label}", "\n".join(rig.display.lines))
        if found:
            return await rig.press(found.group(1))
        await rig.press("DOWN")
    raise AssertionError(f"no menu item {label}")


async def approved_sale(rig: TerminalRig, amount: str) -> tuple[str, str]:
    """A sale; its RRN and local date (MMDD) as printed on the slip."""
    assert "交易成功" in await sale(rig, amount, alice_track(), ALICE.pin)
    await back_to_menu(rig)
    record = rig.terminal.journal.last("sale")
    assert record is not None and record.rrn
    return record.rrn, datetime.fromisoformat(record.created_at).astimezone().strftime("%m%d")


async def refund(rig: TerminalRig, rrn: str, date: str, amount: str) -> str:
    assert "主管密码" in await choose(rig, "退货")
    assert "原参考号" in await rig.type("123456#")
    await rig.type(rrn + "#")
    shown = await rig.type(date + "#")
    if "原交易" in shown:
        shown = await rig.press("ENTER")
    assert "退货金额" in shown, shown
    await rig.type(amount)
    await rig.press("ENTER")
    assert "确认退货" in await rig.swipe(alice_track())
    return await rig.press("1")


def test_refunds_credit_the_card_up_to_the_sale_and_count_as_credits_in_the_totals(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rrn, date = await approved_sale(rig, "2000")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 2000
        assert "交易成功" in await refund(rig, rrn, date, "500")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1500
        await back_to_menu(rig)
        assert "超出可退货金额" in await refund(rig, rrn, date, "1501")
        await back_to_menu(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1500
        totals = dict(((d, k), (n, a)) for d, k, n, a in
                      rig.terminal.journal.batch_totals(rig.terminal.journal.batch_no))
        assert totals[("bank", "refund")] == (1, 500) and totals[("bank", "sale")] == (1, 2000)
        assert not [m for _, m in rig.messages if m.mti.startswith("04")]
        listing = io.StringIO()
        _list_journal(rig.terminal.journal, listing)
        assert f"orig {rrn} {date}" in listing.getvalue()

    run_rig(scenario)


def test_a_refund_without_an_answer_stays_unknown_and_is_never_reversed(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rrn, date = await approved_sale(rig, "800")
        rig.host.faults.drop()
        shown = await refund(rig, rrn, date, "800")
        assert "退货结果未知" in shown and "请与收单行核实" in shown
        row = rig.terminal.journal.last("refund")
        assert row is not None and row.status is TxnStatus.PENDING
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance  # the host did credit it
        await back_to_menu(rig)
        await rig.power_cycle()
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert not [m for _, m in rig.messages if m.mti.startswith("04")]
        assert not rig.host.store.entries(kind="reversal")

    run_rig(scenario, response_timeout_s=0.3)


def test_the_balance_is_shown_and_nowhere_else(run_rig: RunRig,
                                              caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await approved_sale(rig, "1234")
        rig.receipts()
        await choose(rig, "查余额")
        await rig.swipe(alice_track())
        shown = await rig.pin(ALICE.pin or "")
        assert "余额: 987.66" in shown
        await rig.press("ENTER")
        assert "987.66" not in rig.receipts() and "98766" not in rig.receipts()
        row = rig.terminal.journal.last("balance")
        assert row is not None and (row.status, row.amount, row.rc) == (
            TxnStatus.APPROVED, 0, "00")
        assert "98766" not in str(row.detail)
        listing = io.StringIO()
        _list_journal(rig.terminal.journal, listing)
        assert "987.66" not in listing.getvalue() and "balance bank" in listing.getvalue()
        assert not any("98766" in line or "987.66" in line for line in rig.traffic)
        assert not any("98766" in str(entry) for entry in rig.host.transcript)
        assert not [m for _, m in rig.messages if m.mti.startswith("04")]

    with caplog.at_level(logging.DEBUG):
        run_rig(scenario)
    assert "98766" not in caplog.text and "987.66" not in caplog.text
