"""Void (撤销) end to end over the in-memory pair: the terminal, its journal, the host."""

from __future__ import annotations

from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost.seed import track2_for
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, BOB, RunRig, alice_track, back_to_menu, sale, sign_on

VOID_KEY = "5"
SUPERVISOR = "123456"


async def void(rig: TerminalRig, trace: int, *, password: str = SUPERVISOR) -> str:
    """From the main menu to the original shown (or the refusal)."""
    assert "主管密码" in await rig.press(VOID_KEY)
    screen = await rig.type(password + "#")
    if "原凭证号" not in screen:
        return screen
    return await rig.type(f"{trace}#")


async def full_void(rig: TerminalRig, trace: int, track2: str, pin: str) -> str:
    shown = await void(rig, trace)
    assert "确认撤销" in shown, shown
    assert "0=全额" in await rig.press("ENTER")  # the amount to cancel
    await rig.press("ENTER")  # 0.00: the whole sale
    await rig.swipe(track2)
    return await rig.pin(pin)


async def approved_sale(rig: TerminalRig, amount: str = "1234") -> int:
    assert "交易成功" in await sale(rig, amount, alice_track(), ALICE.pin)
    await back_to_menu(rig)
    rig.receipts()
    record = rig.terminal.journal.last("sale")
    assert record is not None
    return record.stan


def test_sale_then_void_gives_the_money_back_and_marks_the_sale_voided(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1234
        shown = await void(rig, stan)
        assert "621234*********4567" in shown and "12.34" in shown and f"{stan:06d}" in shown
        await rig.press("ENTER")
        await rig.press("ENTER")
        await rig.swipe(alice_track())
        assert "交易成功" in await rig.pin(ALICE.pin or "")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance
        journal = rig.terminal.journal
        voided = journal.by_stan(stan)
        assert voided is not None and voided.voided and voided.status is TxnStatus.APPROVED
        row = journal.last("void")
        assert row is not None and (row.status, row.amount, row.rc) == (TxnStatus.APPROVED,
                                                                        1234, "00")
        assert row.detail["original_stan"] == stan and journal.pending_reversal() is None
        slips = rig.receipts()
        assert "撤销/VOID" in slips and f"原凭证号 ORIG. TRACE NO.: {stan:06d}" in slips
        assert "商户存根" in slips and "持卡人存根" in slips and ALICE.pan not in slips
        voids = [e.text for e in rig.host.transcript if "消费撤销" in e.text]
        assert len(voids) == 2  # the request and its answer
        assert all(ALICE.pan not in text for text in voids)
        await back_to_menu(rig)
        assert "原交易已撤销" in await void(rig, stan)
        totals = dict(((d, k), (n, a)) for d, k, n, a in journal.batch_totals(voided.batch))
        assert totals == {("bank", "sale"): (1, 1234), ("bank", "void"): (1, 1234)}

    run_rig(scenario)


def test_void_timeout_is_reversed_and_the_balance_ends_as_after_the_sale(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig, "500")
        rig.host.faults.drop(on=frozenset({MessageKind.VOID}))
        assert "交易超时" in await full_void(rig, stan, alice_track(), ALICE.pin or "")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance  # the host voided it
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "98"
        assert pending.fields[61] == f"{rig.terminal.journal.batch_no:06d}{stan:06d}"
        assert rig.receipts() == ""
        await back_to_menu(rig)
        await rig.power_cycle()
        await approved_sale(rig, "100")  # the reversal goes out first
        mtis = [e.mti for e in rig.host.transcript if e.mti]
        assert mtis[-4:] == ["0400", "0410", "0200", "0210"]
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        original = rig.terminal.journal.by_stan(stan)
        assert original is not None and not original.voided
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 500 - 100

    run_rig(scenario, response_timeout_s=0.3)


def test_void_with_a_bad_answer_mac_is_reversed_with_a0(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig, "700")
        rig.host.faults.bad_mac(on=frozenset({MessageKind.VOID}))
        assert "MAC校验错" in await full_void(rig, stan, alice_track(), ALICE.pin or "")
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "A0"
        await back_to_menu(rig)
        await approved_sale(rig, "100")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 700 - 100
        original = rig.terminal.journal.by_stan(stan)
        assert original is not None and not original.voided

    run_rig(scenario)


def test_local_refusals_send_nothing(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig)
        sent = len(rig.host.transcript)
        assert "无此交易" in await void(rig, 999)
        await back_to_menu(rig)
        rig.host.faults.decline("51")
        assert "余额不足" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        declined = rig.terminal.journal.last("sale")
        assert declined is not None and declined.status is TxnStatus.DECLINED
        sent = len(rig.host.transcript)
        assert "原交易未成功" in await void(rig, declined.stan)
        await back_to_menu(rig)
        shown = await void(rig, stan)
        assert "确认撤销" in shown
        await rig.press("ENTER")
        await rig.press("ENTER")
        assert "卡号与原交易不符" in await rig.swipe(track2_for(BOB.pan, BOB.expiry))
        await back_to_menu(rig)
        assert len(rig.host.transcript) == sent
        assert rig.terminal.journal.last("void") is None
        rig.terminal.journal.set_batch_no(rig.terminal.journal.batch_no + 1)
        assert "原交易已结算" in await void(rig, stan)
        await back_to_menu(rig)
        assert len(rig.host.transcript) == sent

    run_rig(scenario)


def test_three_wrong_supervisor_passwords_refuse_the_void(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await approved_sale(rig)
        assert "主管密码错误" in await void(rig, 1, password="111111")
        assert "主管密码" in await rig.press("ENTER")
        assert "主管密码错误" in await rig.type("222222#")
        await rig.press("ENTER")
        screen = await rig.type("333333#")
        assert "密码错误次数过多" in screen
        assert "111111" not in screen
        assert rig.terminal.journal.last("void") is None

    run_rig(scenario)


def test_the_supervisor_password_is_configurable(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_sale(rig)
        assert "主管密码错误" in await void(rig, stan)
        await back_to_menu(rig)
        assert "确认撤销" in await void(rig, stan, password="2468")

    run_rig(scenario, supervisor_password="2468")
