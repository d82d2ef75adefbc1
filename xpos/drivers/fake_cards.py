"""Fake card readers: magstripe (``swipe``), RFID (``tap``) and scanner (``scan``).

Each reader keeps a queue of presented cards. Bad data does not raise on the test side:
it is queued as a :class:`~xpos.drivers.base.CardReadError` that the next
``read_card()`` raises, exactly as a real reader reports a bad swipe.
"""

from __future__ import annotations

import asyncio
import string

from xpos.drivers.magstripe import parse_track2
from xpos.drivers.url import DeviceUrl
from xpos.errors import CardReadError
from xpos.model import CardData, CardSource

_Item = CardData | CardReadError


class _QueuedReader:
    source: CardSource

    def __init__(self) -> None:
        self._items: asyncio.Queue[_Item] = asyncio.Queue()

    def _put(self, item: _Item) -> None:
        self._items.put_nowait(item)

    @property
    def pending(self) -> int:
        """Presented cards not read yet."""
        return self._items.qsize()

    async def read_card(self) -> CardData:
        """Wait for the next card.

        Raises:
            CardReadError: if the presented data was unusable.
        """
        item = await self._items.get()
        if isinstance(item, CardReadError):
            raise item
        return item


class FakeCardReader(_QueuedReader):
    """A magstripe reader."""

    source = CardSource.SWIPE

    def swipe(self, card: CardData | str) -> None:
        """Swipe a card: a :class:`CardData`, or track 2 text ``PAN=YYMMSSS…``."""
        if isinstance(card, CardData):
            self._put(card)
            return
        try:
            self._put(parse_track2(card))
        except CardReadError as exc:
            self._put(exc)


class FakeRfidReader(_QueuedReader):
    """An RFID reader reporting card UIDs (hex)."""

    source = CardSource.TAP

    def tap(self, uid: str) -> None:
        """Tap a card with this UID (4 to 10 bytes as hex; stored upper-case)."""
        text = uid.strip().upper()
        is_hex = bool(text) and all(c in string.hexdigits for c in text)
        if not is_hex or len(text) % 2 or not 8 <= len(text) <= 20:
            self._put(CardReadError("RFID UID must be 4 to 10 bytes of hex"))
            return
        self._put(CardData(source=CardSource.TAP, uid=text))


class FakeScanner(_QueuedReader):
    """A barcode/QR scanner."""

    source = CardSource.SCAN

    def scan(self, code: str) -> None:
        """Scan a code (surrounding whitespace and the scanner's CR/LF are dropped)."""
        text = code.strip()
        if not text or not text.isprintable():
            self._put(CardReadError("scanned code is empty or not printable"))
            return
        self._put(CardData(source=CardSource.SCAN, code=text))


def open_fake_magstripe(url: DeviceUrl) -> FakeCardReader:
    """Registry factory for ``fake:`` magstripe readers."""
    url.check_params(())
    return FakeCardReader()


def open_fake_rfid(url: DeviceUrl) -> FakeRfidReader:
    """Registry factory for ``fake:`` RFID readers."""
    url.check_params(())
    return FakeRfidReader()


def open_fake_scanner(url: DeviceUrl) -> FakeScanner:
    """Registry factory for ``fake:`` scanners."""
    url.check_params(())
    return FakeScanner()
