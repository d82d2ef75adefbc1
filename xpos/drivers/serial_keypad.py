"""Serial keypad: the device keypad over a serial line, one byte per key.

Theory of operation
-------------------
Wire format (pure, :class:`SerialKeyDecoder`): every key press is one byte, no framing.

===========================  ==============
byte                         key
===========================  ==============
``0``-``9`` ``*`` ``#``      that key
CR (0x0D)                    ENTER
ESC (0x1B)                   CANCEL
BS (0x08), DEL (0x7F)        CLEAR
``M``                        MENU
``A`` / ``B``                F1 / F2
``U`` / ``D``                UP / DOWN
LF (0x0A)                    ignored (CR LF = one ENTER)
anything else                skipped, counted in ``SerialKeyDecoder.unknown``
===========================  ==============

Transport: the shared serial port (:func:`~xpos.drivers.serial_port.open_serial_port`,
bounded reads in a worker thread); decoded keys are kept on the keypad, so a
cancelled ``read_key()`` loses no key. A failed port is a
:class:`~xpos.errors.DeviceError` on the next read.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading

from xpos.drivers.serial_port import SerialPort, check_kind_param, open_serial_port
from xpos.drivers.url import DeviceUrl
from xpos.errors import DeviceError
from xpos.model import Key

log = logging.getLogger(__name__)

KEY_BYTES: dict[int, Key] = {
    **{ord(k.value): k for k in Key if len(k.value) == 1},
    0x0D: Key.ENTER,
    0x1B: Key.CANCEL,
    0x08: Key.CLEAR,
    0x7F: Key.CLEAR,
    ord("M"): Key.MENU,
    ord("A"): Key.F1,
    ord("B"): Key.F2,
    ord("U"): Key.UP,
    ord("D"): Key.DOWN,
}
IGNORED = frozenset({0x0A})


def encode_keys(keys: list[Key]) -> bytes:
    """The bytes a keypad sends for ``keys`` (the inverse of the decoder)."""
    first: dict[Key, int] = {}
    for byte, key in KEY_BYTES.items():
        first.setdefault(key, byte)
    return bytes(first[key] for key in keys)


class SerialKeyDecoder:
    """Bytes in, keys out (sans-IO)."""

    def __init__(self) -> None:
        self.unknown = 0

    def feed(self, data: bytes) -> list[Key]:
        """The keys ``data`` encodes; unknown bytes are skipped and counted."""
        keys = []
        for byte in data:
            key = KEY_BYTES.get(byte)
            if key is not None:
                keys.append(key)
            elif byte not in IGNORED:
                self.unknown += 1
                log.info("serial keypad: byte %#04x is no key", byte)
        return keys


class SerialKeypad:
    """A keypad on a serial port.

    Args:
        port: An open port whose ``read`` has a timeout.
    """

    def __init__(self, port: SerialPort) -> None:
        self._port = port
        self._decoder = SerialKeyDecoder()
        self._keys: collections.deque[Key] = collections.deque()
        self._lock = threading.Lock()
        self._closed = False

    async def read_key(self) -> Key:
        """Wait for the next key.

        Raises:
            DeviceError: the port failed or the keypad was closed.
        """
        while not self._keys:
            await asyncio.to_thread(self._pump)
        return self._keys.popleft()

    def _pump(self) -> None:
        with self._lock:
            if self._closed:
                raise DeviceError("serial keypad is closed")
            try:
                data = self._port.read(max(1, self._port.in_waiting))
            except OSError as exc:  # pyserial's SerialException is an OSError
                raise DeviceError(f"serial keypad failed: {exc}") from exc
            self._keys.extend(self._decoder.feed(data))

    def close(self) -> None:
        """Close the port; later reads raise :class:`DeviceError`."""
        self._closed = True
        with self._lock:
            self._port.close()


def open_serial_keypad(url: DeviceUrl) -> SerialKeypad:
    """Registry factory: ``serial:///dev/ttyS2?kind=keypad&baud=9600``.

    Raises:
        ConfigError: bad path or parameters.
        DeviceError: the port could not be opened.
    """
    url.check_params(("baud", "kind"))
    check_kind_param(url, "keypad")
    return SerialKeypad(open_serial_port(url))
