"""Customer pole display: DM-D wire format (golden bytes) and the serial transport on a pty."""

from __future__ import annotations

import asyncio
import os
import re
import tty
from collections.abc import Iterator

import pytest

from xpos.drivers import conformance, open_device, open_devices
from xpos.drivers.fakes import FakeDisplay
from xpos.drivers.pole_display import SerialPoleDisplay, encode_screen, move_cursor, pole_text
from xpos.errors import ConfigError, DeviceError


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def _read_all(master: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        data += os.read(master, size - len(data))
    return data


def test_golden_screens() -> None:
    assert move_cursor(1, 2) == b"\x1f\x24\x01\x02"
    assert encode_screen(["TOTAL", "12.34".rjust(20)]) == (
        b"\x0c" b"\x1f$\x01\x01TOTAL" b"\x1f$\x01\x02" + b" " * 15 + b"12.34")
    assert encode_screen([]) == b"\x0c"
    assert encode_screen(["", "WELCOME", "dropped"]) == b"\x0c\x1f$\x01\x02WELCOME"


def test_text_is_ascii_of_at_most_20_columns() -> None:
    assert pole_text("金额 TOTAL") == "?? TOTAL"
    assert pole_text("\x1b@\x0cX") == "?@?X"  # control bytes never reach the wire
    assert pole_text("A" * 25) == "A" * 20
    assert b"\x1b" not in encode_screen(["\x1b@" * 5])


def test_serial_pole_display_on_a_pty(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    display = open_device("customer_display", f"serial://{path}?baud=9600")
    assert isinstance(display, SerialPoleDisplay)
    assert _read_all(master, 2) == b"\x1b@"  # initialized when opened
    display.show(["TOTAL", "12.34".rjust(20)])
    expected = encode_screen(["TOTAL", "12.34".rjust(20)])
    assert _read_all(master, len(expected)) == expected
    assert display.lines == ("TOTAL", "12.34".rjust(20))
    asyncio.run(conformance.check_display(display, rows=2, cols=20))  # never raises
    display.close()
    display.show(["after close"])  # ignored, never raises


def test_fake_customer_display_is_2_by_20_and_conforms() -> None:
    display = open_device("customer_display", "fake:")
    assert isinstance(display, FakeDisplay) and (display.rows, display.cols) == (2, 20)
    asyncio.run(conformance.check_display(display, rows=2, cols=20,
                                          screen=lambda: display.lines))


def test_optional_devices_are_absent_unless_configured() -> None:
    devices = open_devices({})
    assert devices.customer_display is None and devices.beeper is None
    devices = open_devices({"customer_display": "fake:", "beeper": "fake:"})
    assert isinstance(devices.customer_display, FakeDisplay) and devices.beeper is not None


@pytest.mark.parametrize(("url", "error", "message"), [
    ("serial://", ConfigError, "needs serial:///dev/ttyUSB1"),
    ("serial:///dev/ttyS9?baud=fast", ConfigError, "baud must be"),
    ("serial:///dev/ttyS9?parity=E", ConfigError, "unknown parameter 'parity'"),
    ("serial:///no/such/tty", DeviceError, "cannot open customer display /no/such/tty"),
    ("escpos+tcp://x:1", ConfigError, "no customer_display driver for URL scheme"),
])
def test_bad_customer_display_urls(url: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        open_device("customer_display", url)
