"""The lost-receipt gap (issue 10): a kill after the approval's commit, before any slip.

A real terminal process is SIGKILLed at ``sale.after_commit`` (the journal says
approved, no print record exists); a new terminal on the same data directory then
reprints by trace number and "reprint last": both print the sale's slips, laid out
again from the journal row (xpos/terminal/slip_rebuild.py), with the REPRINT mark.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from xpos.core.flows.online import Outcome, ReprintRequest
from xpos.core.slip_time import TERMINAL_TIME
from xpos.journal import Journal, TxnStatus
from xpos.model import TextLine
from xpos.terminal.clock import VirtualClock
from xpos.terminal.config import JOURNAL_NAME, load_config
from xpos.terminal.local import reprint_reply
from xpos.terminal.slip_rebuild import rebuild, rebuildable, slip_source
from xpos.testing.crash import Harness, Life
from xpos.testing.crashdrivers import DRIVERS, choose
from xpos.testing.rig import TerminalRig

AMOUNT = 4321


def _texts(document: object) -> list[str]:
    return [e.text for e in getattr(document, "elements", ()) if isinstance(e, TextLine)]


async def reprints(rig: TerminalRig, stan: int) -> tuple[str, str]:
    """Reprint by trace number ``stan``, then "reprint last": the receipts after each."""
    await choose(rig, "打印")
    await choose(rig, "按凭证号重打印")
    screen = await rig.type(f"{stan}#")
    assert "重打印完成" in screen, screen
    by_trace = rig.receipts()
    await rig.press("ENTER")
    await choose(rig, "重打印最后一笔")
    assert "重打印完成" in rig.screen(), rig.screen()
    return by_trace, rig.receipts()


async def _reprints(data_dir: Path, port: int, stan: int) -> tuple[str, str]:
    async with TerminalRig(data_dir, host_address=f"127.0.0.1:{port}", sign_on=True) as rig:
        return await reprints(rig, stan)


def test_a_kill_after_the_commit_loses_no_receipt(tmp_path: Path) -> None:
    harness = Harness(tmp_path, seed=1)
    harness.start_host()
    try:
        harness.recover()  # signs on, one sale of 1.00 with its slips
        killed = harness.run_life(Life(plan=(("sale", AMOUNT),), point="sale.after_commit@1"))
        assert killed and not harness.report.child_errors
        with Journal(tmp_path / JOURNAL_NAME) as journal:
            sale = journal.last()
            assert sale is not None and sale.kind == "sale" and sale.amount == AMOUNT
            assert sale.status is TxnStatus.APPROVED and journal.receipts_of(sale.id) == []
            # Negative control: without a rebuild the reprint finds nothing (the gap).
            gap = reprint_reply(journal, ReprintRequest(stan=sale.stan))
            assert gap.outcome is Outcome.DECLINED
            older = reprint_reply(journal, ReprintRequest())
            assert older.stan != sale.stan  # "reprint last" would show the older slip
        by_trace, last = asyncio.run(_reprints(tmp_path, harness.port, sale.stan))
    finally:
        harness.stop_host()
    for text in (by_trace, last):
        assert text.count("重打印 REPRINT") == 2  # both copies, each marked
        assert "商户存根 MERCHANT COPY" in text and "持卡人存根 CARDHOLDER COPY" in text
        assert "消费/SALE" in text and "43.21" in text and f"{sale.stan:06d}" in text
        assert sale.masked_pan in text and (sale.rrn or "") in text
        assert (sale.auth_code or "") in text


async def _printed_day(data_dir: Path) -> None:
    async with TerminalRig(data_dir, transport="memory", clock=VirtualClock(),
                           sign_on=True) as rig:
        for kind in ("sale", "void", "sale", "refund", "preauth", "completion",
                     "completion_void"):
            await DRIVERS[kind](rig, AMOUNT, lambda line: None)


def test_a_rebuilt_slip_has_the_original_layout_for_every_card_kind(tmp_path: Path) -> None:
    asyncio.run(_printed_day(tmp_path))
    source = slip_source(load_config(tmp_path))
    with Journal(tmp_path / JOURNAL_NAME) as journal:
        rows = [t for t in journal.transactions() if rebuildable(t)]
        pairs = [(t, reprint_reply(journal, ReprintRequest(stan=t.stan)),
                  rebuild(journal, t, source)) for t in rows]
        declined = replace(rows[0], status=TxnStatus.DECLINED)
        with pytest.raises(ValueError):
            rebuild(journal, declined, source)
        assert not rebuildable(replace(rows[0], detail={"order_pay": 1}))
    assert sorted({t.kind for t in rows}) == sorted(
        {"sale", "void", "refund", "preauth", "completion", "completion_void"})
    for record, printed, rebuilt in pairs:
        assert [d.name for d in rebuilt] == [d.name for d in printed.documents], record.kind
        assert {"host_date", "host_time"} <= set(record.detail), record.kind
        for original, again in zip(printed.documents, rebuilt, strict=True):
            # The same lines in the same places, the host's date and time included (kept
            # in the row's detail); the printed copy is decoded from its ESC/POS bytes.
            assert _texts(again) == _texts(original), record.kind
            assert TERMINAL_TIME not in _texts(again)
