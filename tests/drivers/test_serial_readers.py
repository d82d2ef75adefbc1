"""Serial RFID module and serial scanner backends over a pty (the real pyserial path)."""

from __future__ import annotations

import asyncio
import os
import tty
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from xpos.drivers import conformance, open_device, open_devices
from xpos.drivers.serial_frames import encode_rfid_frame
from xpos.drivers.serial_readers import SerialCardReader
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardSource

T = TypeVar("T")


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def _bounded(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(coro, 10)

    return asyncio.run(main())


def _open(kind: str, url: str) -> SerialCardReader:
    device = open_device(kind, url)
    assert isinstance(device, SerialCardReader)
    return device


def test_serial_rfid_module_passes_the_rfid_conformance_check(
    pty_port: tuple[int, str],
) -> None:
    master, path = pty_port
    reader = _open("rfid", f"serial://{path}?kind=rfid&baud=9600")
    try:
        asyncio.run(conformance.check_rfid_reader(
            reader, lambda uid: os.write(master, encode_rfid_frame(uid)), uid="62e3086ced"))
    finally:
        reader.close()


def test_serial_rfid_bad_frame_then_good_frame(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    reader = _open("rfid", f"serial://{path}")
    os.write(master, b"\x0262E3086CED09\x03noise\r\n" + encode_rfid_frame("62E3086CED"))
    with pytest.raises(CardReadError, match="checksum"):
        _bounded(reader.read_card())
    assert _bounded(reader.read_card()).uid == "62E3086CED"
    reader.close()
    with pytest.raises(DeviceError, match="RFID reader is closed"):
        _bounded(reader.read_card())


@pytest.mark.parametrize(("suffix", "wire"), [("CR", b"\r"), ("LF", b"\n"),
                                              ("CRLF", b"\r\n"), ("tab", b"\t")])
def test_serial_scanner_passes_the_scanner_conformance_check(
    pty_port: tuple[int, str], suffix: str, wire: bytes
) -> None:
    master, path = pty_port
    reader = _open("scanner", f"serial://{path}?kind=scanner&suffix={suffix}")
    assert reader.source is CardSource.SCAN
    try:
        asyncio.run(conformance.check_scanner(
            reader, lambda code: os.write(master, code.encode() + wire)))
    finally:
        reader.close()


def test_serial_devices_open_from_a_device_config(pty_port: tuple[int, str]) -> None:
    _, path = pty_port
    devices = open_devices({"magstripe": f"serial://{path}?kind=magstripe",
                            "rfid": f"serial://{path}?kind=rfid", "scanner": "none:"})
    try:
        assert [r.source for r in devices.readers] == [  # type: ignore[attr-defined]
            CardSource.SWIPE, CardSource.TAP]
    finally:
        devices.close()


@pytest.mark.parametrize(("kind", "query", "message"), [
    ("rfid", "?kind=scanner", "says kind=scanner but is configured as rfid"),
    ("magstripe", "?kind=rfid", "says kind=rfid but is configured as magstripe"),
    ("scanner", "?suffix=ETX", "suffix must be one of CR, LF, CRLF, TAB"),
    ("rfid", "?suffix=CR", "unknown parameter 'suffix'"),
    ("scanner", "?baud=fast", "baud must be"),
])
def test_bad_serial_parameters_are_config_errors(
    pty_port: tuple[int, str], kind: str, query: str, message: str
) -> None:
    _, path = pty_port
    with pytest.raises(ConfigError, match=message):
        open_device(kind, f"serial://{path}{query}")


def test_missing_path_and_missing_port(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no device path"):
        open_device("rfid", "serial:?kind=rfid")
    with pytest.raises(DeviceError, match="cannot open serial port"):
        open_device("scanner", f"serial://{tmp_path}/ttyNONE?kind=scanner")
