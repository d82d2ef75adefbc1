"""The test backends: ``fifo:`` keypad and PIN pad, ``file:`` display and printer."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from xpos.drivers import conformance, open_device
from xpos.drivers.fifo import FifoKeypad, FifoPinPad
from xpos.drivers.files import FileDisplay, FilePrinter
from xpos.errors import ConfigError, DeviceError, KeyMissingError
from xpos.model import Key
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block

T = TypeVar("T")
PAN = "6212345678901234567"


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    os.mkfifo(path)
    return path


@pytest.fixture
def writer(fifo: Path) -> Iterator[int]:
    """The write end; the device must already hold the read end (opened read-write)."""
    holder = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # lets the writer open at once
    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    yield fd
    os.close(fd)
    os.close(holder)


def _run(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(coro, 10)

    return asyncio.run(main())


def _keypad(fifo: Path) -> FifoKeypad:
    device = open_device("keypad", f"fifo://{fifo}")
    assert isinstance(device, FifoKeypad)
    return device


def test_fifo_keypad_passes_the_keypad_conformance_check(fifo: Path, writer: int) -> None:
    keypad = _keypad(fifo)

    def feed(keys: Sequence[Key]) -> None:
        os.write(writer, (" ".join(k.value for k in keys) + "\n").encode())

    try:
        asyncio.run(conformance.check_keypad(keypad, feed))
    finally:
        keypad.close()


def test_fifo_keypad_joins_split_lines_and_skips_unknown_names(
        fifo: Path, writer: int, caplog: pytest.LogCaptureFixture) -> None:
    keypad = _keypad(fifo)
    os.write(writer, b"1 ent")
    os.write(writer, b"er\n\nBOGUS cancel\n")

    async def three() -> list[Key]:
        return [await keypad.read_key() for _ in range(3)]

    with caplog.at_level(logging.WARNING):
        assert _run(three()) == [Key.D1, Key.ENTER, Key.CANCEL]
    assert "unknown key 'BOGUS'" in caplog.text
    keypad.close()


def test_closing_a_fifo_wakes_a_waiting_read_with_a_device_error(fifo: Path) -> None:
    keypad = _keypad(fifo)

    async def main() -> None:
        read = asyncio.ensure_future(keypad.read_key())
        await asyncio.sleep(0)  # let it wait on the pipe
        keypad.close()
        with pytest.raises(DeviceError, match="closed"):
            await read
        with pytest.raises(DeviceError, match="closed"):
            await keypad.read_key()

    _run(main())
    keypad.close()  # idempotent


def test_fifo_pinpad_passes_the_pinpad_conformance_check(fifo: Path, writer: int) -> None:
    pinpad = open_device("pinpad", f"fifo://{fifo}")
    assert isinstance(pinpad, FifoPinPad)
    try:
        asyncio.run(conformance.check_pinpad(
            pinpad, lambda pin: os.write(writer, f"{pin}\n".encode()),
            lambda: os.write(writer, b"CANCEL\n")))
    finally:
        pinpad.close()


def test_fifo_pinpad_skips_bad_entries_without_logging_them(
        fifo: Path, writer: int, caplog: pytest.LogCaptureFixture) -> None:
    pinpad = open_device("pinpad", f"fifo://{fifo}")
    assert isinstance(pinpad, FifoPinPad)
    with pytest.raises(KeyMissingError):
        _run(pinpad.get_pin_block(PAN, 100))
    pinpad.load_pik(bytes(range(16)))
    os.write(writer, b"98x7\n123\n987654\n")
    with caplog.at_level(logging.WARNING):
        block = _run(pinpad.get_pin_block(PAN, 100))
    assert block is not None
    assert pin_from_clear_block(decrypt_pin_block(bytes(range(16)), block), PAN) == "987654"
    assert caplog.text.count("skipped an entry") == 2
    assert "98x7" not in caplog.text and "123\n" not in caplog.text
    assert "987654" not in repr(pinpad)
    assert pinpad.prompts == [("621234*********4567", 100)]  # none without a PIK
    pinpad.close()


@pytest.mark.parametrize(("kind", "url", "error", "words"), [
    ("keypad", "fifo://host/path", ConfigError, "absolute path"),
    ("keypad", "fifo:relative", ConfigError, "absolute path"),
    ("pinpad", "fifo:///x?pin=1234", ConfigError, "unknown parameter 'pin'"),
    ("keypad", "fifo:///nonexistent/keys", DeviceError, "cannot open FIFO"),
    ("printer", "file:///nonexistent/out.bin", DeviceError, "printer file"),
    ("display", "file:///nonexistent/screen.txt", DeviceError, "display file"),
    ("display", "file:///tmp/s.txt?colour=red", ConfigError, "unknown parameter 'colour'"),
])
def test_bad_backend_urls_give_one_clear_error(kind: str, url: str,
                                               error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        open_device(kind, url)


def test_a_regular_file_is_not_a_fifo(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("1\n")
    with pytest.raises(DeviceError, match="not a FIFO"):
        open_device("keypad", f"fifo://{tmp_path}/plain")


def test_file_display_passes_the_display_conformance_check(tmp_path: Path) -> None:
    path = tmp_path / "screen.txt"
    display = open_device("display", f"file://{path}?rows=4&cols=18")
    assert isinstance(display, FileDisplay)
    assert path.read_text(encoding="utf-8") == ""

    def screen() -> list[str]:
        return path.read_text(encoding="utf-8").splitlines()

    asyncio.run(conformance.check_display(display, rows=4, cols=18, screen=screen))
    display.show(["主菜单", "1.签到"])
    assert path.read_text(encoding="utf-8") == "主菜单\n1.签到\n"


def test_file_printer_passes_the_printer_conformance_check(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"earlier\n")
    printer = open_device("printer", f"file://{path}")
    assert isinstance(printer, FilePrinter)
    asyncio.run(conformance.check_printer(printer, output=path.read_bytes))
    assert path.read_bytes().startswith(b"earlier\n")  # appended, not truncated
    printer.close()
    printer.close()
    with pytest.raises(DeviceError, match="closed"):
        printer.print_bytes(b"late")
