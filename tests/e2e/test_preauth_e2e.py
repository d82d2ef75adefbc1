"""The pre-authorisation family end to end over the in-memory pair: terminal, journal,
host ledger and holds."""

from __future__ import annotations

from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost import holds
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sign_on

PREAUTH_MENU = "6"
SUPERVISOR = "123456"
PIN = ALICE.pin or ""


async def open_item(rig: TerminalRig, item: str) -> str:
    """From the main menu into the pre-auth submenu, then its item (1..4)."""
    assert "预授权完成撤销" in await rig.press(PREAUTH_MENU)
    return await rig.press(item)


async def preauth(rig: TerminalRig, amount: str) -> str:
    assert "请输入预授权金额" in await open_item(rig, "1")
    await rig.type(amount + "#")
    await rig.swipe(alice_track())
    return await rig.pin(PIN)


async def approved_preauth(rig: TerminalRig, amount: str) -> int:
    screen = await preauth(rig, amount)
    assert "交易成功" in screen and "授权码" in screen, screen
    await back_to_menu(rig)
    record = rig.terminal.journal.last("preauth")
    assert record is not None and record.status is TxnStatus.APPROVED
    return record.stan


async def linked(rig: TerminalRig, item: str, trace: str, *, amount: str | None = None,
                 supervisor: bool = False) -> str:
    """Pre-auth void (2), completion (3) or completion void (4) of a journal original."""
    screen = await open_item(rig, item)
    if supervisor:
        screen = await rig.type(SUPERVISOR + "#")
    assert "原凭证号" in screen, screen
    screen = await rig.type(trace + "#")
    if "确认" not in screen:
        return screen
    screen = await rig.press("ENTER")
    if amount is not None:
        screen = await rig.type(amount + "#")
    if "请刷卡" not in screen:
        return screen
    await rig.swipe(alice_track())
    return await rig.pin(PIN)


async def keyed(rig: TerminalRig, item: str, auth: str, date: str, amount: str, *,
                supervisor: bool = False) -> str:
    """The same with an empty trace number: auth code, date and amount keyed."""
    screen = await open_item(rig, item)
    if supervisor:
        screen = await rig.type(SUPERVISOR + "#")
    assert "原凭证号" in screen, screen
    assert "原授权码" in await rig.press("ENTER")
    assert "原交易日期" in await rig.type(auth + "#")
    await rig.type(date + "#")
    await rig.type(amount + "#")
    await rig.swipe(alice_track())
    return await rig.pin(PIN)


def hold_states(rig: TerminalRig) -> list[tuple[int, str]]:
    card = rig.host.store.card(ALICE.pan)
    assert card is not None
    return [(h.amount, h.status) for h in holds.holds(rig.host.store, card.id)]


def test_preauth_completion_and_completion_void_move_the_hold_and_the_money(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_preauth(rig, "5000")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance  # held, not debited
        assert hold_states(rig) == [(5000, "held")]
        slips = rig.receipts()
        assert "预授权/PRE-AUTH" in slips and "预授权金额 HELD AMOUNT" in slips
        assert "商户存根" in slips and "持卡人存根" in slips and ALICE.pan not in slips
        assert "交易成功" in await linked(rig, "3", str(stan), amount="4500")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 4500
        assert hold_states(rig) == [(5000, "completed")]
        journal = rig.terminal.journal
        original = journal.by_stan(stan)
        assert original is not None and original.detail["completed_by"] == stan + 1
        completion = journal.last("completion")
        assert completion is not None and completion.status is TxnStatus.APPROVED
        assert completion.detail["original_stan"] == stan
        await back_to_menu(rig)
        assert "原预授权已完成" in await linked(rig, "3", str(stan))
        await back_to_menu(rig)
        screen = await linked(rig, "4", str(completion.stan), supervisor=True)
        assert "交易成功" in screen, screen
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance
        marked = journal.by_stan(completion.stan)
        assert marked is not None and marked.voided
        totals = {k: (n, a) for _, k, n, a in journal.batch_totals(journal.batch_no)}
        assert totals == {"preauth": (1, 5000), "completion": (1, 4500),
                          "completion_void": (1, 4500)}

    run_rig(scenario)


def test_preauth_timeout_is_reversed_and_leaves_no_hold(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.drop(on=frozenset({MessageKind.PREAUTH}))
        assert "交易超时" in await preauth(rig, "5000")
        assert hold_states(rig) == [(5000, "held")]  # the host held it; no answer came
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "98" and pending.mti == "0400"
        assert pending.fields[25] == "06" and pending.fields[60].startswith("10")
        assert rig.receipts() == ""
        await back_to_menu(rig)
        await rig.power_cycle()
        await approved_preauth(rig, "100")  # the reversal goes out first
        mtis = [e.mti for e in rig.host.transcript if e.mti]
        assert mtis[-4:] == ["0400", "0410", "0100", "0110"]
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        assert hold_states(rig) == [(5000, "released"), (100, "held")]
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance

    run_rig(scenario, response_timeout_s=0.3)


def test_completion_timeout_is_reversed_money_back_and_hold_held_again(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_preauth(rig, "5000")
        rig.host.faults.drop(on=frozenset({MessageKind.COMPLETION}))
        assert "交易超时" in await linked(rig, "3", str(stan), amount="3000")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 3000
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.fields[61].startswith(
            f"{rig.terminal.journal.batch_no:06d}{stan:06d}")
        await back_to_menu(rig)
        await approved_preauth(rig, "100")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance  # no debit left
        assert hold_states(rig) == [(5000, "held"), (100, "held")]
        original = rig.terminal.journal.by_stan(stan)
        assert original is not None and "completed_by" not in original.detail
        await back_to_menu(rig)
        assert "交易成功" in await linked(rig, "3", str(stan), amount="5000")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 5000

    run_rig(scenario, response_timeout_s=0.3)


def test_keyed_original_over_the_hold_is_refused_by_the_host_then_voided(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_preauth(rig, "5000")
        record = rig.terminal.journal.by_stan(stan)
        assert record is not None and record.auth_code is not None
        date = str(record.detail["host_date"])
        assert "超出金额限制" in await keyed(rig, "3", record.auth_code, date, "5001")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance
        await back_to_menu(rig)
        assert "无此原交易" in await keyed(rig, "2", "999999", date, "5000", supervisor=True)
        await back_to_menu(rig)
        screen = await keyed(rig, "2", record.auth_code, date, "5000", supervisor=True)
        assert "交易成功" in screen, screen
        assert hold_states(rig) == [(5000, "released")]
        await back_to_menu(rig)
        assert "无效交易" in await keyed(rig, "3", record.auth_code, date, "100")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance

    run_rig(scenario)


def test_a_preauth_above_the_balance_left_after_holds_is_refused_51(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await approved_preauth(rig, str(ALICE.balance - 1000))
        assert "余额不足" in await preauth(rig, "1001")
        assert hold_states(rig) == [(ALICE.balance - 1000, "held")]

    run_rig(scenario)


def test_completion_with_a_bad_answer_mac_is_reversed_with_a0(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        stan = await approved_preauth(rig, "5000")
        rig.receipts()
        rig.host.faults.bad_mac(on=frozenset({MessageKind.COMPLETION}))
        assert "MAC校验错" in await linked(rig, "3", str(stan), amount="2000")
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "A0" and pending.fields.get(38)
        assert rig.receipts() == ""
        await back_to_menu(rig)
        await approved_preauth(rig, "100")
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance
        original = rig.terminal.journal.by_stan(stan)
        assert original is not None and "completed_by" not in original.detail
        assert hold_states(rig) == [(5000, "held"), (100, "held")]

    run_rig(scenario)
