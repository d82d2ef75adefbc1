"""Serial wire formats of RFID modules and barcode scanners (pure, sans-IO).

Theory of operation
-------------------
**125 kHz RFID module** (EM4100 readers such as RDM6300): one frame per read::

    STX(0x02)  10 ASCII hex (2 version + 8 card)  2 ASCII hex checksum  ETX(0x03)

The checksum is the XOR of the 5 data bytes the 10 hex digits encode. Bytes outside a
frame (noise, CR/LF some modules add) are skipped; a frame with a wrong length, a
non-hex digit or a wrong checksum is one :class:`~xpos.errors.CardReadError`; an STX
inside a frame drops the truncated frame (one error) and starts a new one. The UID
reported is the 10 hex digits (5 bytes), upper-case.

**Serial barcode/QR scanner**: the code text (UTF-8) followed by a configurable suffix
(CR by default; LF, CR LF or Tab). Empty lines are skipped, and a stray LF left by a
CR LF scanner configured as CR is dropped with the surrounding blanks.
"""

from __future__ import annotations

from collections.abc import Mapping

from xpos.errors import CardReadError
from xpos.model import CardData, CardSource

STX, ETX = 0x02, 0x03
RFID_PAYLOAD = 12  # 10 data + 2 checksum hex digits
_HEX = frozenset(b"0123456789ABCDEFabcdef")
#: Scanner suffix names (``suffix=`` URL parameter) -> bytes.
SUFFIXES: Mapping[str, bytes] = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t"}
MAX_SCAN = 4096

Event = CardData | CardReadError


def encode_rfid_frame(data_hex: str) -> bytes:
    """The frame a 125 kHz module sends for ``data_hex`` (10 hex digits).

    Raises:
        ValueError: if ``data_hex`` is not 10 hex digits.
    """
    data = bytes.fromhex(data_hex)
    if len(data) != 5:
        raise ValueError("RFID frame data must be 10 hex digits")
    checksum = 0
    for byte in data:
        checksum ^= byte
    return bytes([STX]) + f"{data.hex().upper()}{checksum:02X}".encode() + bytes([ETX])


def decode_rfid_payload(payload: bytes) -> CardData:
    """The card of one frame's payload (between STX and ETX).

    Raises:
        CardReadError: on a wrong length, a non-hex digit or a bad checksum.
    """
    if len(payload) != RFID_PAYLOAD:
        raise CardReadError(f"RFID frame has {len(payload)} digits, expected {RFID_PAYLOAD}")
    if not set(payload) <= _HEX:
        raise CardReadError("RFID frame has a non-hex digit")
    data = bytes.fromhex(payload[:10].decode())
    checksum = 0
    for byte in data:
        checksum ^= byte
    if checksum != int(payload[10:], 16):
        raise CardReadError("RFID frame checksum wrong")
    return CardData(source=CardSource.TAP, uid=data.hex().upper())


class RfidFrameDecoder:
    """Sans-IO decoder of 125 kHz module frames: bytes in, cards or read errors out."""

    def __init__(self) -> None:
        self._frame: bytearray | None = None

    def feed(self, data: bytes) -> list[Event]:
        """Add received bytes; return a card or an error per frame they complete."""
        events: list[Event] = []
        for byte in data:
            if byte == STX:
                if self._frame is not None:
                    events.append(CardReadError("RFID frame truncated"))
                self._frame = bytearray()
            elif self._frame is None:
                continue  # noise between frames
            elif byte == ETX:
                events.append(self._finish(bytes(self._frame)))
                self._frame = None
            elif byte not in b"\r\n":
                self._frame.append(byte)
                if len(self._frame) > RFID_PAYLOAD:
                    events.append(CardReadError("RFID frame too long"))
                    self._frame = None
        return events

    @staticmethod
    def _finish(payload: bytes) -> Event:
        try:
            return decode_rfid_payload(payload)
        except CardReadError as exc:
            return exc


class ScannerLineDecoder:
    """Sans-IO decoder of a serial scanner: code text + suffix -> scanned codes.

    Args:
        suffix: The bytes ending each code (see :data:`SUFFIXES`).
    """

    def __init__(self, suffix: bytes = b"\r") -> None:
        if not suffix:
            raise ValueError("scanner suffix must not be empty")
        self._suffix = suffix
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Event]:
        """Add received bytes; return a code or an error per line they complete."""
        self._buffer += data
        events: list[Event] = []
        while (end := self._buffer.find(self._suffix)) >= 0:
            line = bytes(self._buffer[:end])
            del self._buffer[: end + len(self._suffix)]
            events.extend(self._line(line))
        if len(self._buffer) > MAX_SCAN:
            self._buffer.clear()
            if not self._overflow:
                events.append(CardReadError(f"scanned code longer than {MAX_SCAN} bytes"))
            self._overflow = True
        return events

    def _line(self, line: bytes) -> list[Event]:
        if self._overflow:
            self._overflow = False
            return []
        try:
            code = line.decode("utf-8").strip()
        except UnicodeDecodeError:
            return [CardReadError("scanned code is not UTF-8 text")]
        if not code:
            return []
        if not code.isprintable():
            return [CardReadError("scanned code is not printable")]
        return [CardData(source=CardSource.SCAN, code=code)]
