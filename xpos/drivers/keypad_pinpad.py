"""The PIN pad on the device keypad, holding the keypad exclusively during PIN entry.

Theory of operation
-------------------
On a POS device with one keypad, the PIN is keyed on the same keys as amounts and menu
choices. ``pinpad = "keypad:"`` builds :class:`SharedKeypad` around the configured
keypad (the terminal reads keys from it) and :class:`KeypadPinPad` on top of it.

* Keys are taken from the device by whichever side waits (one device read at a time,
  an :class:`asyncio.Lock`), and each key is routed *when it arrives*: to the PIN pad
  while a PIN entry is running, to the terminal otherwise. So while a PIN is entered
  no other reader of the keypad sees a key -- digits, CLEAR or ENTER.
* PIN entry: digits (4 to 12), CLEAR starts again, ENTER ends, CANCEL gives ``None``;
  ENTER with fewer than 4 digits is ignored. The digits become the ISO 9564-0 block
  encrypted under the PIK (:mod:`xpos.security.pinblock`) and are wiped. Keys left
  over at the end of an entry are dropped, never passed on.
* Cancelling ``get_pin_block`` (PIN timeout) ends the exclusive hold at once.

This is a *software* PIN entry: the digits pass through this process's memory. A
certified PED does not; use one where the card scheme demands it.
"""

from __future__ import annotations

import asyncio
import collections

from xpos.drivers.base import Keypad
from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError, KeyMissingError
from xpos.model import Key
from xpos.security.pinblock import MAX_PIN, MIN_PIN, checked_pik, encrypt_pin_block, iso0_clear


class SharedKeypad:
    """A keypad shared by the terminal and the PIN pad (see the module doc)."""

    def __init__(self, device: Keypad) -> None:
        self.device = device
        self._terminal: collections.deque[Key] = collections.deque()
        self._pin: collections.deque[Key] = collections.deque()
        self._lock: asyncio.Lock | None = None
        self.pin_entry = False

    async def read_key(self) -> Key:
        """The terminal's next key (never one keyed during a PIN entry)."""
        return await self._take(self._terminal)

    async def read_pin_key(self) -> Key:
        """The PIN pad's next key; only during :meth:`hold`."""
        return await self._take(self._pin)

    async def _take(self, queue: collections.deque[Key]) -> Key:
        if self._lock is None:
            self._lock = asyncio.Lock()
        while not queue:
            async with self._lock:
                if queue:
                    break
                key = await self.device.read_key()  # cancel-safe: loses no key
                (self._pin if self.pin_entry else self._terminal).append(key)
        return queue.popleft()

    def hold(self) -> None:
        """Start a PIN entry: keys from now on go to the PIN pad only."""
        self._pin.clear()
        self.pin_entry = True

    def release(self) -> None:
        """End the PIN entry; keys not used by it are dropped."""
        self.pin_entry = False
        self._pin.clear()

    def close(self) -> None:
        """Close the keypad underneath, if it has ``close``."""
        close = getattr(self.device, "close", None)
        if callable(close):
            close()


class KeypadPinPad:
    """A PIN pad reading the PIN from a :class:`SharedKeypad`."""

    def __init__(self, keypad: SharedKeypad) -> None:
        self.keypad = keypad
        self._pik: bytes | None = None

    def __repr__(self) -> str:
        return f"KeypadPinPad(pik_loaded={self._pik is not None})"

    def load_pik(self, pik: bytes) -> None:
        """Load the PIN key (8, 16 or 24 bytes)."""
        self._pik = checked_pik(pik)

    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        """Hold the keypad, read the PIN, return it encrypted (None if cancelled).

        Raises:
            KeyMissingError: no PIK loaded.
        """
        if self._pik is None:
            raise KeyMissingError("no PIN key (PIK) loaded: sign on first")
        self.keypad.hold()
        digits = bytearray()
        try:
            while True:
                key = await self.keypad.read_pin_key()
                if key is Key.CANCEL:
                    return None
                if key is Key.CLEAR:
                    digits[:] = b"\0" * len(digits)
                    digits.clear()
                elif key.is_digit and len(digits) < MAX_PIN:
                    digits += key.value.encode()
                elif key is Key.ENTER and len(digits) >= MIN_PIN:
                    return encrypt_pin_block(self._pik, iso0_clear(digits.decode(), pan))
        finally:
            digits[:] = b"\0" * len(digits)
            self.keypad.release()


#: ``pinpad = "keypad:"``: the PIN is keyed on the terminal's own keypad.
SCHEME = "keypad"


def share_keypad(keypad: Keypad, url: DeviceUrl) -> tuple[SharedKeypad, KeypadPinPad]:
    """The shared keypad and its PIN pad for ``pinpad = "keypad:"`` (used by ``open_devices``).

    Raises:
        ConfigError: parameters in the URL.
    """
    url.check_params(())
    shared = SharedKeypad(keypad)
    return shared, KeypadPinPad(shared)


def open_keypad_pinpad(url: DeviceUrl) -> KeypadPinPad:
    """Registry factory for ``keypad:`` alone: refused, it needs the terminal's keypad.

    Raises:
        ConfigError: always; ``open_devices`` builds it with the keypad.
    """
    raise ConfigError(f"{url.raw!r}: a keypad PIN pad is built with the terminal's keypad "
                      "by open_devices (pinpad = \"keypad:\" in xpos.toml)")
