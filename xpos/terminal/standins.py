"""Stand-ins for the keypad, display, PIN pad, printer (and optional devices) of ``xpos run``.

Theory of operation
-------------------
Each stand-in keeps its device's protocol (:mod:`xpos.drivers.base`) on top of a
:class:`~xpos.terminal.devslots.Slot`, which holds the real device while it works and
nothing while it is missing (see :mod:`xpos.terminal.devslots` for how slots are
emptied and filled again). What the terminal sees meanwhile:

* **Keypad** (:class:`StandInKeypad`): ``read_key`` waits until the keypad is back and
  reads on; the flow that was waiting (an amount, a card, a confirmation) simply waits
  longer. A read that fails empties the slot. During a PIN entry on the keypad
  (``pinpad = "keypad:"``) a keypad that is lost or missing gives ``CANCEL`` to the PIN
  entry, so it ends as a customer's cancel would: never half read.
* **Display** (:class:`StandInDisplay`): every screen is kept; while the display is
  missing it is not drawn (dropped, nothing raised), and when the display is back -- or
  the keypad is -- the current screen is drawn again.
* **PIN pad** (:class:`StandInPinPad`): the PIN key is kept and loaded into the PIN pad
  again when it is back; a PIN request while it is missing, or one cut by an unplug,
  ends as a customer's cancel (``None``).
* **Customer display and beeper** (optional; :class:`StandInDisplay`,
  :class:`StandInBeeper`): shown screens are kept and drawn when it is back; beeps are
  dropped while the beeper is missing.
* **Printer** (:class:`StandInPrinter`): ``blocking`` when its URL is an ESC/POS one
  (or the printer underneath says so), so the terminal prints -- and reopens it on
  demand -- on its printer thread; ``paper_ok`` is False while it is missing; a
  job is tried once more on demand and otherwise refused with
  :class:`PrinterMissingError` (a :class:`~xpos.errors.PaperOutError`), nothing printed.
  So a slip takes the paper-out path: it was journaled before it was sent, the flow
  shows 打印机未连接 / 接好后按确认键重打, and the whole slip is printed when the
  operator confirms once the printer is back (or it is reprinted later).

Attributes the terminal asks of a device that the protocol does not name (a printer's
``profile``, a display's ``rows``) are those of the device underneath while it is there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from xpos.drivers.base import Beeper, DeviceSet, Display, Keypad, PinPad, Printer
from xpos.drivers.keypad_pinpad import SharedKeypad
from xpos.drivers.url import parse_device_url
from xpos.errors import ConfigError, PaperOutError, PrinterOfflineError
from xpos.model import Key
from xpos.terminal.devslots import NOT_READY, READY, Slot

log = logging.getLogger(__name__)


class PrinterMissingError(PrinterOfflineError):
    """The printer is not connected: nothing was printed; the slip is printed again whole."""


class _StandIn:
    """What every stand-in shares: its slot and the device's other attributes."""

    def __init__(self, slot: Slot) -> None:
        self.slot = slot

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "slot":
            raise AttributeError(name)
        device = self.slot.device
        if device is None:
            raise AttributeError(f"{name} (the {self.slot.kind} is missing)")
        return getattr(device, name)

    @property
    def present(self) -> bool:
        """True while the device is there."""
        return self.slot.device is not None

    def close(self) -> None:
        """Close the device underneath."""
        self.slot.close()


class StandInKeypad(_StandIn):
    """The keypad (see the module's theory of operation)."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(slot)
        #: True while a PIN is keyed on this keypad (set for ``pinpad = "keypad:"``).
        self.in_pin_entry: Any = None

    async def read_key(self) -> Key:
        """The next key, once the keypad is there; CANCEL to a PIN entry it cuts."""
        while True:
            device = self.slot.device
            if device is None:
                if self._pin_entry():
                    return Key.CANCEL
                await self.slot.wait_back()
                continue
            try:
                return await cast(Keypad, device).read_key()
            except OSError as exc:  # DeviceError: the port failed (a pulled cable)
                self.slot.lost(exc)
                if self._pin_entry():
                    log.warning("PIN entry cancelled: the keypad is gone")
                    return Key.CANCEL

    def _pin_entry(self) -> bool:
        return bool(self.in_pin_entry is not None and self.in_pin_entry())


class StandInDisplay(_StandIn):
    """The display (see the module's theory of operation)."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(slot)
        self._lines: tuple[str, ...] = ()
        slot.on_back.append(self.redraw)

    @property
    def lines(self) -> tuple[str, ...]:
        """The current screen (kept while the display is missing)."""
        device = self.slot.device
        shown = getattr(device, "lines", None) if device is not None else None
        return tuple(shown) if isinstance(shown, tuple | list) else self._lines

    def show(self, lines: Sequence[str]) -> None:
        """Show ``lines``; kept and dropped while the display is missing."""
        self._lines = tuple(lines)
        device = self.slot.device
        if device is None:
            return
        try:
            cast(Display, device).show(self._lines)
        except OSError as exc:
            self.slot.lost(exc)

    def redraw(self) -> None:
        """Draw the current screen again (the display or the keypad is back)."""
        if self._lines:
            self.show(self._lines)


class StandInPinPad(_StandIn):
    """The PIN pad (see the module's theory of operation)."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(slot)
        self._pik: bytes | None = None
        slot.on_back.append(self._reload_pik)

    def load_pik(self, pik: bytes) -> None:
        """Load the PIN key, and keep it for a PIN pad that comes back."""
        self._pik = pik
        self._reload_pik()

    def _reload_pik(self) -> None:
        device = self.slot.device
        if device is None or self._pik is None:
            return
        try:
            cast(PinPad, device).load_pik(self._pik)
        except OSError as exc:
            self.slot.lost(exc)

    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        """The PIN pad's block; ``None`` (a cancel) while it is missing or if it is lost."""
        device = self.slot.device
        if device is None:
            log.warning("PIN entry cancelled: the PIN pad is missing")
            return None
        try:
            return await cast(PinPad, device).get_pin_block(pan, amount)
        except OSError as exc:
            self.slot.lost(exc)
            log.warning("PIN entry cancelled: the PIN pad is gone")
            return None


class StandInPrinter(_StandIn):
    """The printer (see the module's theory of operation).

    Args:
        slot: The printer's slot.
        url: Its URL (its ``profile`` and ``chinese`` apply while it is missing).
    """

    def __init__(self, slot: Slot, url: str) -> None:
        super().__init__(slot)
        try:
            params = parse_device_url(url).params
        except ConfigError:
            params = {}
        self._profile = params.get("profile")
        self._chinese = params.get("chinese")
        self._blocking = url.startswith("escpos")  # opening it may block too

    @property
    def blocking(self) -> bool:
        """True when the printer underneath (or the one the URL opens) may block."""
        device = self.slot.device
        return self._blocking or bool(device is not None
                                      and getattr(device, "blocking", False) is True)

    def __getattr__(self, name: str) -> Any:
        if self.slot.device is None and name in ("profile", "chinese"):
            return self._profile if name == "profile" else self._chinese
        return super().__getattr__(name)

    @property
    def paper_ok(self) -> bool:
        """False while the printer is missing (or says it cannot print)."""
        device = self.slot.device
        if device is None:
            return False
        try:
            return bool(cast(Printer, device).paper_ok)
        except OSError:
            return False

    def print_bytes(self, data: bytes) -> None:
        """Print one job (the printer opened once more first if it is missing).

        Raises:
            PrinterMissingError: the printer is missing or failed now; nothing printed.
            PaperOutError: as the printer says (out of paper, not ready).
        """
        if not self.slot.try_open():
            raise PrinterMissingError(f"打印机未连接 printer not connected: {self.slot.why}")
        device = cast(Printer, self.slot.device)
        try:
            device.print_bytes(data)
        except PaperOutError as exc:
            self.slot.mark(NOT_READY, str(exc))
            raise
        except OSError as exc:  # a DeviceError: unplugged, the port gone
            self.slot.lost(exc)
            raise PrinterMissingError(f"打印机未连接 printer not connected: {exc}") from exc
        self.slot.mark(READY)


class StandInBeeper(_StandIn):
    """The optional beeper: silent while it is missing."""

    def beep(self, kind: str) -> None:
        """Sound ``kind`` if the beeper is there; never raises."""
        device = self.slot.device
        if device is None:
            return
        try:
            cast(Beeper, device).beep(kind)
        except OSError as exc:
            self.slot.lost(exc)


def make(kind: str, slot: Slot, url: str) -> object:
    """The stand-in of ``kind`` around ``slot``."""
    if kind == "keypad":
        return StandInKeypad(slot)
    if kind in ("display", "customer_display"):
        return StandInDisplay(slot)
    if kind == "beeper":
        return StandInBeeper(slot)
    if kind == "pinpad":
        return StandInPinPad(slot)
    return StandInPrinter(slot, url)


def wire(devices: DeviceSet) -> None:
    """Connect the stand-ins of one terminal's devices to each other.

    The keypad coming back redraws the display; a PIN entry on the keypad
    (``pinpad = "keypad:"``) is cancelled when the keypad goes.
    """
    keypad: object = devices.keypad
    shared = keypad if isinstance(keypad, SharedKeypad) else None
    if shared is not None:
        keypad = shared.device
    if not isinstance(keypad, StandInKeypad):
        return
    if shared is not None:
        keypad.in_pin_entry = lambda: shared.pin_entry
    display = devices.display
    if isinstance(display, StandInDisplay):
        keypad.slot.on_back.append(display.redraw)
