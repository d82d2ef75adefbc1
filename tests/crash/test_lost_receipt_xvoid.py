"""The lost receipt of an X void (核销撤销) of a redemption: its slip laid out again from
the journal row (xpos/terminal/slip_rebuild_x.py).

In one life the void prints its slip; the slip rebuilt from the row has the same lines in
the same places, the host's date and time included. Then a real terminal process is
SIGKILLed at ``voucher_void.after_commit`` (the journal says approved, no print record);
a new terminal on the same data directory reprints by trace number and "reprint last":
both print the void's slip, laid out again, with the REPRINT mark.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
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
from xpos.testing.crashdrivers import answered, choose
from xpos.testing.rig import TerminalRig

from .test_lost_receipt import reprints

GYM = "883300112239"  # 健身次卡: 5 items
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 240
CHILD = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.crash.test_lost_receipt_xvoid import redeem_and_void
asyncio.run(redeem_and_void(Path(sys.argv[1])))
"""


def _texts(document: object) -> list[str]:
    return [e.text for e in getattr(document, "elements", ()) if isinstance(e, TextLine)]


async def _menu(rig: TerminalRig) -> None:
    for _ in range(8):
        if "主菜单" in rig.screen():
            return
        await rig.press("CANCEL")


async def _redeem_and_void(rig: TerminalRig) -> None:
    await choose(rig, "X菜单")
    await choose(rig, "订单验证")
    await rig.type(f"{GYM}#")
    await rig.press("2", "ENTER")
    await rig.press("ENTER")  # 确认核销 2 份?
    await answered(rig)
    redeemed = rig.terminal.journal.last("voucher")
    assert redeemed is not None and redeemed.status is TxnStatus.APPROVED, rig.screen()
    await rig.press("ENTER")
    await _menu(rig)
    await choose(rig, "X菜单")
    await choose(rig, "核销撤销")
    await rig.type("123456#")
    await rig.type(f"{redeemed.stan}#")
    await rig.press("ENTER")  # 确认撤销核销?
    await answered(rig)


async def redeem_and_void(data_dir: Path) -> None:
    """Redeem 2 of the gym card's 5 items, then void that redemption (the child's life)."""
    async with TerminalRig(data_dir, transport="memory", clock=VirtualClock(),
                           sign_on=True) as rig:
        await _redeem_and_void(rig)


def test_a_rebuilt_x_void_slip_has_the_printed_layout(tmp_path: Path) -> None:
    asyncio.run(redeem_and_void(tmp_path))
    source = slip_source(load_config(tmp_path))
    with Journal(tmp_path / JOURNAL_NAME) as journal:
        void = journal.last("voucher_void")
        assert void is not None and void.status is TxnStatus.APPROVED and void.domain == "x"
        assert rebuildable(void)
        printed = reprint_reply(journal, ReprintRequest(stan=void.stan))
        rebuilt = rebuild(journal, void, source)
        assert not rebuildable(replace(void, status=TxnStatus.DECLINED))
        with pytest.raises(ValueError):
            rebuild(journal, replace(void, status=TxnStatus.FAILED), source)
    assert {"host_date", "host_time", "provider"} <= set(void.detail)
    assert [d.name for d in rebuilt] == [d.name for d in printed.documents] == ["voucher_void"]
    assert _texts(rebuilt[0]) == _texts(printed.documents[0])
    assert TERMINAL_TIME not in _texts(rebuilt[0])


async def _reprints(data_dir: Path, stan: int) -> tuple[str, str]:
    async with TerminalRig(data_dir, transport="memory", clock=VirtualClock(),
                           sign_on=True) as rig:
        return await reprints(rig, stan)


def test_a_kill_after_the_x_void_commit_loses_no_receipt(tmp_path: Path) -> None:
    env = {**os.environ, "XPOS_CRASH_AT": "voucher_void.after_commit"}
    child = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(ROOT)], env=env,
                           capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    assert child.returncode == -9, child.stderr[-2000:]
    with Journal(tmp_path / JOURNAL_NAME) as journal:
        void = journal.last("voucher_void")
        assert void is not None and void.status is TxnStatus.APPROVED
        assert journal.receipts_of(void.id) == []
        # Negative control: without a rebuild the reprint finds nothing (the gap).
        assert reprint_reply(journal, ReprintRequest(stan=void.stan)).outcome \
            is Outcome.DECLINED
        original = int(void.detail["original_stan"])  # type: ignore[call-overload]
    by_trace, last = asyncio.run(_reprints(tmp_path, void.stan))
    for text in (by_trace, last):
        assert text.count("重打印 REPRINT") == 1  # one slip, marked
        assert "核销撤销凭证 REDEMPTION VOID" in text and "健身次卡" in text
        assert "撤销 RESTORED:" in text and "2 份" in text and "5 份" in text
        assert f"{original:06d}" in text and f"{void.stan:06d}" in text
        assert "********2239" in text and GYM not in text
        assert TERMINAL_TIME not in text
