"""Serial RFID modules and barcode scanners (``serial:///dev/ttyUSB0?kind=rfid``).

URLs (the device kind is the ``[devices]`` key; ``kind=``, if given, must match it)::

    rfid    = "serial:///dev/ttyUSB0?kind=rfid&baud=9600"
    scanner = "serial:///dev/ttyACM0?kind=scanner&suffix=CR&baud=9600"

The transport is :mod:`xpos.drivers.serial_port` (a pyserial port or
anything with ``read``/``in_waiting``/``close``; bounded reads in a worker thread,
decoded cards buffered on the reader so a cancelled ``read_card()`` loses nothing); the
wire formats are :mod:`xpos.drivers.serial_frames`.
"""

from __future__ import annotations

from xpos.drivers.serial_frames import SUFFIXES, RfidFrameDecoder, ScannerLineDecoder
from xpos.drivers.serial_port import SerialCardReader, check_kind_param, open_serial_port
from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError
from xpos.model import CardSource

__all__ = ["SerialCardReader", "check_kind_param", "open_serial_rfid", "open_serial_scanner"]


def open_serial_rfid(url: DeviceUrl) -> SerialCardReader:
    """Registry factory: ``serial:///dev/ttyUSB0?kind=rfid&baud=9600`` (125 kHz module).

    Raises:
        ConfigError: bad path or parameters.
        DeviceError: the port could not be opened.
    """
    url.check_params(("baud", "kind"))
    check_kind_param(url, "rfid")
    port = open_serial_port(url)
    return SerialCardReader(port, RfidFrameDecoder(), source=CardSource.TAP,
                            name="RFID reader")


def open_serial_scanner(url: DeviceUrl) -> SerialCardReader:
    """Registry factory: ``serial:///dev/ttyACM0?kind=scanner&suffix=CR&baud=9600``.

    Raises:
        ConfigError: bad path or parameters (``suffix``: CR, LF, CRLF or TAB).
        DeviceError: the port could not be opened.
    """
    url.check_params(("baud", "kind", "suffix"))
    check_kind_param(url, "scanner")
    name = url.params.get("suffix", "CR").upper()
    if name not in SUFFIXES:
        raise ConfigError(f"serial scanner: suffix must be one of {', '.join(SUFFIXES)}, "
                          f"got {name!r}")
    port = open_serial_port(url)
    return SerialCardReader(port, ScannerLineDecoder(SUFFIXES[name]), source=CardSource.SCAN,
                            name="scanner")
