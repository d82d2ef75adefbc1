"""HID keyboard-wedge devices through evdev (``evdev:///dev/input/by-id/…``).

URLs (the device kind is the ``[devices]`` key; ``kind=``, if given, must match it)::

    magstripe = "evdev:///dev/input/by-id/usb-Reader-event-kbd?kind=magstripe&lrc=0"
    scanner   = "evdev:///dev/input/by-id/usb-Scanner-event-kbd?suffix=enter"
    rfid      = "evdev:///dev/input/by-id/usb-RFID-event-kbd?format=auto"
    keypad    = "evdev:///dev/input/by-id/usb-Keypad-event-kbd"

Parameters: ``grab`` (1 = exclusive, the default: keystrokes never reach the console
or the UI; 0 = shared), ``layout`` (``us``), ``suffix`` (``enter`` or ``tab``, line
end), ``lrc`` (magstripe: 1 = the reader sends an LRC character after each track),
``format`` (rfid: ``auto``, ``dec`` or ``hex``), ``order`` (rfid decimal UIDs: ``be``
or ``le``), ``keymap`` (keypad: changes to
:data:`DEFAULT_KEYMAP` as ``code:KEY,…``, e.g. ``59:MENU,1:CANCEL``).

Theory of operation
-------------------
The device is anything with ``fileno()``, a non-blocking ``read()`` returning events
(``type``/``code``/``value``; ``BlockingIOError`` when there are none), ``grab()``,
``ungrab()`` and ``close()`` — ``evdev.InputDevice`` is one. On the first read the
reader watches the file descriptor on the running event loop (``add_reader``); every
event batch is decoded at once (:mod:`xpos.drivers.wedge`) and the results are queued
on the reader, independent of any pending ``read_card()`` — so cancelling a read loses
nothing. A read error (device unplugged: ``ENODEV``) is kept and raised by the next
read as :class:`~xpos.errors.DeviceError`.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from xpos.drivers.serial_port import check_kind_param
from xpos.drivers.url import DeviceUrl
from xpos.drivers.wedge import (
    EV_KEY,
    KEY_DOWN,
    KEY_ENTER,
    KEY_KPENTER,
    KEY_TAB,
    LAYOUTS,
    KeyEvent,
    WedgeDecoder,
)
from xpos.drivers.wedge_formats import (
    UID_FORMATS,
    UID_ORDERS,
    card_from_wedge_swipe,
    code_from_line,
    uid_from_line,
)
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardData, CardSource, Key

log = logging.getLogger(__name__)
_SUFFIX_KEYS = {"enter": (KEY_ENTER, KEY_KPENTER), "tab": (KEY_TAB,)}

#: Default keypad map: evdev key code -> terminal key (digits on both rows and the keypad).
DEFAULT_KEYMAP: Mapping[int, Key] = {
    **{code: Key(str((code - 1) % 10)) for code in range(2, 12)},
    **{code: Key(d) for code, d in zip((82, 79, 80, 81, 75, 76, 77, 71, 72, 73),
                                       "0123456789", strict=True)},
    28: Key.ENTER, 96: Key.ENTER, 1: Key.CANCEL, 14: Key.CLEAR, 111: Key.CLEAR,
    55: Key.STAR, 98: Key.HASH, 78: Key.MENU, 139: Key.MENU, 59: Key.F1, 60: Key.F2,
    103: Key.UP, 108: Key.DOWN,
}


class InputDevice(Protocol):
    """The part of ``evdev.InputDevice`` the drivers use."""

    def fileno(self) -> int:
        """The event device's file descriptor (non-blocking)."""
        ...

    def read(self) -> Iterable[KeyEvent]:
        """The pending events; ``BlockingIOError`` if there are none."""
        ...

    def grab(self) -> None:
        """Take the device exclusively."""
        ...

    def ungrab(self) -> None:
        """Release the exclusive grab."""
        ...

    def close(self) -> None:
        """Close the device."""
        ...


class _EvdevInput:
    """Watches the device on the event loop and queues what ``handle`` makes of events."""

    def __init__(self, device: InputDevice, *, grab: bool, name: str) -> None:
        self._device = device
        self._name = name
        self._items: collections.deque[object] = collections.deque()
        self._ready = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failure: DeviceError | None = None
        self._closed = False
        self._grabbed = False
        if grab:
            try:
                device.grab()
            except OSError as exc:  # EBUSY: someone else grabbed it
                device.close()
                raise DeviceError(f"cannot grab {name} exclusively: {exc}") from exc
            self._grabbed = True

    def handle(self, events: Iterable[KeyEvent]) -> list[object]:
        """What the events mean: items for the queue (overridden)."""
        raise NotImplementedError

    async def _next_item(self) -> object:
        while not self._items:  # what came before a failure is still delivered
            if self._failure is not None:
                raise self._failure
            self._watch()
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def _watch(self) -> None:
        if self._closed:
            raise DeviceError(f"{self._name} is closed")
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        self._unwatch()
        self._ready = asyncio.Event()
        loop.add_reader(self._device.fileno(), self._on_readable)
        self._loop = loop

    def _unwatch(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._device.fileno())
        self._loop = None

    def _on_readable(self) -> None:
        try:
            events = list(self._device.read())
        except BlockingIOError:
            return
        except OSError as exc:  # ENODEV: unplugged
            self._failure = DeviceError(f"{self._name} failed: {exc}")
            self._unwatch()
        else:
            self._items.extend(self.handle(events))
        self._ready.set()

    def close(self) -> None:
        """Stop watching, release the grab, close the device; later reads fail."""
        if self._closed:
            return
        self._closed = True
        self._failure = DeviceError(f"{self._name} is closed")
        self._unwatch()
        self._ready.set()
        try:
            if self._grabbed:
                self._device.ungrab()
        except OSError:
            pass  # an unplugged device cannot be ungrabbed; closing is enough
        self._device.close()


class EvdevCardReader(_EvdevInput):
    """A keyboard-wedge magstripe reader, scanner or RFID UID reader.

    Args:
        device: The input device.
        interpret: Line -> card (raises :class:`CardReadError`).
        source: SWIPE, SCAN or TAP.
        decoder: The key-event decoder (layout, line terminator).
        grab: Take the device exclusively.
        name: Used in error messages.
    """

    def __init__(
        self,
        device: InputDevice,
        interpret: Callable[[str], CardData],
        *,
        source: CardSource,
        decoder: WedgeDecoder | None = None,
        grab: bool = True,
        name: str = "card reader",
    ) -> None:
        self.source = source
        self._interpret = interpret
        self._decoder = decoder or WedgeDecoder()
        super().__init__(device, grab=grab, name=name)

    def handle(self, events: Iterable[KeyEvent]) -> list[object]:
        """Decode key events into cards or read errors."""
        items: list[object] = []
        for line in self._decoder.feed_events(events):
            if line.error:
                items.append(CardReadError(line.error))
                continue
            try:
                items.append(self._interpret(line.text))
            except CardReadError as exc:
                items.append(exc)
        return items

    async def read_card(self) -> CardData:
        """Wait for the next card.

        Raises:
            CardReadError: unusable input (the reader stays usable).
            DeviceError: the device failed or was closed.
        """
        item = await self._next_item()
        if isinstance(item, CardReadError):
            raise item
        assert isinstance(item, CardData)
        return item


class EvdevKeypad(_EvdevInput):
    """A keypad (USB numeric keypad, the device's own keys) with a key map.

    Args:
        device: The input device.
        keymap: evdev key code -> :class:`Key` (keys not in it are ignored).
        grab: Take the device exclusively.
    """

    def __init__(
        self, device: InputDevice, keymap: Mapping[int, Key] = DEFAULT_KEYMAP, *,
        grab: bool = True,
    ) -> None:
        self._keymap = keymap
        super().__init__(device, grab=grab, name="keypad")

    def handle(self, events: Iterable[KeyEvent]) -> list[object]:
        """Key-down events of mapped keys become keys."""
        return [self._keymap[e.code] for e in events
                if e.type == EV_KEY and e.value == KEY_DOWN and e.code in self._keymap]

    async def read_key(self) -> Key:
        """Wait for the next key press.

        Raises:
            DeviceError: the device failed or was closed.
        """
        item = await self._next_item()
        assert isinstance(item, Key)
        return item


def _open_input(url: DeviceUrl) -> InputDevice:
    if not url.path or url.netloc:
        raise ConfigError(f"evdev URL {url.raw!r} needs an absolute device path "
                          "(evdev:///dev/input/by-id/…)")
    try:
        import evdev
    except ImportError:
        raise ConfigError("evdev devices need the python-evdev package "
                          "(pip install evdev)") from None
    try:
        device: InputDevice = evdev.InputDevice(url.path)
    except OSError as exc:
        raise DeviceError(f"cannot open input device {url.path}: {exc}") from exc
    return device


def _flag(url: DeviceUrl, name: str, default: bool) -> bool:
    value = url.params.get(name)
    if value is None:
        return default
    if value not in ("0", "1"):
        raise ConfigError(f"evdev: {name} must be 0 or 1, got {value!r}")
    return value == "1"


def _decoder(url: DeviceUrl, default_suffix: str = "enter") -> WedgeDecoder:
    layout = url.params.get("layout", "us").lower()
    suffix = url.params.get("suffix", default_suffix).lower()
    if layout not in LAYOUTS:
        raise ConfigError(f"evdev: layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    if suffix not in _SUFFIX_KEYS:
        raise ConfigError(f"evdev: suffix must be enter or tab, got {suffix!r}")
    return WedgeDecoder(LAYOUTS[layout], terminators=_SUFFIX_KEYS[suffix])


def _reader(url: DeviceUrl, kind: str, extra: tuple[str, ...]) -> tuple[WedgeDecoder, bool]:
    url.check_params(("kind", "grab", "layout", "suffix", *extra))
    check_kind_param(url, kind)
    return _decoder(url), _flag(url, "grab", True)


def open_evdev_magstripe(url: DeviceUrl) -> EvdevCardReader:
    """Registry factory: ``evdev:///dev/input/by-id/…?kind=magstripe&grab=1&lrc=0``.

    Raises:
        ConfigError: bad path or parameters; evdev not installed.
        DeviceError: the device could not be opened or grabbed.
    """
    decoder, grab = _reader(url, "magstripe", ("lrc",))
    lrc = _flag(url, "lrc", False)
    return EvdevCardReader(_open_input(url), lambda t: card_from_wedge_swipe(t, lrc=lrc),
                           source=CardSource.SWIPE, decoder=decoder, grab=grab,
                           name="magstripe reader")


def open_evdev_scanner(url: DeviceUrl) -> EvdevCardReader:
    """Registry factory: ``evdev:///dev/input/by-id/…?kind=scanner&suffix=enter|tab``."""
    decoder, grab = _reader(url, "scanner", ())
    return EvdevCardReader(_open_input(url), code_from_line, source=CardSource.SCAN,
                           decoder=decoder, grab=grab, name="scanner")


def open_evdev_rfid(url: DeviceUrl) -> EvdevCardReader:
    """Registry factory: ``evdev:///dev/input/by-id/…?kind=rfid&format=auto&order=be``."""
    decoder, grab = _reader(url, "rfid", ("format", "order"))
    fmt = url.params.get("format", "auto").lower()
    order = url.params.get("order", "be").lower()
    if fmt not in UID_FORMATS or order not in UID_ORDERS:
        raise ConfigError(f"evdev: format must be one of {', '.join(UID_FORMATS)} and "
                          f"order be or le, got {fmt!r} and {order!r}")
    return EvdevCardReader(_open_input(url), lambda t: uid_from_line(t, fmt=fmt, order=order),
                           source=CardSource.TAP, decoder=decoder, grab=grab,
                           name="RFID reader")


def parse_keymap(text: str) -> dict[int, Key]:
    """The default key map changed by ``"code:KEY,code:KEY"`` (``59:MENU,60:CANCEL``).

    Raises:
        ConfigError: naming the bad entry.
    """
    keymap = dict(DEFAULT_KEYMAP)
    for entry in filter(None, (part.strip() for part in text.split(","))):
        code, _, name = entry.partition(":")
        try:
            key = Key.parse(name)
        except ValueError:
            key = None
        if not (code.isascii() and code.isdigit() and int(code) < 0x300) or key is None:
            raise ConfigError(f"evdev: keymap entry {entry!r} is not code:KEY "
                              "(e.g. 59:MENU)")
        keymap[int(code)] = key
    return keymap


def open_evdev_keypad(url: DeviceUrl) -> EvdevKeypad:
    """Registry factory: ``evdev:///dev/input/by-id/…?kind=keypad&grab=1&keymap=59:MENU``."""
    url.check_params(("kind", "grab", "keymap"))
    check_kind_param(url, "keypad")
    grab = _flag(url, "grab", True)
    keymap = parse_keymap(url.params.get("keymap", ""))
    return EvdevKeypad(_open_input(url), keymap, grab=grab)
