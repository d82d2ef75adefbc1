"""X3 TLV value helpers and the sealed hidden input values (tag ``DF4E``).

An input field the platform marks hidden (``DF54`` … US ``1``) is a secret: the terminal
sends an empty ``DF45`` at its position (positions stay aligned) and, for each hidden
field, one ``DF4E`` item:

    position (1 byte, binary, 1-based: the ``DF45`` it stands for) + sealed value

the sealed value being :func:`xpos.security.platform_value.seal_value`'s output (n × 8
bytes under the TDK). The platform opens it with the terminal's TDK.
"""

from __future__ import annotations

from collections.abc import Sequence

from xpos.errors import DecodeError, EncodeError

__all__ = ["TAG_SEALED", "number_of", "optional", "parse_sealed", "sealed_items", "single",
           "text_of"]

TAG_SEALED = 0xDF4E
"""A hidden input value, sealed under the TDK (position byte + cipher)."""

_MAX_POSITION = 64
BLOCK = 8  # a DES block: the cipher is whole blocks


def sealed_items(sealed: Sequence[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """The ``DF4E`` items of ``(position, cipher)`` pairs.

    Raises:
        EncodeError: (field ``"62"``) a position outside 1..64 or a cipher that is not
            whole 8-byte blocks.
    """
    items = []
    for position, cipher in sealed:
        if not 1 <= position <= _MAX_POSITION or not cipher or len(cipher) % BLOCK:
            raise EncodeError("sealed value: bad position or cipher length", field="62")
        items.append((TAG_SEALED, bytes([position]) + cipher))
    return items


def parse_sealed(items: Sequence[tuple[int, bytes]]) -> tuple[tuple[int, bytes], ...]:
    """The ``(position, cipher)`` pairs of the ``DF4E`` items among ``items``.

    Raises:
        DecodeError: (field ``"62"``) a bad position, a repeated one, or a bad cipher length.
    """
    found: list[tuple[int, bytes]] = []
    for tag, value in items:
        if tag != TAG_SEALED:
            continue
        position, cipher = (value[0], value[1:]) if value else (0, b"")
        if (not 1 <= position <= _MAX_POSITION or not cipher or len(cipher) % BLOCK
                or any(p == position for p, _ in found)):
            raise DecodeError("sealed value (DF4E) is malformed", field="62", position=0)
        found.append((position, cipher))
    return tuple(found)


def text_of(value: bytes, what: str, encoding: str = "utf-8") -> str:
    """``value`` decoded, or a :class:`DecodeError` naming ``what``."""
    try:
        return value.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"{what} is not {encoding}", field="62", position=0) from exc


def number_of(value: bytes, what: str) -> int:
    """``value`` as a number of at most 9 ASCII digits, or a :class:`DecodeError`."""
    text = text_of(value, what, "ascii")
    if not text.isdigit() or len(text) > 9:
        raise DecodeError(f"{what} is not a number", field="62", position=0)
    return int(text)


def single(items: Sequence[tuple[int, bytes]], tag: int, what: str) -> bytes:
    """The one value of ``tag``, or a :class:`DecodeError` (missing or repeated)."""
    found = [v for t, v in items if t == tag]
    if len(found) != 1:
        raise DecodeError(f"{what} ({tag:X}) missing or repeated", field="62", position=0)
    return found[0]


def optional(items: Sequence[tuple[int, bytes]], tag: int) -> bytes | None:
    """The first value of ``tag``, or None."""
    found = [v for t, v in items if t == tag]
    return found[0] if found else None
