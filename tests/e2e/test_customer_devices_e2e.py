"""The optional devices in a sale: the pole display on a pty shows the amount, the beeper
sounds the core's beeps."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator

import pytest

from xpos.drivers.beeper import FakeBeeper
from xpos.drivers.pole_display import encode_screen
from xpos.terminal.customer import customer_lines
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, sale, sign_on


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def _drain(master: int) -> bytes:
    data = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except BlockingIOError:
            return data
        data += chunk


def test_customer_lines_follow_the_amount_on_screen() -> None:
    keyed = ["请输入金额", "", "金额:           0.12"]
    assert customer_lines(keyed) == ("TOTAL", " " * 16 + "0.12")
    assert customer_lines(["SALE", "Amount: 12.34"]) == ("TOTAL", "12.34".rjust(20))
    assert customer_lines(["主菜单", "1.签到", "2.消费"]) is None
    assert customer_lines(["金额不能为零"]) is None


def test_a_sale_shows_the_amount_to_the_customer_and_beeps(
        run_rig: RunRig, pty_port: tuple[int, str]) -> None:
    master, path = pty_port

    async def scenario(rig: TerminalRig) -> None:
        beeper = rig.terminal.devices.beeper
        assert isinstance(beeper, FakeBeeper)
        await sign_on(rig)
        await rig.press("9")  # no such menu item: refused with a beep
        assert beeper.beeps == ["error"]
        _drain(master)
        await rig.press("2")
        await rig.press("1", "2", "3", "4", "ENTER")
        wire = _drain(master)
        assert wire.endswith(encode_screen(("TOTAL", "12.34".rjust(20))))
        assert encode_screen(("TOTAL", "1.23".rjust(20))) in wire  # as the amount is keyed
        await rig.swipe(alice_track())
        assert "交易成功" in await rig.pin(ALICE.pin)
        assert _drain(master) == b""  # later screens without an amount leave it shown

    run_rig(scenario, devices={"customer_display": f"serial://{path}", "beeper": "fake:"})


def test_a_sale_without_optional_devices_is_unchanged(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert rig.terminal.devices.customer_display is None
        assert rig.terminal.devices.beeper is None
        await sign_on(rig)
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)

    run_rig(scenario)
