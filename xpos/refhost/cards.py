"""The card as a request presents it, and the refusals every card handler shares.

:func:`presented_card` reads PAN and expiry from the request (track 2, decrypted with the
TDK when field 53 says so, or fields 2 + 14); :func:`card_refusal` and
:func:`pin_refusal` give the response code that refuses a known card or its PIN.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from xpos.errors import DecodeError, SecurityError
from xpos.proto.codec import Message
from xpos.refhost.rows import CardKind, CardRow, CardStatus, pin_matches
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block
from xpos.security.track import decrypt_track2

TRACK_ENCRYPTED = "1"  # field 53 position 3


@dataclass(frozen=True, kw_only=True)
class PresentedCard:
    """The card as the request presents it (PAN hidden from ``repr``)."""

    pan: str = field(repr=False)
    expiry: str


def presented_card(request: Message, tdk: bytes | None) -> PresentedCard:
    """PAN and expiry from field 35 (decrypted with the TDK when 53.3 says so) or 2 + 14.

    Raises:
        DecodeError: no usable card data.
        SecurityError: the track is encrypted and cannot be decrypted.
    """
    track = request.get(35)
    if track is None:
        return _checked(request.get(2) or "", request.get(14) or "")
    if (request.get(53) or "")[2:3] == TRACK_ENCRYPTED:
        if tdk is None:
            raise SecurityError("track 2 is encrypted but the terminal has no TDK")
        track = decrypt_track2(track, tdk)
    pan, separator, rest = track.upper().replace("=", "D").partition("D")
    if not separator:
        raise DecodeError("track 2 has no separator", field="35", position=0)
    return _checked(pan, rest[:4])


def _checked(pan: str, expiry: str) -> PresentedCard:
    if not (pan.isdigit() and 12 <= len(pan) <= 19):
        raise DecodeError("no usable PAN", field="35", position=0)
    if not (expiry.isdigit() and len(expiry) == 4):
        raise DecodeError("no usable expiry date", field="14", position=0)
    return PresentedCard(pan=pan, expiry=expiry)


def card_refusal(card: CardRow, presented: PresentedCard, now: datetime) -> str | None:
    """The response code that refuses this known card, or None if it may be used."""
    if card.status is CardStatus.BLOCKED:
        return "62"
    if min(card.expiry, presented.expiry) < now.strftime("%y%m"):
        return "54"
    if card.kind is not CardKind.BANK:
        return "57"
    return None


def pin_refusal(request: Message, card: CardRow, pik: bytes) -> str | None:
    """``55`` for a missing or wrong PIN, ``99`` for an unreadable block, else None."""
    if card.pin_hash is None:
        return None
    block = request.get(52)
    if block is None:
        return "55"
    try:
        clear = decrypt_pin_block(pik, bytes.fromhex(block))
        ok = pin_matches(card.pin_hash, pin_from_clear_block(clear, card.pan))
    except (SecurityError, ValueError):
        return "99"
    return None if ok else "55"
