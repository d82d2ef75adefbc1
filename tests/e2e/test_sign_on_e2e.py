from xpos.security.kcv import kcv
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on

OTHER_TMK = ("00112233445566778899AABBCCDDEEFF", "0F1E2D3C4B5A69788796A5B4C3D2E1F0")


def _kcv_of(components: tuple[str, str]) -> str:
    a, b = (bytes.fromhex(c) for c in components)
    return kcv(bytes(x ^ y for x, y in zip(a, b, strict=True)), 3).hex().upper()


def test_sign_on_under_the_wrong_tmk_refuses_the_keys_and_stores_none(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        rig.terminal.keystore.load_tmk(list(OTHER_TMK), _kcv_of(OTHER_TMK))
        assert "工作密钥校验错" in await rig.press("1")
        assert not rig.terminal.keystore.has_working_keys
        await back_to_menu(rig)
        assert "请先签到" in await rig.press("2")

    run_rig(scenario)


def test_signed_on_keys_survive_a_restart_and_the_pin_pad_is_reloaded(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        batch = rig.terminal.journal.batch_no
        await rig.power_cycle()
        assert rig.terminal.journal.batch_no == batch
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        record = rig.terminal.journal.last("sale")
        assert record is not None
        printed = rig.terminal.journal.prints_for(record.id)
        assert [name for name, _ in printed] == ["sale-merchant", "sale-customer"]
        assert rig.terminal.journal.last_print() == printed[-1]

    run_rig(scenario)


def test_host_asking_for_a_new_sign_on_drops_the_keys_until_signed_on_again(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.store.forget_working_keys(rig.terminal.config.tid)
        assert "请重新签到" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert not rig.terminal.keystore.has_working_keys
        assert rig.receipts() == ""
        await back_to_menu(rig)
        assert "请先签到" in await rig.press("2")
        await back_to_menu(rig)
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)

    run_rig(scenario)


def test_single_length_keys_mode_001_sell_with_f53_single_des(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert len(rig.terminal.keystore.working_keys.pik) == 8
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        sale_text = next(e.text for e in rig.host.transcript if e.mti == "0200")
        assert "2000000000000000" in sale_text

    run_rig(scenario, key_mode="001", encrypt_track=False)
