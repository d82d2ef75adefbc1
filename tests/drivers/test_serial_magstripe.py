from __future__ import annotations

import asyncio
import os
import tty
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from xpos.drivers import conformance, open_device
from xpos.drivers.magstripe import encode_swipe
from xpos.drivers.serial_magstripe import SerialMagstripeReader
from xpos.errors import CardReadError, DeviceError

T = TypeVar("T")
TRACK2 = "6212345678901234567=30121010000000000"


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


@pytest.fixture
def reader(pty_port: tuple[int, str]) -> Iterator[SerialMagstripeReader]:
    _, path = pty_port
    device = open_device("magstripe", f"serial://{path}?baud=9600")
    assert isinstance(device, SerialMagstripeReader)
    yield device
    device.close()


def _bounded(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(coro, 10)

    return asyncio.run(main())


def test_serial_reader_passes_the_magstripe_conformance_check_over_a_pty(
    pty_port: tuple[int, str], reader: SerialMagstripeReader
) -> None:
    master, _ = pty_port

    def swipe(track2: str) -> None:
        os.write(master, encode_swipe(track2=track2))

    asyncio.run(conformance.check_magstripe_reader(reader, swipe))


def test_serial_reader_decodes_a_swipe_split_across_writes(
    pty_port: tuple[int, str], reader: SerialMagstripeReader
) -> None:
    master, _ = pty_port
    wire = encode_swipe(track1="B6212345678901234567^TEST/CARD^3012101", track2=TRACK2)
    os.write(master, wire[:20])
    os.write(master, wire[20:])
    card = _bounded(reader.read_card())
    assert (card.pan, card.expiry, card.track2) == ("6212345678901234567", "3012", TRACK2)


def test_serial_reader_reports_a_reader_error_frame_then_reads_on(
    pty_port: tuple[int, str], reader: SerialMagstripeReader
) -> None:
    master, _ = pty_port
    os.write(master, b"%E?;E?\r\n" + encode_swipe(track2=TRACK2))
    with pytest.raises(CardReadError):
        _bounded(reader.read_card())
    assert _bounded(reader.read_card()).track2 == TRACK2


def test_serial_reader_after_close_raises_device_error(reader: SerialMagstripeReader) -> None:
    reader.close()
    with pytest.raises(DeviceError):
        _bounded(reader.read_card())


class _UnpluggedPort:
    in_waiting = 0

    def read(self, size: int = 1) -> bytes:
        raise OSError(5, "Input/output error")

    def close(self) -> None:
        pass


def test_port_failure_is_mapped_to_device_error() -> None:
    with pytest.raises(DeviceError, match="magstripe reader failed") as info:
        _bounded(SerialMagstripeReader(_UnpluggedPort()).read_card())
    assert isinstance(info.value.__cause__, OSError)


def test_opening_a_missing_port_is_a_device_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="cannot open serial port"):
        open_device("magstripe", f"serial://{tmp_path}/ttyNONE")
