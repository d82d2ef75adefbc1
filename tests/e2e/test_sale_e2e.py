from xpos.journal import TxnStatus
from xpos.proto.messages import MessageKind
from xpos.refhost.seed import track2_for
from xpos.testing.rig import TerminalRig

from .conftest import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    RunRig,
    alice_track,
    back_to_menu,
    closed_port,
    sale,
    sign_on,
)


async def _approved_sale_works(rig: TerminalRig, amount: str = "100") -> None:
    assert "交易成功" in await sale(rig, amount, alice_track(), ALICE.pin)
    last = rig.terminal.journal.last("sale")
    assert last is not None and last.status is TxnStatus.APPROVED
    assert "￥" in rig.receipts()
    await back_to_menu(rig)


def test_sale_approved_prints_two_masked_copies_and_journals(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "1234", alice_track(), ALICE.pin)
        slips = rig.receipts()
        assert "商户存根" in slips and "持卡人存根" in slips and "￥12.34" in slips
        assert ALICE.pan not in slips and "621234*********4567" in slips
        record = rig.terminal.journal.last("sale")
        assert record is not None
        assert (record.status, record.amount, record.rc) == (TxnStatus.APPROVED, 1234, "00")
        assert record.masked_pan == "621234*********4567"
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 1234
        transcript = "\n".join(str(e) for e in rig.host.transcript)
        assert ALICE.pan not in transcript and "<PIN block>" in transcript

    run_rig(scenario)


def _declined(card_track: str, pin: str | None, amount: str, message: str, rc: str) -> object:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert message in await sale(rig, amount, card_track, pin)
        record = rig.terminal.journal.last("sale")
        assert record is not None and (record.status, record.rc) == (TxnStatus.DECLINED, rc)
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.receipts() == ""
        await back_to_menu(rig)
        await _approved_sale_works(rig)

    return scenario


def test_wrong_pin_is_declined_55_and_next_sale_works(run_rig: RunRig) -> None:
    run_rig(_declined(alice_track(), "000000", "100", "密码错误", "55"))


def test_insufficient_funds_is_declined_51(run_rig: RunRig) -> None:
    run_rig(_declined(track2_for(BOB.pan, BOB.expiry), BOB.pin, "99999", "余额不足", "51"))


def test_unknown_card_is_declined_14(run_rig: RunRig) -> None:
    run_rig(_declined(track2_for("6299990000000000000", "3012"), "123456", "100",
                      "无效卡号", "14"))


def test_expired_card_is_declined_54(run_rig: RunRig) -> None:
    run_rig(_declined(track2_for(CAROL.pan, CAROL.expiry), CAROL.pin, "100", "卡已过期", "54"))


def test_blocked_card_is_declined_62(run_rig: RunRig) -> None:
    run_rig(_declined(track2_for(DAVE.pan, DAVE.expiry), DAVE.pin, "100", "受限制的卡", "62"))


def test_sale_before_sign_on_asks_to_sign_on_and_sends_nothing(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert "请先签到" in await rig.press("2")
        assert "主菜单" in await rig.press("ENTER")
        assert list(rig.host.transcript) == []
        assert rig.terminal.journal.last() is None

    run_rig(scenario)


def test_primary_and_backup_down_shows_unreachable_and_next_sale_works(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        real = rig.embedded_address
        await rig.reconfigure(host=f"127.0.0.1:{closed_port()}",
                              backup_host=f"127.0.0.1:{closed_port()}")
        assert "连接主机失败" in await sale(rig, "100", alice_track(), ALICE.pin)
        record = rig.terminal.journal.last("sale")
        assert record is not None and record.status is TxnStatus.FAILED
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.receipts() == ""
        await back_to_menu(rig)
        await rig.reconfigure(host=f"127.0.0.1:{closed_port()}", backup_host=real)
        await _approved_sale_works(rig)
        backup = rig.terminal.link.connected_to
        assert backup is not None and str(backup) == real

    run_rig(scenario)


def test_timeout_leaves_a_reversal_sent_before_the_next_sale_after_restart(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.drop()
        assert "交易超时" in await sale(rig, "500", alice_track(), ALICE.pin)
        assert rig.receipts() == ""
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "98"
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 500
        await rig.power_cycle()
        assert rig.terminal.journal.pending_reversal() is not None
        await _approved_sale_works(rig, "100")
        mtis = [e.mti for e in rig.host.transcript if e.mti]
        assert mtis[-4:] == ["0400", "0410", "0200", "0210"]
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario, response_timeout_s=0.3)


def test_bad_response_mac_is_rejected_and_reversed_with_a0(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.bad_mac()
        assert "MAC校验错" in await sale(rig, "700", alice_track(), ALICE.pin)
        assert rig.receipts() == ""
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "A0"
        await back_to_menu(rig)
        await _approved_sale_works(rig)
        reversal = [e.text for e in rig.host.transcript if e.mti == "0400"]
        assert len(reversal) == 1 and "A0" in reversal[0]
        assert "authorization code" in reversal[0]
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario)


def test_malformed_response_frame_is_rejected_and_reversed(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.malformed()
        assert "应答报文错误" in await sale(rig, "300", alice_track(), ALICE.pin)
        assert rig.receipts() == ""
        assert rig.terminal.journal.pending_reversal() is not None
        await back_to_menu(rig)
        await _approved_sale_works(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario)


def test_truncated_response_frame_times_out_and_is_reversed(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.truncated()
        assert "交易超时" in await sale(rig, "300", alice_track(), ALICE.pin)
        assert rig.receipts() == ""
        assert rig.terminal.journal.pending_reversal() is not None
        await back_to_menu(rig)
        await _approved_sale_works(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario, response_timeout_s=0.3)


def test_bad_track_data_shows_a_read_error_and_the_sale_can_go_on(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await rig.press("2")
        await rig.press("1", "0", "0", "ENTER")
        screen = await rig.swipe("not-a-track")
        assert "刷卡" in screen or "读卡" in screen
        assert "not-a-track" not in screen
        await rig.swipe(alice_track())
        assert "交易成功" in await rig.pin(ALICE.pin or "")

    run_rig(scenario)


def test_reversal_without_answer_is_retried_then_given_up_with_a_notice(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.drop()
        assert "交易超时" in await sale(rig, "500", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        rig.host.faults.drop(on=frozenset({MessageKind.REVERSAL}))
        rig.host.faults.drop(on=frozenset({MessageKind.REVERSAL}))
        assert "冲正未完成" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.attempts == 1
        assert "冲正不成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        assert rig.terminal.journal.pending_reversal() is None
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.FAILED
        await _approved_sale_works(rig)

    run_rig(scenario, response_timeout_s=0.3, reversal_retries=1)


def test_reversal_refused_by_the_host_stays_pending_with_reason_06(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.drop()
        assert "交易超时" in await sale(rig, "500", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        rig.host.faults.decline("96", on=frozenset({MessageKind.REVERSAL}))
        assert "冲正未完成" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.reason == "06"
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 500
        await _approved_sale_works(rig)
        assert rig.terminal.journal.get(pending.txn_id).status is TxnStatus.REVERSED
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario, response_timeout_s=0.3)


def test_unreachable_host_does_not_use_up_reversal_attempts(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        real = rig.embedded_address
        rig.host.faults.drop()
        assert "交易超时" in await sale(rig, "500", alice_track(), ALICE.pin)
        await back_to_menu(rig)
        await rig.reconfigure(host=f"127.0.0.1:{closed_port()}")
        for _ in range(3):
            assert "连接主机失败" in await sale(rig, "100", alice_track(), ALICE.pin)
            await back_to_menu(rig)
        pending = rig.terminal.journal.pending_reversal()
        assert pending is not None and pending.attempts == 0
        await rig.reconfigure(host=real)
        await _approved_sale_works(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 100

    run_rig(scenario, response_timeout_s=0.3, reversal_retries=0)


def test_x919_mac_with_first8_kcv_works_end_to_end(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _approved_sale_works(rig, "1234")
        rig.host.faults.bad_mac()
        assert "MAC校验错" in await sale(rig, "100", alice_track(), ALICE.pin)

    run_rig(scenario, mac_algorithm="x9.19", mak_kcv="first8")


def test_the_whole_sale_works_in_english(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert "Main menu" in rig.screen() or "MENU" in rig.screen().upper()
        assert "Sign" in await rig.press("1")
        await rig.press("ENTER")
        await rig.press("2")
        await rig.press(*"100", "ENTER")
        await rig.swipe(alice_track())
        screen = await rig.pin(ALICE.pin or "")
        assert "Approved" in screen
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in screen)

    run_rig(scenario, lang="en")


def test_keys_typed_ahead_of_a_local_check_are_kept(run_rig: RunRig) -> None:
    """消费 and the amount typed in one go: the sale's readiness check is answered locally,
    so the amount keys queued before it are not thrown away as "pressed while online"."""
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        screen = await rig.press("2", "1", "2", "3", "4", "ENTER")
        assert "12.34" in screen and "请刷卡" in screen
        screen = await rig.swipe(alice_track())
        assert "交易成功" in await rig.pin(ALICE.pin)
        record = rig.terminal.journal.last("sale")
        assert record is not None and record.amount == 1234

    run_rig(scenario)
