"""Device registry: a configured URL string -> a device object.

Theory of operation
-------------------
A driver is a *factory* ``(DeviceUrl) -> device`` registered for a ``(kind, scheme)``
pair, e.g. ``("magstripe", "serial")``. Factories are named as ``"module:attribute"``
strings and imported only when used, so opening a ``fake:`` keypad never imports
pyserial. Lookup order: factories registered on the :class:`DriverRegistry` instance,
then the built-in table below, then the entry-point group ``xpos.drivers`` whose entry
names are ``"<kind>.<scheme>"``::

    [project.entry-points."xpos.drivers"]
    "printer.escpos+usb" = "mypkg.printers:open_usb_printer"

The opened object is checked against the kind's protocol; anything wrong (unknown kind
or scheme, a factory that cannot be imported, a device of the wrong shape, bad
parameters) is a :class:`~xpos.errors.ConfigError` naming the culprit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import cast

from xpos.drivers.base import (
    KINDS,
    OPTIONAL_KINDS,
    READER_KINDS,
    Beeper,
    CardReader,
    DeviceSet,
    Display,
    Keypad,
    PinPad,
    Printer,
)
from xpos.drivers.url import DeviceUrl, parse_device_url
from xpos.errors import ConfigError

ENTRY_POINT_GROUP = "xpos.drivers"
DEFAULT_URL = "fake:"
#: Reader kinds may be configured as absent.
NONE_URL = "none:"

Factory = Callable[[DeviceUrl], object]

BUILTIN_DRIVERS: Mapping[tuple[str, str], str] = {
    ("keypad", "fake"): "xpos.drivers.fakes:open_fake_keypad",
    ("display", "fake"): "xpos.drivers.fakes:open_fake_display",
    ("printer", "fake"): "xpos.drivers.fakes:open_fake_printer",
    ("magstripe", "fake"): "xpos.drivers.fake_cards:open_fake_magstripe",
    ("rfid", "fake"): "xpos.drivers.fake_cards:open_fake_rfid",
    ("scanner", "fake"): "xpos.drivers.fake_cards:open_fake_scanner",
    ("pinpad", "fake"): "xpos.drivers.fake_pinpad:open_fake_pinpad",
    ("magstripe", "serial"): "xpos.drivers.serial_magstripe:open_serial_magstripe",
    ("rfid", "serial"): "xpos.drivers.serial_readers:open_serial_rfid",
    ("scanner", "serial"): "xpos.drivers.serial_readers:open_serial_scanner",
    ("magstripe", "evdev"): "xpos.drivers.evdev_input:open_evdev_magstripe",
    ("rfid", "evdev"): "xpos.drivers.evdev_input:open_evdev_rfid",
    ("scanner", "evdev"): "xpos.drivers.evdev_input:open_evdev_scanner",
    ("keypad", "evdev"): "xpos.drivers.evdev_input:open_evdev_keypad",
    ("display", "file"): "xpos.drivers.files:open_file_display",
    ("printer", "file"): "xpos.drivers.files:open_file_printer",
    # Test backends (xpos.drivers.fifo): input from outside the process, PIN in clear.
    ("keypad", "fifo"): "xpos.drivers.fifo:open_fifo_keypad",
    ("pinpad", "fifo"): "xpos.drivers.fifo:open_fifo_pinpad",
    # python-escpos printers with DLE EOT status (xpos.drivers.escpos_printer).
    ("printer", "escpos+tcp"): "xpos.drivers.escpos_printer:open_tcp_printer",
    ("printer", "escpos+serial"): "xpos.drivers.escpos_printer:open_serial_printer",
    ("printer", "escpos+usb"): "xpos.drivers.escpos_printer:open_usb_printer",
    ("printer", "escpos+file"): "xpos.drivers.escpos_printer:open_file_printer",
    # Optional devices (none: unless configured): customer display and beeper.
    ("customer_display", "fake"): "xpos.drivers.pole_display:open_fake_customer_display",
    ("customer_display", "serial"): "xpos.drivers.pole_display:open_serial_pole_display",
    ("beeper", "fake"): "xpos.drivers.beeper:open_fake_beeper",
    ("beeper", "file"): "xpos.drivers.beeper:open_file_beeper",
    ("beeper", "evdev"): "xpos.drivers.beeper:open_evdev_beeper",
    ("beeper", "console"): "xpos.drivers.beeper:open_console_beeper",
    # Serial keypad; the PIN pad on the terminal's keypad (built by open_devices).
    ("keypad", "serial"): "xpos.drivers.serial_keypad:open_serial_keypad",
    ("pinpad", "keypad"): "xpos.drivers.keypad_pinpad:open_keypad_pinpad",
    # PC/SC contactless readers through pyscard (the optional [pcsc] extra).
    ("rfid", "pcsc"): "xpos.drivers.pcsc:open_pcsc_rfid",
}

_PROTOCOLS: Mapping[str, type] = {
    "keypad": Keypad,
    "display": Display,
    "magstripe": CardReader,
    "rfid": CardReader,
    "scanner": CardReader,
    "pinpad": PinPad,
    "printer": Printer,
    "customer_display": Display,
    "beeper": Beeper,
}


def _import_factory(target: str) -> Factory:
    module_name, _, attr = target.partition(":")
    try:
        return cast(Factory, getattr(importlib.import_module(module_name), attr))
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"driver {target!r} cannot be loaded: {exc}") from exc


class DriverRegistry:
    """Maps ``(kind, scheme)`` to driver factories.

    Args:
        entry_point_list: Entry points to consult (default: the installed ones of group
            ``xpos.drivers``); pass ``()`` to use built-ins only.
    """

    def __init__(self, entry_point_list: Iterable[EntryPoint] | None = None) -> None:
        self._local: dict[tuple[str, str], Factory] = {}
        self._given = entry_point_list
        self._found: dict[str, EntryPoint] | None = None

    @property
    def _entry_points(self) -> dict[str, EntryPoint]:
        """The entry points, looked up on first need (the lookup scans site-packages)."""
        if self._found is None:
            eps = self._given if self._given is not None else entry_points(
                group=ENTRY_POINT_GROUP)
            self._found = {ep.name: ep for ep in eps}
        return self._found

    def register(self, kind: str, scheme: str, factory: Factory) -> None:
        """Add or replace the factory for ``(kind, scheme)`` on this registry."""
        self._local[(_check_kind(kind), scheme.lower())] = factory

    def factory(self, kind: str, scheme: str) -> Factory:
        """The factory for ``(kind, scheme)``.

        Raises:
            ConfigError: naming the unknown kind or scheme.
        """
        key = (_check_kind(kind), scheme.lower())
        if key in self._local:
            return self._local[key]
        if key in BUILTIN_DRIVERS:
            return _import_factory(BUILTIN_DRIVERS[key])
        entry = self._entry_points.get(f"{key[0]}.{key[1]}")
        if entry is None:
            raise ConfigError(f"no {kind} driver for URL scheme {scheme!r}")
        try:
            return cast(Factory, entry.load())
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"driver entry point {entry.name!r} cannot be loaded") from exc

    def open(self, kind: str, url: str) -> object:
        """Open a device of ``kind`` from its URL (see :func:`open_device`)."""
        parsed = parse_device_url(url)
        device = self.factory(kind, parsed.scheme)(parsed)
        protocol = _PROTOCOLS[kind]
        if not isinstance(device, protocol):
            raise ConfigError(f"driver for {url!r} did not return a {protocol.__name__}")
        return device


def _check_kind(kind: str) -> str:
    if kind not in KINDS and kind not in OPTIONAL_KINDS:
        known = ", ".join((*KINDS, *OPTIONAL_KINDS))
        raise ConfigError(f"unknown device kind {kind!r}; known: {known}")
    return kind


def open_device(kind: str, url: str, *, registry: DriverRegistry | None = None) -> object:
    """Open one device.

    Args:
        kind: One of :data:`~xpos.drivers.base.KINDS`.
        url: Device URL, e.g. ``"fake:"`` or ``"serial:///dev/ttyS1?baud=9600"``.
        registry: Registry to use (default: built-ins + installed entry points).

    Raises:
        ConfigError: unknown kind or scheme, bad URL or parameters.
        DeviceError: the device could not be opened.
    """
    return (registry or DriverRegistry()).open(kind, url)


def open_devices(
    config: Mapping[str, str], *, registry: DriverRegistry | None = None
) -> DeviceSet:
    """Open a terminal's devices; every kind missing from ``config`` is ``fake:``.

    Reader kinds (magstripe, rfid, scanner) may be ``"none:"`` to leave them out; the
    optional kinds (customer display, beeper) are ``"none:"`` unless configured.
    ``pinpad = "keypad:"`` puts the PIN pad on the configured keypad
    (:mod:`xpos.drivers.keypad_pinpad`).
    Devices opened before a failure are closed again.

    Raises:
        ConfigError: for an unknown kind in ``config`` or any :func:`open_device` error.
    """
    for kind in config:
        _check_kind(kind)
    reg = registry or DriverRegistry()
    opened: dict[str, object] = {}
    try:
        for kind in KINDS:
            url = config.get(kind, DEFAULT_URL)
            if kind == "pinpad" and _keypad_pin(url):
                opened["keypad"], opened[kind] = _share_keypad(opened["keypad"], url)
            elif not (kind in READER_KINDS and url.strip() == NONE_URL):
                opened[kind] = reg.open(kind, url)
        for kind in OPTIONAL_KINDS:
            url = config.get(kind, NONE_URL)
            if url.strip() != NONE_URL:
                opened[kind] = reg.open(kind, url)
    except BaseException:
        _close_all(opened.values())
        raise
    return _device_set(opened)


def _keypad_pin(url: str) -> bool:
    return parse_device_url(url).scheme == "keypad"


def _share_keypad(keypad: object, url: str) -> tuple[object, object]:
    """``pinpad = "keypad:"``: the PIN pad takes the terminal's keypad during PIN entry."""
    from xpos.drivers.keypad_pinpad import share_keypad

    return share_keypad(cast(Keypad, keypad), parse_device_url(url))


def _close_all(devices: Iterable[object]) -> None:
    for device in devices:
        close = getattr(device, "close", None)
        if callable(close):
            close()


def _device_set(opened: Mapping[str, object]) -> DeviceSet:
    readers = tuple(cast(CardReader, opened[k]) for k in READER_KINDS if k in opened)
    return DeviceSet(
        keypad=cast(Keypad, opened["keypad"]),
        display=cast(Display, opened["display"]),
        readers=readers,
        pinpad=cast(PinPad, opened["pinpad"]),
        printer=cast(Printer, opened["printer"]),
        customer_display=cast(Display | None, opened.get("customer_display")),
        beeper=cast(Beeper | None, opened.get("beeper")),
    )
