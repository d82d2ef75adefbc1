"""The PIN pad on the device keypad: exclusive during PIN entry; the serial keypad."""

from __future__ import annotations

import asyncio
import os
import re
import tty
from collections.abc import Iterator

import pytest

from xpos.drivers import conformance, open_device, open_devices
from xpos.drivers.fakes import FakeKeypad
from xpos.drivers.keypad_pinpad import KeypadPinPad, SharedKeypad
from xpos.drivers.serial_keypad import SerialKeyDecoder, SerialKeypad, encode_keys
from xpos.errors import ConfigError
from xpos.model import Key

PIK = conformance.TEST_PIK


def _pinpad() -> tuple[FakeKeypad, SharedKeypad, KeypadPinPad]:
    device = FakeKeypad()
    devices = open_devices({"pinpad": "keypad:"})
    assert isinstance(devices.keypad, SharedKeypad) and isinstance(devices.pinpad, KeypadPinPad)
    shared = SharedKeypad(device)
    return device, shared, KeypadPinPad(shared)


def test_keypad_pinpad_passes_the_pinpad_conformance_check() -> None:
    device, _, pinpad = _pinpad()
    asyncio.run(conformance.check_pinpad(
        pinpad, lambda pin: device.press(*pin, "ENTER"), lambda: device.press("CANCEL")))
    assert "123456" not in repr(pinpad)


def test_no_other_reader_sees_the_keys_of_a_pin_entry() -> None:
    device, shared, pinpad = _pinpad()
    pinpad.load_pik(PIK)
    seen: list[Key] = []

    async def terminal() -> None:  # what the terminal's keypad task does
        while True:
            seen.append(await shared.read_key())

    async def main() -> bytes | None:
        listener = asyncio.ensure_future(terminal())
        device.press("7")
        while not seen:
            await asyncio.sleep(0)
        entry = asyncio.ensure_future(pinpad.get_pin_block(conformance.TEST_PAN, 100))
        await asyncio.sleep(0)
        device.press("9", "CLEAR", *conformance.TEST_PIN, "ENTER", "4")
        block = await asyncio.wait_for(entry, 10)
        device.press("5")
        while len(seen) < 3:
            await asyncio.sleep(0)
        listener.cancel()
        return block

    block = asyncio.run(main())
    assert block == conformance.TEST_PIN_BLOCK
    # Neither the 9, CLEAR, the PIN digits nor its ENTER; the 4 keyed after ENTER is the
    # terminal's again.
    assert seen == [Key.D7, Key.D4, Key.D5]


def test_a_cancelled_pin_entry_gives_the_keypad_back() -> None:
    device, shared, pinpad = _pinpad()
    pinpad.load_pik(PIK)

    async def main() -> Key:
        entry = asyncio.ensure_future(pinpad.get_pin_block(conformance.TEST_PAN, None))
        await asyncio.sleep(0)
        device.press("1", "2")
        await asyncio.sleep(0)
        entry.cancel()  # the PIN step timed out
        await asyncio.gather(entry, return_exceptions=True)
        assert not shared.pin_entry
        device.press("MENU")
        return await asyncio.wait_for(shared.read_key(), 10)

    assert asyncio.run(main()) is Key.MENU


def test_short_pins_are_not_accepted_and_keypad_alone_is_refused() -> None:
    device, _, pinpad = _pinpad()
    pinpad.load_pik(PIK)
    device.press("1", "2", "ENTER", "CANCEL")
    assert asyncio.run(pinpad.get_pin_block(conformance.TEST_PAN, None)) is None
    with pytest.raises(ConfigError, match=re.escape("built with the terminal's keypad")):
        open_device("pinpad", "keypad:")
    with pytest.raises(ConfigError, match="unknown parameter"):
        open_devices({"pinpad": "keypad:?echo=1"})


# -- serial keypad --------------------------------------------------------------------

def test_serial_key_bytes_golden() -> None:
    decoder = SerialKeyDecoder()
    assert decoder.feed(b"12*#\r\n\x1b\x08\x7fMABUD0") == [
        Key.D1, Key.D2, Key.STAR, Key.HASH, Key.ENTER, Key.CANCEL, Key.CLEAR, Key.CLEAR,
        Key.MENU, Key.F1, Key.F2, Key.UP, Key.DOWN, Key.D0]
    assert decoder.feed(b"\x00Z\xff") == [] and decoder.unknown == 3
    assert encode_keys([Key.D9, Key.ENTER, Key.CANCEL, Key.CLEAR, Key.MENU]) == b"9\r\x1b\x08M"
    assert decoder.feed(encode_keys(list(Key))) == list(Key)


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def test_serial_keypad_on_a_pty_conforms(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    keypad = open_device("keypad", f"serial://{path}?kind=keypad&baud=9600")
    assert isinstance(keypad, SerialKeypad)
    asyncio.run(conformance.check_keypad(
        keypad, lambda keys: os.write(master, encode_keys(list(keys)))))
    keypad.close()


def test_serial_keypad_with_the_keypad_pinpad(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    devices = open_devices({"keypad": f"serial://{path}?kind=keypad", "pinpad": "keypad:"})
    try:
        assert isinstance(devices.pinpad, KeypadPinPad)
        asyncio.run(conformance.check_pinpad(
            devices.pinpad, lambda pin: os.write(master, pin.encode() + b"\r"),
            lambda: os.write(master, b"\x1b")))
    finally:
        devices.close()
