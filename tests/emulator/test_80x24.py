"""Issue 9, "the emulator at 80 × 24": each item shown on the real app under Pilot."""

import re
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text
from xpos.emulator.app.widgets import (
    Chooser,
    HostPane,
    LcdDisplay,
    PinPadPane,
    PrinterPane,
    WalletPane,
)
from xpos.emulator.app.widgets.printer import PAPER_COLUMNS, PAPER_CUT
from xpos.model.textwidth import text_width

from .conftest import ALICE, RunApp, display, keyboard_sale, pin_stars, press, roll


def _help(app: EmulatorApp) -> str:
    return app.main.help_text


def _screen(app: EmulatorApp) -> str:
    return screen_text(app)


def test_the_zoomed_host_pane_shows_every_field_name_and_the_host_in_full(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await keyboard_sale(app, pilot, "1234")
        pane = app.main.query_one(HostPane)
        assert pane.region.width < 30  # beside printer and wallet: too narrow to read
        await press(app, pilot, "h")
        assert pane.region.width >= 50 and pane.region.height >= 18
        assert not app.main.query_one(PrinterPane).display
        assert not app.main.query_one(WalletPane).display
        assert "127.0.0.1:" in str(pane.border_title)
        screen = _screen(app)
        for name in ("system trace audit number", "retrieval reference number",
                     "condition code", "response code", "merchant ID"):
            assert name in screen, name
        await press(app, pilot, "h")
        assert app.main.query_one(PrinterPane).display and pane.region.width < 30

    run_app(scenario)


def test_a_long_host_line_wraps_instead_of_being_cut(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert app.rig is not None
        pane = app.main.query_one(HostPane)
        long_value = "title='" + "冰淇淋蛋糕" * 6 + "' END"
        pane.show([*app.rig.traffic, f"←host 0810 test\n  62 TLV{' ' * 25}{long_value}"])
        await press(app, pilot, "h")
        await pilot.pause()
        width = pane.scrollable_content_region.width
        assert all(text_width(line) <= width for line in pane.lines)
        assert "END" in "".join(pane.lines[-3:])

    run_app(scenario)


def test_at_80x24_the_wallet_scrolls_by_section_and_the_host_pane_stays_in_view(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        wallet, pane = app.main.query_one(WalletPane), app.main.query_one(HostPane)
        assert wallet.max_scroll_y > 0  # more items than rows: it scrolls
        assert pane.content_region.height >= 3 and pane.region.bottom <= 22
        screen = _screen(app)
        assert "银行卡 (s)" in screen and app.items[0].short in screen
        wallet.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        screen = _screen(app)
        assert "订单号 (b扫 k输)" in screen and app.items[-1].short in screen
        assert pane.content_region.height >= 3


    run_app(scenario)


@pytest.mark.parametrize("size", [(70, 20), (79, 23), (80, 18)])
def test_a_small_window_is_warned_about_and_the_pin_pad_stays_whole(
        run_app: RunApp, size: tuple[int, int]) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "太小" in _help(app) and f"{size[0]}×{size[1]}" in _help(app)
        await press(app, pilot, "2")
        await press(app, pilot, "1", "0", "0", "enter")
        await press(app, pilot, "s")
        await press(app, pilot, "1")
        await press(app, pilot, "1", "2")
        pad = app.main.query_one(PinPadPane)
        assert Region(0, 0, *size).contains_region(pad.region)
        assert pad.content_region.height >= 3
        assert "请输入密码: **" in _screen(app)

    run_app(scenario, size=size)


def test_80x24_has_no_warning(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "太小" not in _help(app) and "Ctrl+Q" in _help(app)

    run_app(scenario)


def test_the_chooser_speaks_chinese_and_each_item_takes_one_line(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "1")
        await press(app, pilot, "b")
        assert isinstance(app.screen, Chooser)
        screen = _screen(app)
        assert "有效 00" in screen and "已使用 V1" in screen
        assert "7. 会员生日蛋糕  ********0001  会员卡验证用订单号 00" in screen
        assert not re.search(r"valid|used|expired|order number", screen)
        await press(app, pilot, "escape")
        await press(app, pilot, "escape")
        await press(app, pilot, "escape")
        await press(app, pilot, "2")
        await press(app, pilot, "1", "enter")
        await press(app, pilot, "s")
        screen = _screen(app)
        assert "批准 00" in screen and "余额5.00元, 超出返回51" in screen
        assert not re.search(r"approved|balance|blocked", screen)

    run_app(scenario)


def test_the_chooser_in_english(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "enter")
        await press(app, pilot, "s")
        assert "approved: 00" in _screen(app) and "批准" not in _screen(app)

    run_app(scenario, lang="en")


def test_the_code_chooser_in_english_fits_each_item_on_one_line(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "1")
        await press(app, pilot, "b")
        assert "7. 会员生日蛋糕  ********0001  order number (member card): 00" in _screen(app)

    run_app(scenario, lang="en")


def test_a_16_column_display_keeps_the_last_four_digits_of_the_card(
        run_app: RunApp, tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('[devices]\ndisplay = "fake:?rows=4&cols=16"\n',
                                        encoding="utf-8")

    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "0", "0", "enter")
        await press(app, pilot, "s")
        await press(app, pilot, "1")
        masked = [line for line in app.main.query_one("#display").lines if "*" in line]
        assert masked and masked[0].endswith(ALICE.pan[-4:]) and len(masked[0]) <= 16
        assert masked[0].startswith(ALICE.pan[:6]) and ALICE.pan not in display(app)

    run_app(scenario)


def test_the_cut_line_runs_across_the_paper(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await keyboard_sale(app, pilot, "100")
        cuts = [line for line in roll(app).split("\n") if "✂" in line]
        assert len(cuts) == 2 and all(line == PAPER_CUT for line in cuts)
        assert text_width(PAPER_CUT) == PAPER_COLUMNS

    run_app(scenario)


def _bells(app: EmulatorApp) -> list[int]:
    rung: list[int] = []
    app.bell = lambda: rung.append(1)  # type: ignore[method-assign]
    return rung


def _flashes(app: EmulatorApp) -> list[bool]:
    """Each flash of the display, as whether it took the ``-flash`` look at once."""
    lcd = app.main.query_one(LcdDisplay)
    real, flashed = lcd.flash, []

    def flash() -> None:
        real()
        flashed.append(lcd.has_class("-flash"))

    lcd.flash = flash  # type: ignore[method-assign]
    return flashed


@pytest.mark.parametrize("key", ["f1", "f2", "up", "m", "9", "asterisk"])
def test_a_key_that_does_nothing_at_the_menu_beeps_flashes_and_says_so(
        run_app: RunApp, key: str) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        rung, flashed = _bells(app), _flashes(app)
        before = display(app)
        await press(app, pilot, key)
        assert display(app) == before
        assert rung == [1] and flashed == [True] and "此时无效" in _help(app)
        await press(app, pilot, "2")  # a key that does something: no beep, hint gone
        assert "请输入金额" in display(app) and rung == [1] and "此时无效" not in _help(app)

    run_app(scenario)


@pytest.mark.parametrize(("key", "hint"), [("s", "不读卡"), ("t", "不读非接卡"), ("b", "不扫码")])
def test_presenting_when_the_terminal_does_not_read_beeps_and_says_so(
        run_app: RunApp, key: str, hint: str) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        rung = _bells(app)
        await press(app, pilot, key)
        assert not isinstance(app.screen, Chooser)
        assert rung == [1] and hint in _help(app)

    run_app(scenario)


def test_a_tap_while_waiting_for_a_swipe_is_refused_but_a_swipe_is_not(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        rung = _bells(app)
        await press(app, pilot, "2")
        await press(app, pilot, "1", "enter")
        await press(app, pilot, "t")
        assert rung == [1] and "不读非接卡" in _help(app)
        await press(app, pilot, "s")
        assert isinstance(app.screen, Chooser) and rung == [1]

    run_app(scenario)


def test_backspace_deletes_one_digit_and_delete_clears_amount_code_and_pin(
        run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "2")
        await press(app, pilot, "1", "2", "3", "4", "backspace")
        assert "1.23" in display(app)
        await press(app, pilot, "delete")
        assert "0.00" in display(app)
        await press(app, pilot, "5", "enter", "s")
        await press(app, pilot, "1")
        await press(app, pilot, "1", "2", "3", "backspace")
        assert pin_stars(app) == "**"
        await press(app, pilot, "delete")
        assert pin_stars(app) == ""
        await press(app, pilot, *ALICE.pin, "enter")
        assert "交易成功" in display(app)
        await press(app, pilot, "enter", "3", "1")
        await press(app, pilot, "8", "8", "3", "backspace")
        assert "88_" in display(app)
        await press(app, pilot, "delete")
        assert "88" not in display(app)

    run_app(scenario)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_title_or_label_is_cut_at_80x24(run_app: RunApp, lang: str) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "…" not in _screen(app)
        await press(app, pilot, "h")
        assert "…" not in _screen(app)

    run_app(scenario, lang=lang)
