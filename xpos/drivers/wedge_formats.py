"""What a keyboard-wedge line means: a swipe, an RFID UID or a scanned code (pure).

Theory of operation
-------------------
* **Magstripe** (:func:`card_from_wedge_swipe`): the reader types the tracks with their
  sentinels, ``%<track 1>?;<track 2>?;<track 3>?`` (track 3 may start with ``+``), and
  with ``lrc=True`` one LRC character after each end sentinel (ISO/IEC 7811: XOR of the
  data bits of every character from start to end sentinel; track 1 characters are
  6-bit, ``ord(c) - 0x20``; tracks 2/3 are 4-bit, ``ord(c) - 0x30``). The tracks are
  then checked against ISO/IEC 7813 (character sets, lengths; track 1 format ``B``,
  PAN, ``^`` name ``^``, expiry, service code; the PAN of tracks 1 and 2 agree) and
  track 2 is parsed with :func:`xpos.drivers.magstripe.parse_track2`. Any violation is
  one :class:`~xpos.errors.CardReadError` naming the rule — never half a card, never
  the data.
* **RFID** (:func:`uid_from_line`): UID readers type the UID as 10 decimal digits (the
  4-byte UID as a big-endian number, ``format=dec``; ``order=le`` for readers that
  print it little-endian) or as hex (4, 5, 7 or 10 bytes,
  ``format=hex``); ``auto`` takes exactly 10 digits as decimal, anything else as hex.
* **Scanner** (:func:`code_from_line`): the code text, printable, surrounding blanks
  dropped.
"""

from __future__ import annotations

import string

from xpos.drivers.magstripe import Swipe, decode_frame, parse_track2
from xpos.errors import CardReadError
from xpos.model import CardData, CardSource

UID_FORMATS = ("auto", "dec", "hex")
UID_ORDERS = ("be", "le")
_UID_HEX_LENGTHS = (8, 10, 14, 20)
MAX_CODE = 4096
_TRACK_LIMITS = {"track1": 79, "track2": 37, "track3": 104}


def lrc_char(track: str, sentinel: str) -> str:
    """The LRC character of one track (``track`` without sentinels, ``sentinel`` its start).

    Raises:
        CardReadError: if a character is outside the track's character set.
    """
    base, mask = (0x20, 0x3F) if sentinel == "%" else (0x30, 0x0F)
    lrc = 0
    for char in f"{sentinel}{track}?":
        value = ord(char) - base
        if not 0 <= value <= mask:
            raise CardReadError("character outside the track's character set")
        lrc ^= value
    return chr(lrc + base)


def _strip_lrc(text: str) -> str:
    """Check and remove the LRC character after every end sentinel."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        start = text[pos]
        end = text.find("?", pos + 1)
        if start not in "%;+" or end < 0 or end + 1 >= len(text):
            raise CardReadError("swipe format error: track without end sentinel or LRC")
        if text[end + 1] != lrc_char(text[pos + 1 : end], start):
            raise CardReadError("swipe LRC check failed")
        out.append(text[pos : end + 1])
        pos = end + 2
    return "".join(out)


def card_from_wedge_swipe(text: str, *, lrc: bool = False) -> CardData:
    """Card data from one typed swipe line.

    Raises:
        CardReadError: on a format, LRC or ISO 7813 error, or without track 2.
    """
    frame = _strip_lrc(text) if lrc else text
    try:
        swipe = decode_frame(frame.encode("ascii"))
    except UnicodeEncodeError:
        raise CardReadError("card reader sent non-ASCII data") from None
    check_iso7813(swipe)
    if not swipe.track2:
        raise CardReadError("no track 2 in the swipe")
    card = parse_track2(swipe.track2)
    if swipe.track1 and swipe.track1[1:].split("^", 1)[0] != card.pan:
        raise CardReadError("track 1 and track 2 PAN differ")
    return card


def check_iso7813(swipe: Swipe) -> None:
    """ISO 7813 checks of the tracks present (``E`` = the reader could not read it).

    Raises:
        CardReadError: naming the first rule broken.
    """
    for name, limit in _TRACK_LIMITS.items():
        track: str = getattr(swipe, name)
        if track == "E":
            raise CardReadError(f"{name} unreadable")
        if len(track) > limit:
            raise CardReadError(f"{name} longer than {limit} characters")
        allowed = _track1_ok if name == "track1" else _numeric_track_ok
        if track and not all(allowed(c) for c in track):
            raise CardReadError(f"{name} has characters outside its character set")
    if swipe.track1:
        _check_track1(swipe.track1)


def _track1_ok(char: str) -> bool:
    return 0x20 <= ord(char) <= 0x5F


def _numeric_track_ok(char: str) -> bool:
    return 0x30 <= ord(char) <= 0x3F


def _check_track1(track1: str) -> None:
    if not track1.startswith("B"):
        raise CardReadError("track 1 format code is not B")
    fields = track1[1:].split("^")
    if len(fields) != 3:
        raise CardReadError("track 1 needs PAN ^ name ^ data")
    pan, name, data = fields
    if not (pan.isdigit() and 12 <= len(pan) <= 19):
        raise CardReadError("track 1 PAN must be 12 to 19 digits")
    if not 2 <= len(name) <= 26:
        raise CardReadError("track 1 name must be 2 to 26 characters")
    if not (data[:7].isdigit() and len(data) >= 7):
        raise CardReadError("track 1 needs expiry YYMM and service code digits")


def uid_from_line(text: str, *, fmt: str = "auto", order: str = "be") -> CardData:
    """An RFID UID from a typed line (``fmt``: ``auto``, ``dec`` or ``hex``).

    ``order`` says how a decimal UID is built from the UID bytes: ``be`` (first byte
    most significant) or ``le`` (readers that print the bytes reversed).

    Raises:
        CardReadError: if the line is not a UID in that format.
    """
    line = text.strip()
    if fmt == "dec" or (fmt == "auto" and len(line) == 10 and line.isdigit()):
        if not (line.isascii() and line.isdigit() and len(line) == 10):
            raise CardReadError("RFID UID must be 10 decimal digits")
        if int(line) >= 1 << 32:
            raise CardReadError("RFID decimal UID larger than 4 bytes")
        uid = int(line).to_bytes(4, "big" if order == "be" else "little")
        return CardData(source=CardSource.TAP, uid=uid.hex().upper())
    if not all(c in string.hexdigits for c in line) or len(line) not in _UID_HEX_LENGTHS:
        raise CardReadError("RFID UID must be 4, 5, 7 or 10 bytes of hex")
    return CardData(source=CardSource.TAP, uid=line.upper())


def code_from_line(text: str) -> CardData:
    """A scanned code from a line (surrounding blanks dropped).

    Raises:
        CardReadError: if it is empty, too long or not printable.
    """
    code = text.strip()
    if not code or not code.isprintable():
        raise CardReadError("scanned code is empty or not printable")
    if len(code) > MAX_CODE:
        raise CardReadError(f"scanned code longer than {MAX_CODE} characters")
    return CardData(source=CardSource.SCAN, code=code)
