"""Serial magstripe reader backend (``serial:///dev/ttyS1?baud=9600``).

The transport is :mod:`xpos.drivers.serial_port` (shared with the serial RFID and
scanner readers); the wire format is :mod:`xpos.drivers.magstripe`.
"""

from __future__ import annotations

from xpos.drivers.magstripe import MagstripeDecoder, SwipeError, card_from_swipe
from xpos.drivers.serial_frames import Event
from xpos.drivers.serial_port import (
    READ_TIMEOUT_S,
    SerialCardReader,
    SerialPort,
    check_kind_param,
    open_serial_port,
)
from xpos.drivers.url import DeviceUrl
from xpos.errors import CardReadError
from xpos.model import CardSource

__all__ = ["READ_TIMEOUT_S", "MagstripeFrames", "SerialMagstripeReader", "SerialPort",
           "open_serial_magstripe"]


class MagstripeFrames:
    """The magstripe wire format as a serial frame decoder: cards or read errors."""

    def __init__(self) -> None:
        self._decoder = MagstripeDecoder()

    def feed(self, data: bytes) -> list[Event]:
        """Add received bytes; return the cards (or read errors) they complete."""
        events: list[Event] = []
        for item in self._decoder.feed(data):
            if isinstance(item, SwipeError):
                events.append(CardReadError(item.reason))
                continue
            try:
                events.append(card_from_swipe(item))
            except CardReadError as exc:
                events.append(exc)
        return events


class SerialMagstripeReader(SerialCardReader):
    """A magstripe reader sending ASCII track frames over a serial line.

    Args:
        port: An open port whose ``read`` has a timeout.
    """

    def __init__(self, port: SerialPort) -> None:
        super().__init__(port, MagstripeFrames(), source=CardSource.SWIPE,
                         name="magstripe reader")


def open_serial_magstripe(url: DeviceUrl) -> SerialMagstripeReader:
    """Registry factory: ``serial:///dev/ttyUSB0?baud=9600`` (``kind=magstripe`` allowed).

    Raises:
        ConfigError: no device path or bad parameters.
        DeviceError: the port could not be opened.
    """
    url.check_params(("baud", "kind"))
    check_kind_param(url, "magstripe")
    return SerialMagstripeReader(open_serial_port(url))
