"""The serial transport every serial card reader shares (magstripe, RFID, scanner).

A pyserial port (or anything with ``read``/``in_waiting``/``close``) is composed in,
with a sans-IO wire-format decoder. Reads are bounded (``READ_TIMEOUT_S`` at most per port
read) and run in a worker thread; decoded cards are kept on the reader, so cancelling
``read_card()`` loses nothing.
"""

from __future__ import annotations

import asyncio
import collections
import threading
from typing import Protocol

from xpos.drivers.serial_frames import Event
from xpos.drivers.url import DeviceUrl
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardData, CardSource

READ_TIMEOUT_S = 0.2


class SerialPort(Protocol):
    """The part of ``serial.Serial`` the reader uses."""

    @property
    def in_waiting(self) -> int:
        """Bytes ready to read."""
        ...

    def read(self, size: int = 1) -> bytes:
        """Read up to ``size`` bytes, waiting at most the port timeout."""
        ...

    def close(self) -> None:
        """Close the port."""
        ...


class FrameDecoder(Protocol):
    """A sans-IO decoder: bytes in, cards or read errors out."""

    def feed(self, data: bytes) -> list[Event]:
        """Add received bytes; return the events they complete."""
        ...


class SerialCardReader:
    """A card reader (RFID module, scanner) sending frames over a serial line.

    Args:
        port: An open port whose ``read`` has a timeout.
        decoder: The wire-format decoder.
        source: What the reader reads (TAP, SCAN).
        name: Used in error messages (``"RFID reader"``).
    """

    def __init__(
        self, port: SerialPort, decoder: FrameDecoder, *, source: CardSource, name: str
    ) -> None:
        self.source = source
        self._port = port
        self._decoder = decoder
        self._name = name
        self._events: collections.deque[Event] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False

    async def read_card(self) -> CardData:
        """Wait for the next card.

        Raises:
            CardReadError: on an unusable frame (the reader stays usable).
            DeviceError: if the port failed or the reader was closed.
        """
        while not self._events:
            await asyncio.to_thread(self._pump)
        event = self._events.popleft()
        if isinstance(event, CardReadError):
            raise event
        return event

    def _pump(self) -> None:
        with self._lock:
            if self._closed:
                raise DeviceError(f"{self._name} is closed")
            try:
                data = self._port.read(max(1, self._port.in_waiting))
            except OSError as exc:  # pyserial's SerialException is an OSError
                raise DeviceError(f"{self._name} failed: {exc}") from exc
            self._events.extend(self._decoder.feed(data))

    def close(self) -> None:
        """Close the port; pending and later reads raise :class:`DeviceError`."""
        self._closed = True
        with self._lock:
            self._port.close()


def check_kind_param(url: DeviceUrl, kind: str) -> None:
    """A ``kind=`` parameter, if present, must name the configured kind.

    Raises:
        ConfigError: if it names another kind.
    """
    given = url.params.get("kind", kind)
    if given != kind:
        raise ConfigError(f"{url.raw!r} says kind={given} but is configured as {kind}")


def open_serial_port(url: DeviceUrl) -> SerialPort:
    """Open the port of a ``serial://`` URL (its ``baud`` parameter, default 9600).

    Raises:
        ConfigError: no device path or a bad baud rate.
        DeviceError: the port could not be opened.
    """
    import serial  # only when a serial device is configured

    if not url.path:
        raise ConfigError(f"serial device URL {url.raw!r} has no device path")
    baud = url.int_param("baud", 9600, low=50, high=4_000_000)
    try:
        port: SerialPort = serial.serial_for_url(url.path, baudrate=baud,
                                                 timeout=READ_TIMEOUT_S)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise DeviceError(f"cannot open serial port {url.path}: {exc}") from exc
    return port
