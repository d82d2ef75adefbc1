from pathlib import Path

import pytest

from tests.core.menu_samples import SHIPPED
from xpos.drivers.fakes import FakeScanner
from xpos.drivers.registry import open_devices
from xpos.errors import KeyCheckError, MenuError
from xpos.journal import TxnStatus
from xpos.refhost.seed import DEMO, track2_for
from xpos.security.keystore import KeyStore
from xpos.terminal.config import load_config
from xpos.terminal.runtime import Terminal
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on, voucher


def test_voucher_redeemed_prints_the_slip_and_journals_in_the_x_domain(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        screen = await voucher(rig, DEMO.demo_voucher)
        assert "验证成功" in screen and "冰淇淋蛋糕" in screen
        slip = rig.receipts()
        assert "冰淇淋蛋糕" in slip and "团购演示" in slip
        assert DEMO.demo_voucher not in slip and DEMO.demo_voucher[-4:] in slip
        record = rig.terminal.journal.last("voucher")
        assert record is not None
        assert (record.status, record.domain, record.rc) == (TxnStatus.APPROVED, "x", "00")
        assert record.detail["title"] == "冰淇淋蛋糕"
        assert rig.host.store.voucher(DEMO.demo_voucher).status.value == "used"

    run_rig(scenario)


@pytest.mark.parametrize(("code", "message", "rc"), [
    ("999900001111", "券号不存在", "25"),
    ("883300112234", "券已使用", "V1"),
    ("883300112235", "券已过期", "V2"),
])
def test_voucher_refused_shows_why_prints_nothing_and_next_works(
        run_rig: RunRig, code: str, message: str, rc: str) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert message in await voucher(rig, code)
        assert rig.receipts() == ""
        # refused at the query: nothing was sent to redeem, nothing journaled
        assert rig.terminal.journal.last("voucher") is None
        asked = rig.host.store.entries(tid=rig.terminal.config.tid, kind="voucher_query")
        assert [e.rc for e in asked] == [rc]
        assert rig.terminal.journal.pending_reversal() is None
        await back_to_menu(rig)
        assert "验证成功" in await voucher(rig, "883300112236")

    run_rig(scenario)


def test_voucher_without_response_is_reversed_and_becomes_valid_again(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        rig.host.faults.drop()
        assert "交易超时" in await voucher(rig, "883300112237")
        assert rig.host.store.voucher("883300112237").status.value == "used"
        await back_to_menu(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        assert rig.host.store.voucher("883300112237").status.value == "valid"

    run_rig(scenario, response_timeout_s=0.3)


def test_malformed_menu_file_fails_at_start_naming_file_and_key(tmp_path: Path) -> None:
    menus = tmp_path / "menus"
    menus.mkdir()
    for source in SHIPPED.glob("*.toml"):
        text = source.read_text(encoding="utf-8").replace("builtin:sale", "builtin:no_such")
        (menus / source.name).write_text(text, encoding="utf-8")
    config = load_config(tmp_path / "data", menus_dir=menus)
    with pytest.raises(MenuError) as caught:
        Terminal(config, open_devices({}))
    assert caught.value.path.endswith("main.toml")
    assert "action" in caught.value.key


def test_wrong_tmk_check_value_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.json")
    with pytest.raises(KeyCheckError):
        store.load_tmk(list(DEMO.tmk_components), "000000")
    assert not store.has_tmk and not (tmp_path / "keys.json").exists()
    store.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert store.has_tmk


def test_voucher_scanned_by_the_barcode_scanner_is_redeemed(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await rig.press("3")
        await rig.press("1")
        scanner = rig.scanner
        assert isinstance(scanner, FakeScanner)
        scanner.scan("883300112236")
        await rig.terminal.settle()
        assert "确认核销 1 份?" in rig.screen()
        assert "验证成功" in await rig.press("ENTER")
        sent = [e.text for e in rig.host.transcript if e.mti == "0100"]
        assert len(sent) == 2  # the query (740000), then the redemption (700000, DF33)
        assert all("method='S'" in text and "883300112236" not in text for text in sent)
        assert "740000" in sent[0] and "units='1'" in sent[1]

    run_rig(scenario)


def test_member_card_and_order_number_redeem_the_order(run_rig: RunRig) -> None:
    member = DEMO.card("member")

    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await rig.press("3")
        await rig.press("1")
        await rig.swipe(track2_for(member.pan, member.expiry))
        await rig.press(*"202405010001", "#")
        screen = await rig.press("ENTER")
        assert "验证成功" in screen and "会员生日蛋糕" in screen
        assert "会员生日蛋糕" in rig.receipts()
        record = rig.terminal.journal.last("voucher")
        assert record is not None and record.masked_pan == "886800******0001"

    run_rig(scenario)
