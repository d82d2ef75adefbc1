"""The hardware abstraction layer: device protocols, URL registry, fakes, conformance.

Importing this package is cheap: backends (pyserial …) and fakes load only when a
device URL names them.
"""

from xpos.drivers.base import (
    KINDS,
    READER_KINDS,
    CardReader,
    DeviceSet,
    Display,
    Keypad,
    PinPad,
    Printer,
)
from xpos.drivers.cards import CardMux, read_any_card
from xpos.drivers.registry import DriverRegistry, open_device, open_devices
from xpos.drivers.url import DeviceUrl, parse_device_url
from xpos.errors import CardReadError

__all__ = [
    "KINDS",
    "READER_KINDS",
    "CardMux",
    "CardReadError",
    "CardReader",
    "DeviceSet",
    "DeviceUrl",
    "Display",
    "DriverRegistry",
    "Keypad",
    "PinPad",
    "Printer",
    "open_device",
    "open_devices",
    "parse_device_url",
    "read_any_card",
]
