"""PC/SC contactless readers through pyscard (the optional ``[pcsc]`` extra): a tap = a UID.

Theory of operation
-------------------
Wire format (pure, golden-tested): the PC/SC pseudo-APDU GET DATA ``FF CA 00 00 00``
asks the reader for the UID of the card on it; the answer is the UID followed by the
status words ``SW1 SW2``. ``90 00`` = success (a UID of 4, 7 or 10 bytes, or another
length from 4 to 10); ``6A 81`` = the reader does not support the command; ``63 00`` =
no UID; anything else is an error. :func:`decode_uid_response` turns an answer into
the upper-case hex UID or one :class:`~xpos.errors.CardReadError`.

Transport (:class:`PcscReader`): a worker thread polls the reader (every
``POLL_S``) through a :class:`CardLink`; when a card is present it sends GET DATA and
queues the tap (or the read error), then waits until the card is taken away, so a
card held on the reader is one tap. The queue is on the reader: a cancelled
``read_card()`` loses no tap. :class:`PyscardLink` is the pyscard link (``pcscd`` must
run); tests use a stand-in link, since pcscd cannot run a reader on a build machine.
A UID identifies a card; it does not authenticate it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import threading
from typing import Any, Protocol

from xpos.drivers.url import DeviceUrl
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardData, CardSource

GET_UID = bytes.fromhex("FFCA000000")
POLL_S = 0.2
_ERRORS = {
    (0x6A, 0x81): "the reader does not support GET DATA (6A81)",
    (0x63, 0x00): "the card gave no UID (6300)",
}


def decode_uid_response(response: bytes) -> str:
    """The UID (upper-case hex) in a GET DATA answer (``UID || SW1 SW2``).

    Raises:
        CardReadError: a status word other than 90 00, or a UID not of 4 to 10 bytes.
    """
    if len(response) < 2:
        raise CardReadError("PC/SC answer too short")
    data, sw = response[:-2], (response[-2], response[-1])
    if sw != (0x90, 0x00):
        raise CardReadError(_ERRORS.get(sw, f"PC/SC GET DATA failed ({sw[0]:02X}{sw[1]:02X})"))
    if not 4 <= len(data) <= 10:
        raise CardReadError(f"PC/SC UID of {len(data)} bytes (4 to 10 expected)")
    return data.hex().upper()


class CardLink(Protocol):
    """One reader: send an APDU to the card on it, if any."""

    def transmit(self, apdu: bytes) -> bytes | None:
        """The answer (data || SW1 SW2), or None when no card is on the reader.

        Raises:
            OSError: the reader is gone.
        """
        ...

    def close(self) -> None:
        """Release the reader."""
        ...


class PcscReader:
    """An RFID reader (:class:`~xpos.drivers.base.CardReader`) on a PC/SC link."""

    source = CardSource.TAP

    def __init__(self, link: CardLink, *, poll_s: float = POLL_S) -> None:
        self._link = link
        self._poll_s = poll_s
        self._events: collections.deque[CardData | CardReadError] = collections.deque()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._present = False

    async def read_card(self) -> CardData:
        """Wait for the next tap.

        Raises:
            CardReadError: the card's answer was unusable (the reader stays usable).
            DeviceError: the reader is gone or was closed.
        """
        while not self._events:
            await asyncio.to_thread(self._poll)
        event = self._events.popleft()
        if isinstance(event, CardReadError):
            raise event
        return event

    def _poll(self) -> None:
        with self._lock:
            if self._closed.is_set():
                raise DeviceError("PC/SC reader is closed")
            try:
                answer = self._link.transmit(GET_UID)
            except OSError as exc:
                raise DeviceError(f"PC/SC reader failed: {exc}") from exc
        if answer is None:
            self._present = False
        elif not self._present:
            self._present = True
            try:
                self._events.append(CardData(source=CardSource.TAP,
                                             uid=decode_uid_response(answer)))
            except CardReadError as exc:
                self._events.append(exc)
            return
        self._closed.wait(self._poll_s)

    def close(self) -> None:
        """Release the reader; later reads raise :class:`DeviceError`."""
        self._closed.set()
        with self._lock:
            self._link.close()


class PyscardLink:
    """A :class:`CardLink` on a pyscard reader (``smartcard.System.readers()``)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._connection: Any = None

    def transmit(self, apdu: bytes) -> bytes | None:
        """Connect if needed and send ``apdu``; None when no card is present."""
        from smartcard.Exceptions import CardConnectionException, NoCardException

        try:
            if self._connection is None:
                connection = self._reader.createConnection()
                connection.connect()
                self._connection = connection
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except (NoCardException, CardConnectionException):
            self._drop()
            return None
        return bytes(data) + bytes([sw1, sw2])

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # the card is gone already
                self._connection.disconnect()
            self._connection = None

    def close(self) -> None:
        """Disconnect from the card."""
        self._drop()


def open_pcsc_rfid(url: DeviceUrl) -> PcscReader:
    """Registry factory: ``pcsc:`` (the first reader) or ``pcsc:?reader=ACS`` (the first
    reader whose name contains the text).

    Raises:
        ConfigError: pyscard not installed (``pip install 'xpos-terminal[pcsc]'``), bad parameters.
        DeviceError: pcscd not running or no matching reader.
    """
    url.check_params(("reader", "kind"))
    if url.params.get("kind", "rfid") != "rfid":
        raise ConfigError(f"{url.raw!r}: a PC/SC reader is an rfid device")
    try:
        from smartcard.System import readers
    except ImportError:
        raise ConfigError("pcsc: needs pyscard: pip install 'xpos-terminal[pcsc]'") from None
    wanted = url.params.get("reader", "")
    try:
        found = [r for r in readers() if wanted in str(r)]
    except Exception as exc:  # pyscard's errors when pcscd is down
        raise DeviceError(f"PC/SC: cannot list readers (is pcscd running?): {exc}") from exc
    if not found:
        raise DeviceError(f"PC/SC: no reader{f' matching {wanted!r}' if wanted else ''}")
    return PcscReader(PyscardLink(found[0]))
