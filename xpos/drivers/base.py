"""Device protocols: the hardware abstraction layer's contract.

Theory of operation
-------------------
Every device kind is one small :class:`typing.Protocol`. The runtime, the emulator and
the QA runner only ever talk to these protocols; which class stands behind one is
chosen by a URL-like string in the configuration (see :mod:`xpos.drivers.registry`).

* Input devices (keypad, card readers, PIN pad) are *async*: a read waits until the
  user acts. Reads are cancel-safe: cancelling a pending read loses no input, so the
  runtime may race several readers and cancel the losers
  (:func:`xpos.drivers.cards.read_any_card`).
* Output devices (display, printer) are synchronous and fast; a printer that cannot
  print raises :class:`~xpos.errors.PaperOutError` and prints nothing. A printer whose
  ``print_bytes`` may wait on the device (a real ESC/POS printer asking its status)
  carries ``blocking = True`` (:data:`BLOCKING_ATTRIBUTE`); the terminal then calls it
  on a printer thread, never on the event loop. Without it (fakes, files) it is called
  inline.
* A card read that produced unusable data raises :class:`CardReadError`; the reader
  stays usable, the next swipe may succeed.
* The PIN pad never returns PIN digits, only the ISO 9564 format 0 block encrypted under
  the PIK it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from xpos.model import CardData, Key

#: Device kinds known to the registry and to :func:`~xpos.drivers.registry.open_devices`.
KINDS: tuple[str, ...] = (
    "keypad",
    "display",
    "magstripe",
    "rfid",
    "scanner",
    "pinpad",
    "printer",
)

#: Kinds whose devices implement :class:`CardReader`.
READER_KINDS: tuple[str, ...] = ("magstripe", "rfid", "scanner")

#: Optional devices: absent (``none:``) unless configured. The customer display is a
#: :class:`Display` (a 2 x 20 pole display), the beeper a :class:`Beeper`.
OPTIONAL_KINDS: tuple[str, ...] = ("customer_display", "beeper")


@runtime_checkable
class Keypad(Protocol):
    """The terminal keypad."""

    async def read_key(self) -> Key:
        """Wait for the next key press."""
        ...


@runtime_checkable
class Display(Protocol):
    """The terminal display: 8 lines of 20 columns by default; CJK characters take 2."""

    def show(self, lines: Sequence[str]) -> None:
        """Replace the screen with ``lines`` (too-long lines are truncated, never raise)."""
        ...


@runtime_checkable
class CardReader(Protocol):
    """A magstripe reader, an RFID reader or a barcode scanner.

    A reader may also carry a ``source`` attribute (a :class:`~xpos.model.CardSource`)
    so that :func:`~xpos.drivers.cards.read_any_card` can pick readers by source.
    """

    async def read_card(self) -> CardData:
        """Wait for the next card; raises :class:`CardReadError` on unusable data."""
        ...


@runtime_checkable
class PinPad(Protocol):
    """The PIN entry device (PED)."""

    def load_pik(self, pik: bytes) -> None:
        """Load the PIN key (8, 16 or 24 bytes) received at sign-on."""
        ...

    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        """Let the cardholder enter a PIN; return the encrypted ISO-0 block.

        Returns:
            The 8-byte PIN block encrypted under the PIK, or ``None`` if cancelled.

        Raises:
            KeyMissingError: if no PIK is loaded.
        """
        ...


#: The optional printer attribute saying ``print_bytes`` may block (default False).
BLOCKING_ATTRIBUTE = "blocking"


@runtime_checkable
class Printer(Protocol):
    """A receipt printer taking raw ESC/POS bytes."""

    def print_bytes(self, data: bytes) -> None:
        """Print ``data``; raises :class:`~xpos.errors.PaperOutError` if out of paper."""
        ...

    @property
    def paper_ok(self) -> bool:
        """False while the printer is out of paper."""
        ...


@runtime_checkable
class Beeper(Protocol):
    """Audible feedback."""

    def beep(self, kind: str) -> None:
        """Sound ``"ok"`` (a card read) or ``"error"`` (a refused key); never raises."""
        ...


@runtime_checkable
class Closable(Protocol):
    """Anything holding an OS resource that must be released."""

    def close(self) -> None:
        """Release the resource; idempotent."""
        ...


@dataclass(frozen=True, kw_only=True)
class DeviceSet:
    """The devices of one terminal.

    Attributes:
        keypad: The keypad.
        display: The display.
        readers: Card readers (magstripe, RFID, scanner), in configuration order.
        pinpad: The PIN pad.
        printer: The receipt printer.
        customer_display: The display facing the customer (optional).
        beeper: The beeper (optional).
    """

    keypad: Keypad
    display: Display
    readers: tuple[CardReader, ...]
    pinpad: PinPad
    printer: Printer
    customer_display: Display | None = None
    beeper: Beeper | None = None

    def close(self) -> None:
        """Close every device that has a ``close()`` method."""
        devices: list[object] = [self.keypad, self.display, *self.readers]
        devices += [self.pinpad, self.printer, self.customer_display, self.beeper]
        for device in devices:
            if isinstance(device, Closable):
                device.close()
