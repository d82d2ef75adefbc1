"""The money-rule defects, end to end against the reference host."""

import logging

import pytest

from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on

REVERSAL = frozenset({MessageKind.REVERSAL})
SIGN_ON = frozenset({MessageKind.SIGN_ON})


async def _timed_out_sale(rig: TerminalRig) -> None:
    rig.host.faults.drop()
    assert "交易超时" in await sale(rig, "500", alice_track(), ALICE.pin)
    await back_to_menu(rig)


def test_a_0410_asking_for_sign_on_drops_the_keys_and_the_reversal_goes_out_later(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _timed_out_sale(rig)
        rig.host.faults.decline("77", on=REVERSAL)
        assert "请先签到" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert not rig.terminal.keystore.has_working_keys
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "06"
        await back_to_menu(rig)
        assert "请先签到" in await rig.press("2")
        await back_to_menu(rig)
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario, response_timeout_s=0.3)


@pytest.mark.parametrize("fault", ["drop", "malformed"])
def test_a_sign_on_without_a_good_answer_leaves_the_terminal_not_signed_on(
        run_rig: RunRig, fault: str) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        getattr(rig.host.faults, fault)(on=SIGN_ON)
        screen = await rig.press("1")
        assert "签到成功" not in screen
        assert not rig.terminal.keystore.has_working_keys
        await back_to_menu(rig)
        assert "请先签到" in await rig.press("2")
        assert [e.mti for e in rig.host.transcript if e.mti == "0200"] == []
        await back_to_menu(rig)
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)

    run_rig(scenario, response_timeout_s=0.3)


def test_an_unreachable_sign_on_keeps_the_old_keys(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        real = rig.embedded_address
        await rig.reconfigure(host="127.0.0.1:9")
        assert "连接主机失败" in await rig.press("1")
        assert rig.terminal.keystore.has_working_keys
        await back_to_menu(rig)
        await rig.reconfigure(host=real)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)

    run_rig(scenario, response_timeout_s=0.3)


def test_the_reversal_log_says_bad_mac_not_refused(run_rig: RunRig,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _timed_out_sale(rig)
        rig.host.faults.bad_mac(on=REVERSAL)
        caplog.clear()
        assert "冲正未完成" in await sale(rig, "100", alice_track(), ALICE.pin)
        lines = [r.getMessage() for r in caplog.records if "reversal:" in r.getMessage()]
        assert len(lines) == 1 and "bad MAC (rc 00)" in lines[0]
        assert "refused" not in lines[0]

    caplog.set_level(logging.INFO, logger="xpos.terminal.txn")
    run_rig(scenario, response_timeout_s=0.3)
