"""The stand-ins of ``xpos run`` for a missing keypad, display, PIN pad and printer.

Real drivers throughout: the serial keypad on a pty behind a symbolic link (as a udev
rule makes ``/dev/xpos-keypad``; pulling the cable closes the pty's master), the file
display in a folder that appears later, the FIFO PIN pad, the serial ESC/POS printer on
the printer simulator's pty and the file printer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xpos.drivers.registry import open_devices
from xpos.errors import ConfigError, PaperOutError
from xpos.model import Key
from xpos.security.pinblock import encrypt_pin_block, iso0_clear
from xpos.terminal.devslots import (
    MISSING,
    NOT_READY,
    READY,
    RETRYING,
    DeviceBoard,
    StandInRegistry,
)
from xpos.terminal.standins import (
    PrinterMissingError,
    StandInDisplay,
    StandInKeypad,
    StandInPinPad,
    StandInPrinter,
    wire,
)
from xpos.testing.printer_sim import SerialPrinterSim

TIMEOUT_S = 30.0
PIK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6222021234567890123"


@contextlib.contextmanager
def _pty() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        yield master, os.ttyname(slave)
    finally:
        with contextlib.suppress(OSError):
            os.close(master)
        os.close(slave)


async def _until(check: Callable[[], object], what: str) -> None:
    async def loop() -> None:
        while not check():
            await asyncio.sleep(0.01)  # a worker thread reads the port: real time passes
    try:
        await asyncio.wait_for(loop(), TIMEOUT_S)
    except TimeoutError:
        raise AssertionError(f"no {what} within {TIMEOUT_S} s") from None


def _registry(tmp_path: Path) -> StandInRegistry:
    return StandInRegistry(board=DeviceBoard(tmp_path / "devices.state"), retry_s=0.01)


def _state(tmp_path: Path, kind: str) -> str:
    body = json.loads((tmp_path / "devices.state").read_text(encoding="utf-8"))
    assert body["pid"] == os.getpid()
    return str(body["devices"][kind]["state"])


def test_a_keypad_missing_at_start_then_pulled_and_plugged_back_reads_on(
        tmp_path: Path) -> None:
    link = tmp_path / "xpos-keypad"
    registry = _registry(tmp_path)
    keypad = registry.open("keypad", f"serial://{link}?baud=9600")
    display = registry.open("display", f"file://{tmp_path}/screen.txt")
    assert isinstance(keypad, StandInKeypad) and isinstance(display, StandInDisplay)
    assert not keypad.present and _state(tmp_path, "keypad") == MISSING
    keypad.slot.on_back.append(display.redraw)

    async def main() -> None:
        display.show(["请输入金额", "12.34"])
        read = asyncio.create_task(keypad.read_key())
        registry.reopen_missing()  # still not there
        assert _state(tmp_path, "keypad") == RETRYING and not read.done()
        with _pty() as (master, name):
            link.symlink_to(name)
            (tmp_path / "screen.txt").write_text("", encoding="utf-8")
            registry.reopen_missing()
            assert _state(tmp_path, "keypad") == READY
            assert "12.34" in (tmp_path / "screen.txt").read_text("utf-8")  # redrawn
            os.write(master, b"5")
            assert await asyncio.wait_for(read, TIMEOUT_S) is Key.D5
            read = asyncio.create_task(keypad.read_key())
            await asyncio.sleep(0)
            os.close(master)  # pulled
            await _until(lambda: not keypad.present, "the keypad lost")
            assert _state(tmp_path, "keypad") == MISSING and not read.done()
        link.unlink()
        with _pty() as (master, name):
            link.symlink_to(name)
            registry.reopen_missing()
            os.write(master, b"\r")
            assert await asyncio.wait_for(read, TIMEOUT_S) is Key.ENTER
        registry.close()

    asyncio.run(main())


def test_a_pin_entry_on_the_keypad_is_cancelled_when_the_keypad_is_pulled(
        tmp_path: Path) -> None:
    link = tmp_path / "xpos-keypad"
    registry = _registry(tmp_path)
    with _pty() as (master, name):
        link.symlink_to(name)
        devices = open_devices({"keypad": f"serial://{link}?baud=9600", "pinpad": "keypad:",
                                "magstripe": "none:", "rfid": "none:", "scanner": "none:"},
                               registry=registry)
        wire(devices)

        async def main() -> bytes | None:
            devices.pinpad.load_pik(PIK)
            entry = asyncio.create_task(devices.pinpad.get_pin_block(PAN, 1234))
            os.write(master, b"12")  # two digits keyed, then the cable is pulled
            await asyncio.sleep(0)
            os.close(master)
            return await asyncio.wait_for(entry, TIMEOUT_S)

        assert asyncio.run(main()) is None  # a customer's cancel, never half a PIN
    devices.close()


def test_a_display_missing_at_start_keeps_the_screen_and_draws_it_when_back(
        tmp_path: Path) -> None:
    folder = tmp_path / "run"  # not there yet (a tmpfs mounted later)
    registry = _registry(tmp_path)
    display = registry.open("display", f"file://{folder}/screen.txt")
    assert isinstance(display, StandInDisplay) and not display.present
    display.show(["主菜单", "1 签到"])  # dropped, kept
    assert display.lines == ("主菜单", "1 签到")
    folder.mkdir()
    registry.reopen_missing()
    assert (folder / "screen.txt").read_text("utf-8").startswith("主菜单\n1 签到\n")
    assert display.path == folder / "screen.txt"  # the device's own attributes


def test_a_pin_pad_missing_cancels_the_entry_and_gets_its_key_when_back(
        tmp_path: Path) -> None:
    fifo = tmp_path / "pin"
    registry = _registry(tmp_path)
    pinpad = registry.open("pinpad", f"fifo://{fifo}")
    assert isinstance(pinpad, StandInPinPad) and not pinpad.present
    pinpad.load_pik(PIK)  # signed on while it is missing: the key is kept

    async def main() -> tuple[bytes | None, bytes | None]:
        missing = await pinpad.get_pin_block(PAN, 100)
        os.mkfifo(fifo)
        registry.reopen_missing()
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        try:
            os.write(writer, b"1234\n")
            return missing, await asyncio.wait_for(pinpad.get_pin_block(PAN, 100), TIMEOUT_S)
        finally:
            os.close(writer)
            registry.close()

    missing, block = asyncio.run(main())
    assert missing is None
    assert block == encrypt_pin_block(PIK, iso0_clear("1234", PAN))


def test_a_serial_printer_missing_at_start_refuses_slips_until_it_is_there(
        tmp_path: Path) -> None:
    link = tmp_path / "xpos-printer"
    registry = _registry(tmp_path)
    printer = registry.open("printer",
                            f"escpos+serial://{link}?baud=115200&timeout=5&profile=TM-T88V")
    assert isinstance(printer, StandInPrinter) and not printer.paper_ok
    assert printer.profile == "TM-T88V"  # slips rendered for it while it is missing
    with pytest.raises(PrinterMissingError, match="打印机未连接"):
        printer.print_bytes(b"SLIP 1\n")
    assert isinstance(PrinterMissingError("x"), PaperOutError)  # the paper-out path
    assert _state(tmp_path, "printer") == RETRYING
    with SerialPrinterSim() as sim:
        link.symlink_to(sim.path)
        printer.print_bytes(b"SLIP 1\n")  # opened on demand: the whole slip
        assert sim.wait_output(len(b"SLIP 1\n")) == b"SLIP 1\n"
        assert _state(tmp_path, "printer") == READY
        sim.paper_out()
        with pytest.raises(PaperOutError):
            printer.print_bytes(b"SLIP 2\n")
        assert _state(tmp_path, "printer") == NOT_READY
        printer.close()


def test_a_printer_that_fails_while_running_is_opened_again_for_the_next_try(
        tmp_path: Path) -> None:
    out = tmp_path / "receipts.bin"
    registry = _registry(tmp_path)
    printer = registry.open("printer", f"file://{out}")
    assert isinstance(printer, StandInPrinter) and printer.paper_ok
    printer.print_bytes(b"A")
    printer.slot.device.close()  # type: ignore[union-attr]  # the port goes away
    with pytest.raises(PrinterMissingError):
        printer.print_bytes(b"B")
    assert _state(tmp_path, "printer") == MISSING and not printer.present
    printer.print_bytes(b"B")  # retried: opened again, the job printed whole
    assert out.read_bytes() == b"AB"
    registry.close()


def test_a_bad_url_is_still_fatal_and_the_state_file_goes_with_the_terminal(
        tmp_path: Path) -> None:
    registry = _registry(tmp_path)
    with pytest.raises(ConfigError):
        registry.open("keypad", "serial://?baud=9600")
    registry.open("keypad", "fake:")
    assert _state(tmp_path, "keypad") == READY
    registry.board.remove()
    assert not (tmp_path / "devices.state").exists()


def test_optional_devices_missing_at_start_are_waited_for_too(tmp_path: Path) -> None:
    folder = tmp_path / "dev"  # neither the beeper's file nor the pole display yet
    link = tmp_path / "xpos-pole"
    registry = _registry(tmp_path)
    devices = open_devices({"customer_display": f"serial://{link}?baud=9600",
                            "beeper": f"file://{folder}/beeps", "magstripe": "none:",
                            "rfid": "none:", "scanner": "none:"}, registry=registry)
    assert _state(tmp_path, "customer_display") == MISSING
    assert _state(tmp_path, "beeper") == MISSING
    assert devices.customer_display is not None and devices.beeper is not None
    devices.beeper.beep("ok")  # silent: dropped
    devices.customer_display.show(["TOTAL", "12.34".rjust(20)])  # kept
    folder.mkdir()
    with _pty() as (master, name):
        link.symlink_to(name)
        registry.reopen_missing()
        assert _state(tmp_path, "customer_display") == READY
        devices.beeper.beep("error")
        assert (folder / "beeps").read_text("ascii") == "error\n"
        shown = b""
        while b"12.34" not in shown:  # the kept screen drawn when it is back
            ready, _, _ = select.select([master], [], [], TIMEOUT_S)
            assert ready, f"the pole display got only {shown!r}"
            shown += os.read(master, 256)
        devices.close()
