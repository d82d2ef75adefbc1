"""A sale whose PIN is keyed on the terminal's own keypad (``pinpad = "keypad:"``)."""

from __future__ import annotations

from xpos.drivers.fakes import FakeKeypad
from xpos.drivers.keypad_pinpad import KeypadPinPad, SharedKeypad
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track


def test_the_pin_keyed_on_the_device_keypad_approves_the_sale(run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        shared = rig.terminal.devices.keypad
        assert isinstance(shared, SharedKeypad) and isinstance(shared.device, FakeKeypad)
        assert isinstance(rig.terminal.devices.pinpad, KeypadPinPad)
        keypad = shared.device

        async def press(*keys: str) -> str:
            keypad.press(*keys)
            await rig.terminal.settle()
            return rig.screen()

        assert "签到成功" in await press("1")
        await press("ENTER")
        await press("2")
        await press("1", "2", "3", "4", "ENTER")
        assert "请持卡人输入密码" in await rig.swipe(alice_track())
        assert shared.pin_entry
        screen = await press(*ALICE.pin, "ENTER")
        assert "交易成功" in screen and not shared.pin_entry
        record = rig.terminal.journal.last("sale")
        assert record is not None and record.amount == 1234

    run_rig(scenario, devices={"pinpad": "keypad:"})
