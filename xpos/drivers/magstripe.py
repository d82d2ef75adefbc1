"""Magnetic stripe: the serial reader wire format and track 2 parsing (pure, no I/O).

Theory of operation
-------------------
A serial (or USB-serial) magstripe reader sends one *frame* per swipe, ASCII::

    [%<track 1>?][;<track 2>?][;<track 3>?] CR [LF]

* ``%`` starts track 1 (IATA, alphanumeric, format code ``B``), ``;`` starts track 2
  (ABA, digits and ``=``), a second ``;`` (ISO 4909) or ``+`` starts track 3; ``?`` ends
  each track. Tracks the reader did not see are absent.
* A track the reader saw but could not decode is sent as ``%E?`` / ``;E?``.
* CR, LF or CR LF ends the frame; empty frames are ignored.

:class:`MagstripeDecoder` is a sans-IO stream decoder (``feed(bytes) -> events``);
:func:`encode_swipe` is the inverse, used by tests and by emulated readers.
:func:`parse_track2` turns track 2 (``PAN=YYMMSSS…``) into :class:`CardData`. Error
messages name the problem, never the card data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xpos.errors import CardReadError
from xpos.model import CardData, CardSource

MAX_TRACK2 = 37
MAX_FRAME = 512
_SENTINELS = "%;+?"
_TERMINATORS = b"\r\n"


@dataclass(frozen=True, kw_only=True)
class Swipe:
    """The tracks of one swipe, without sentinels; ``""`` for an absent track."""

    track1: str = field(default="", repr=False)
    track2: str = field(default="", repr=False)
    track3: str = field(default="", repr=False)


@dataclass(frozen=True, kw_only=True)
class SwipeError:
    """A frame that could not be decoded.

    Attributes:
        reason: What was wrong (never the data itself).
    """

    reason: str


def encode_swipe(*, track2: str, track1: str = "", track3: str = "") -> bytes:
    """Encode one swipe as a reader sends it (tracks with sentinels, then CR).

    Raises:
        ValueError: if a track contains a sentinel or a non-ASCII character.
    """
    parts = [("%", track1), (";", track2), (";", track3)]
    if any(c in _SENTINELS or not c.isascii() for _, t in parts for c in t):
        raise ValueError("track data must be ASCII without sentinels")
    text = "".join(f"{start}{track}?" for start, track in parts if track)
    return text.encode("ascii") + b"\r"


def decode_frame(frame: bytes) -> Swipe:
    """Decode one frame (without its CR/LF terminator).

    Raises:
        CardReadError: on non-ASCII bytes, a missing sentinel or a repeated track.
    """
    try:
        text = frame.decode("ascii")
    except UnicodeDecodeError:
        raise CardReadError("card reader sent non-ASCII data") from None
    tracks: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        start = text[pos]
        if start not in "%;+":
            raise CardReadError(f"unexpected character at byte {pos} of the swipe")
        end = text.find("?", pos + 1)
        if end < 0:
            raise CardReadError("track without end sentinel")
        _store_track(tracks, start, text[pos + 1 : end])
        pos = end + 1
    return Swipe(**tracks)


def _store_track(tracks: dict[str, str], start: str, content: str) -> None:
    if start == "%":
        name = "track1"
    elif start == ";" and "track2" not in tracks:
        name = "track2"
    else:
        name = "track3"
    if name in tracks:
        raise CardReadError(f"{name} sent twice in one swipe")
    tracks[name] = content


class MagstripeDecoder:
    """Sans-IO decoder: bytes from the reader in, :class:`Swipe`/:class:`SwipeError` out."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._overflow = False

    def feed(self, data: bytes) -> list[Swipe | SwipeError]:
        """Add received bytes; return the events of every frame completed by them."""
        events: list[Swipe | SwipeError] = []
        for byte in data:
            if byte in _TERMINATORS:
                events.extend(self._end_frame())
            elif not self._overflow:
                self._buffer.append(byte)
                if len(self._buffer) > MAX_FRAME:
                    self._buffer.clear()
                    self._overflow = True
                    events.append(SwipeError(reason="swipe frame too long"))
        return events

    def _end_frame(self) -> list[Swipe | SwipeError]:
        frame, overflow = bytes(self._buffer), self._overflow
        self._buffer.clear()
        self._overflow = False
        if overflow or not frame:
            return []
        try:
            return [decode_frame(frame)]
        except CardReadError as exc:
            return [SwipeError(reason=str(exc))]


def parse_track2(track2: str, *, source: CardSource = CardSource.SWIPE) -> CardData:
    """Parse track 2 (``PAN=YYMMSSS[discretionary]``) into card data.

    Sentinels (``;`` … ``?``) are stripped and ``D`` is accepted as separator; the
    stored ``track2`` uses ``=``.

    Raises:
        CardReadError: if the data is not a well-formed track 2.
    """
    data = track2.strip()
    if data.startswith(";") and data.endswith("?"):
        data = data[1:-1]
    data = data.replace("D", "=")
    if not data or data == "E":
        raise CardReadError("track 2 unreadable")
    if len(data) > MAX_TRACK2:
        raise CardReadError(f"track 2 longer than {MAX_TRACK2} characters")
    pan, sep, rest = data.partition("=")
    _check_track2_parts(pan, sep, rest)
    return CardData(
        source=source, pan=pan, expiry=rest[:4], track2=data, service_code=rest[4:7]
    )


def _check_track2_parts(pan: str, sep: str, rest: str) -> None:
    if not sep:
        raise CardReadError("track 2 has no field separator")
    if not (pan.isascii() and pan.isdigit() and 12 <= len(pan) <= 19):
        raise CardReadError("track 2 PAN must be 12 to 19 digits")
    if not (rest.isascii() and rest.isdigit() and len(rest) >= 7):
        raise CardReadError("track 2 needs expiry YYMM and service code digits")
    if not 1 <= int(rest[2:4]) <= 12:
        raise CardReadError("track 2 expiry month out of range")


def card_from_swipe(swipe: Swipe) -> CardData:
    """Card data from a decoded swipe (track 2 is required).

    Raises:
        CardReadError: if track 2 is absent or malformed.
    """
    if not swipe.track2:
        raise CardReadError("no track 2 in the swipe")
    return parse_track2(swipe.track2)
