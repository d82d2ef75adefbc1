"""ECR transports: a real pty for the serial line, a real socket for TCP, URL checks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import Iterator

import pytest

from tests.proto.ecr_golden import SALE_REQUEST
from xpos.drivers.ecr_port import TcpEcrPort, check_ecr_url, open_ecr_port
from xpos.errors import ConfigError, DeviceError

TIMEOUT_S = 20.0


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    with contextlib.suppress(OSError):
        os.close(master)
    os.close(slave)


def test_serial_port_reads_and_writes_a_pty(pty_pair: tuple[int, str]) -> None:
    master, name = pty_pair

    async def main() -> None:
        port = await open_ecr_port(f"serial://{name}?baud=9600")
        try:
            assert port.name == f"serial {name}"
            os.write(master, SALE_REQUEST.wire)
            got = b""
            while len(got) < len(SALE_REQUEST.wire):
                got += await asyncio.wait_for(port.read(), TIMEOUT_S)
            assert got == SALE_REQUEST.wire
            await port.write(b"\x06")
            assert os.read(master, 16) == b"\x06"
        finally:
            port.close()
        with pytest.raises(DeviceError, match="closed"):
            await port.read()

    asyncio.run(main())


def test_a_missing_serial_device_is_one_device_error() -> None:
    async def main() -> None:
        with pytest.raises(DeviceError, match="/dev/ttyXPOS-none"):
            await open_ecr_port("serial:///dev/ttyXPOS-none?baud=9600")

    asyncio.run(main())


def test_tcp_port_listens_and_the_newest_connection_is_the_till() -> None:
    async def main() -> None:
        port = await open_ecr_port("tcp://127.0.0.1:0")
        assert isinstance(port, TcpEcrPort) and port.port > 0
        try:
            _, old = await asyncio.open_connection("127.0.0.1", port.port)
            reader, writer = await asyncio.open_connection("127.0.0.1", port.port)
            writer.write(SALE_REQUEST.wire)
            assert await asyncio.wait_for(port.read(), TIMEOUT_S) == SALE_REQUEST.wire
            await port.write(b"\x06")
            assert await asyncio.wait_for(reader.read(1), TIMEOUT_S) == b"\x06"
            writer.close()
            old.close()
        finally:
            port.close()

    asyncio.run(main())


def test_a_tcp_port_in_use_is_one_device_error() -> None:
    async def main() -> None:
        first = await open_ecr_port("tcp://127.0.0.1:0")
        assert isinstance(first, TcpEcrPort)
        try:
            with pytest.raises(DeviceError, match="cannot listen"):
                await open_ecr_port(f"tcp://127.0.0.1:{first.port}")
        finally:
            first.close()

    asyncio.run(main())


def test_writing_with_no_till_connected_drops_the_bytes() -> None:
    async def main() -> None:
        port = await open_ecr_port("tcp://127.0.0.1:0")
        try:
            await port.write(b"\x06")  # nobody there: no error, nothing stuck
        finally:
            port.close()

    asyncio.run(main())


@pytest.mark.parametrize("url, why", [
    ("usb://04b8:0202", "scheme must be one of serial, tcp"),
    ("serial://?baud=9600", "no device path"),
    ("serial:///dev/ttyS1?baud=0", "baud"),
    ("serial:///dev/ttyS1?parity=E", "unknown parameter"),
    ("tcp://0.0.0.0", "tcp://HOST:PORT"),
    ("tcp://0.0.0.0:99999", "tcp://HOST:PORT"),
    ("nothing", "no scheme"),
])
def test_bad_ecr_urls_are_refused_with_the_reason(url: str, why: str) -> None:
    with pytest.raises(ConfigError, match=why):
        check_ecr_url(url)
