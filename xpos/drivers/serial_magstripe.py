"""Serial magstripe reader backend (``serial:///dev/ttyS1?baud=9600``).

The transport (a pyserial port, or anything with ``read``/``in_waiting``/``close``) is
composed in; the wire format is :mod:`xpos.drivers.magstripe`. Reads are bounded
(``timeout`` seconds at most per port read) and run in a worker thread; decoded swipes
are kept on the reader, so cancelling ``read_card()`` loses no swipe.
"""

from __future__ import annotations

import asyncio
import collections
import threading
from typing import Protocol

from xpos.drivers.magstripe import MagstripeDecoder, Swipe, SwipeError, card_from_swipe
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


class SerialMagstripeReader:
    """A magstripe reader sending ASCII track frames over a serial line.

    Args:
        port: An open port whose ``read`` has a timeout.
    """

    source = CardSource.SWIPE

    def __init__(self, port: SerialPort) -> None:
        self._port = port
        self._decoder = MagstripeDecoder()
        self._events: collections.deque[Swipe | SwipeError] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False

    async def read_card(self) -> CardData:
        """Wait for the next swipe.

        Raises:
            CardReadError: on an unusable swipe (the reader stays usable).
            DeviceError: if the port failed or the reader was closed.
        """
        while not self._events:
            await asyncio.to_thread(self._pump)
        event = self._events.popleft()
        if isinstance(event, SwipeError):
            raise CardReadError(event.reason)
        return card_from_swipe(event)

    def _pump(self) -> None:
        with self._lock:
            if self._closed:
                raise DeviceError("magstripe reader is closed")
            try:
                data = self._port.read(max(1, self._port.in_waiting))
            except OSError as exc:  # pyserial's SerialException is an OSError
                raise DeviceError(f"magstripe reader failed: {exc}") from exc
            self._events.extend(self._decoder.feed(data))

    def close(self) -> None:
        """Close the port; pending and later reads raise :class:`DeviceError`."""
        self._closed = True
        with self._lock:
            self._port.close()


def open_serial_magstripe(url: DeviceUrl) -> SerialMagstripeReader:
    """Registry factory: ``serial:///dev/ttyUSB0?baud=9600`` (``kind=magstripe`` allowed).

    Raises:
        ConfigError: no device path or bad parameters.
        DeviceError: the port could not be opened.
    """
    import serial  # only when a serial device is configured

    from xpos.drivers.serial_readers import check_kind_param

    url.check_params(("baud", "kind"))
    check_kind_param(url, "magstripe")
    if not url.path:
        raise ConfigError(f"serial device URL {url.raw!r} has no device path")
    baud = url.int_param("baud", 9600, low=50, high=4_000_000)
    try:
        port = serial.serial_for_url(url.path, baudrate=baud, timeout=READ_TIMEOUT_S)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise DeviceError(f"cannot open serial port {url.path}: {exc}") from exc
    return SerialMagstripeReader(port)
