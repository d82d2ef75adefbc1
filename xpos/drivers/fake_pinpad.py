"""Fake PIN pad: an emulated PED.

It holds the PIK (loaded after sign-on) and, like a real PED, hands the application only
the ISO 9564 format 0 PIN block encrypted under that PIK. The test side ``enter(pin)``
queues one PIN entry; the digits stay in the private queue only until the next
``get_pin_block`` consumes them and are never part of ``repr`` or of any message.
``asking`` tells the test side (the emulator's PIN pad pane) that a request waits for
an entry; ``on_change(callback)`` calls back whenever ``asking`` or ``prompts`` may have
changed (a request starts or ends, an entry or a cancel is queued). The terminal withdraws
a request that timed out by cancelling the ``get_pin_block`` call: the pad then stops
waiting (``asking`` turns false, the count of ``withdrawn`` requests goes up) and an entry
made afterwards waits for the next request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from xpos.drivers.listeners import Listener, Listeners
from xpos.drivers.url import DeviceUrl
from xpos.errors import DeviceError, KeyMissingError
from xpos.model import mask_pan
from xpos.security.pinblock import MAX_PIN, MIN_PIN, checked_pik, encrypt_pin_block, iso0_clear


class _Entry:
    """One PIN entry (or a cancel); ``repr`` hides the digits."""

    __slots__ = ("failure", "pin")

    def __init__(self, pin: str | None, failure: str = "") -> None:
        self.pin = pin
        self.failure = failure  # not empty: the PED fails instead of answering

    def __repr__(self) -> str:
        return "<PIN entry>" if self.pin is not None else "<cancel>"


class FakePinPad:
    """An emulated PIN pad.

    Attributes:
        prompts: What each ``get_pin_block`` call showed the cardholder:
            (masked PAN, amount in fen or None).
        withdrawn: How many requests were withdrawn (cancelled) before an entry came.
    """

    def __init__(self) -> None:
        self._pik: bytes | None = None
        self._entries: asyncio.Queue[_Entry] = asyncio.Queue()
        self.prompts: list[tuple[str, int | None]] = []
        self._waiting = 0
        self._changes = Listeners()
        self.withdrawn = 0

    def __repr__(self) -> str:
        return f"FakePinPad(pik_loaded={self.pik_loaded}, pending={self._entries.qsize()})"

    @property
    def pik_loaded(self) -> bool:
        """True once a PIK is loaded."""
        return self._pik is not None

    @property
    def asking(self) -> bool:
        """True while a ``get_pin_block`` call waits for an entry not yet made."""
        return self._waiting > self._entries.qsize()

    def on_change(self, callback: Listener) -> Callable[[], None]:
        """Test side: call ``callback()`` when a request starts or ends or an entry is made.

        Returns:
            A function that stops the calls.
        """
        return self._changes.add(callback)

    def load_pik(self, pik: bytes) -> None:
        """Load the PIN key.

        Raises:
            SecurityError: if the key is not 8, 16 or 24 bytes.
        """
        self._pik = checked_pik(pik)

    def enter(self, pin: str) -> None:
        """Test side: the cardholder keys ``pin`` and presses ENTER.

        Raises:
            ValueError: if the PIN is not 4 to 12 digits (the message omits it).
        """
        if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
            raise ValueError(f"a PIN is {MIN_PIN} to {MAX_PIN} digits")
        self._entries.put_nowait(_Entry(pin))
        self._changes.notify()

    def cancel(self) -> None:
        """Test side: the cardholder presses CANCEL."""
        self._entries.put_nowait(_Entry(None))
        self._changes.notify()

    def fail(self, message: str = "PIN pad failure / 密码键盘故障") -> None:
        """Test side: the PIN pad fails (the waiting or next request raises DeviceError)."""
        self._entries.put_nowait(_Entry(None, failure=message))
        self._changes.notify()

    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        """Wait for PIN entry and return the ISO-0 block encrypted under the PIK.

        Cancelling the call withdraws the request: the pad stops waiting and no queued
        entry is consumed.

        Returns:
            8 bytes, or ``None`` if the cardholder cancelled.

        Raises:
            KeyMissingError: if no PIK is loaded (checked before waiting).
            DeviceError: the PIN pad failed (test side: :meth:`fail`).
            SecurityError: if the PAN cannot form an ISO-0 block.
        """
        pik = self._pik
        if pik is None:
            raise KeyMissingError("PIN pad has no PIK; sign on first")
        self.prompts.append((mask_pan(pan), amount))
        self._waiting += 1
        self._changes.notify()
        try:
            entry = await self._entries.get()
        except asyncio.CancelledError:
            self.withdrawn += 1
            raise
        finally:
            self._waiting -= 1
            self._changes.notify()
        pin, entry.pin = entry.pin, None
        if entry.failure:
            raise DeviceError(entry.failure)
        if pin is None:
            return None
        return encrypt_pin_block(pik, iso0_clear(pin, pan))


def open_fake_pinpad(url: DeviceUrl) -> FakePinPad:
    """Registry factory for ``fake:`` PIN pads."""
    url.check_params(())
    return FakePinPad()
