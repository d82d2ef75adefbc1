"""Customer display: a serial 2 x 20 pole display (VFD), Epson DM-D command set.

Theory of operation
-------------------
The display is a :class:`~xpos.drivers.base.Display` of 2 rows of 20 columns facing the
customer. It is write-only: the terminal never waits for it, and a failed write is
logged, never raised (a customer display must not stop a sale). Wire format (pure,
:func:`encode_screen`), the subset every DM-D compatible pole display understands:

========================  ===========  ==============================================
command                   bytes        when
========================  ===========  ==============================================
``ESC @`` initialize      ``1B 40``    once, when the port is opened
``CLR`` clear screen      ``0C``       at the start of every screen
``US $ x y`` move cursor  ``1F 24 x y``  before each non-empty row (x, y from 1)
text                      ASCII        the row's text, at most 20 characters
========================  ===========  ==============================================

Pole displays show ASCII only (code page 437 models have no Chinese): characters
outside printable ASCII become ``?``; the terminal sends ASCII (``TOTAL`` and the
amount, :mod:`xpos.terminal.customer`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from xpos.drivers.fakes import FakeDisplay
from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError, DeviceError

log = logging.getLogger(__name__)

ROWS, COLS = 2, 20
INIT = b"\x1b@"
CLEAR = b"\x0c"


def move_cursor(column: int, row: int) -> bytes:
    """``US $ x y``: the cursor to ``column``, ``row`` (both from 1)."""
    return b"\x1f$" + bytes([column, row])


def pole_text(text: str, cols: int = COLS) -> str:
    """``text`` as the display shows it: printable ASCII (else ``?``), at most ``cols``."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)[:cols]


def encode_screen(lines: Sequence[str], *, rows: int = ROWS, cols: int = COLS) -> bytes:
    """The bytes that put ``lines`` on the display (extra lines are dropped)."""
    out = bytearray(CLEAR)
    for row, line in enumerate(lines[:rows], start=1):
        text = pole_text(line, cols).rstrip()
        if text:
            out += move_cursor(1, row) + text.encode("ascii")
    return bytes(out)


class WritePort(Protocol):
    """The part of ``serial.Serial`` the display uses."""

    def write(self, data: bytes) -> int | None:
        """Send bytes."""
        ...

    def close(self) -> None:
        """Close the port."""
        ...


class SerialPoleDisplay:
    """A pole display on a serial port.

    Args:
        port: An open port.
        name: Names the display in log lines.
    """

    rows, cols = ROWS, COLS

    def __init__(self, port: WritePort, *, name: str) -> None:
        self._port: WritePort | None = port
        self.name = name
        self.lines: tuple[str, ...] = ()
        self._send(INIT)

    def show(self, lines: Sequence[str]) -> None:
        """Show up to 2 lines of ASCII (see :func:`encode_screen`); never raises."""
        if isinstance(lines, str):
            lines = lines.splitlines()
        self.lines = tuple(pole_text(line).rstrip() for line in lines[:ROWS])
        self._send(encode_screen(lines))

    def _send(self, data: bytes) -> None:
        if self._port is None:
            return
        try:
            self._port.write(data)
        except OSError as exc:  # pyserial's SerialException is an OSError
            log.warning("%s: %s", self.name, exc)

    def close(self) -> None:
        """Close the port (idempotent)."""
        if self._port is not None:
            port, self._port = self._port, None
            port.close()


def open_serial_pole_display(url: DeviceUrl) -> SerialPoleDisplay:
    """Registry factory: ``serial:///dev/ttyUSB1?baud=9600`` customer displays.

    Raises:
        ConfigError: no device path or a bad baud rate.
        DeviceError: the port cannot be opened.
    """
    import serial

    url.check_params(("baud",))
    if not url.path or url.netloc:
        raise ConfigError(f"customer display URL {url.raw!r} needs serial:///dev/ttyUSB1")
    baud = url.int_param("baud", 9600, low=50, high=4_000_000)
    try:
        port: WritePort = serial.serial_for_url(url.path, baudrate=baud, write_timeout=2)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise DeviceError(f"cannot open customer display {url.path}: {exc}") from exc
    return SerialPoleDisplay(port, name=f"customer display {url.path}")


def open_fake_customer_display(url: DeviceUrl) -> FakeDisplay:
    """Registry factory: ``fake:`` customer display (a 2 x 20 :class:`FakeDisplay`)."""
    url.check_params(())
    return FakeDisplay(rows=ROWS, cols=COLS)
