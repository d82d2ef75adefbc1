"""A hidden X3 input value for the platform: sealed under the TDK, bound to its place.

An X3 input field marked hidden (a member password, a one-time code) never travels in
clear: the terminal sends it in TLV tag ``DF4E`` (:mod:`xpos.proto.interactive`) as

    TDES-CBC(TDK, zero IV, ISO/IEC 9797-1 method 2 padding) of
    ``XV1`` US session US step US position US value        (US = 0x1F, value UTF-8)

the construction of :func:`xpos.security.platform_track.seal_track` with a plaintext of
its own. The label ``XV1`` keeps the two domains apart: a track starts with a digit, so a
sealed value never opens as a sealed track and a sealed track never opens as a value.
The session id, the step number and the field's position (1-based) inside the
plaintext bind the cipher to its place: a cipher copied into another session, step or
field is refused, and the same password gives a different cipher in every session.
"""

from __future__ import annotations

from xpos.errors import SecurityError
from xpos.security.platform_track import cbc_open, cbc_seal

__all__ = ["LABEL", "MAX_VALUE_BYTES", "open_value", "seal_value"]

LABEL = b"XV1"
"""The domain label the plaintext starts with."""

MAX_VALUE_BYTES = 256
"""Most UTF-8 bytes of a value (an input field holds at most 64 characters)."""

_SEP = b"\x1f"
_MAX_PLAIN = MAX_VALUE_BYTES + 64


def _plain(value: str, session: str, number: int, position: int) -> bytes:
    if not session.isascii() or _SEP.decode() in session or number < 0 or position < 1:
        raise SecurityError("sealed value: bad session, step or position")
    raw = value.encode("utf-8")
    if len(raw) > MAX_VALUE_BYTES:
        raise SecurityError("sealed value is too long")
    head = _SEP.join((LABEL, session.encode("ascii"), str(number).encode("ascii"),
                      str(position).encode("ascii")))
    return head + _SEP + raw


def seal_value(value: str, tdk: bytes, *, session: str, number: int, position: int) -> bytes:
    """Seal the hidden input ``value`` of field ``position`` of step ``number``.

    Raises:
        SecurityError: a value above :data:`MAX_VALUE_BYTES`, a bad place, or a bad key.
    """
    return cbc_seal(_plain(value, session, number, position), tdk)


def open_value(sealed: bytes, tdk: bytes, *, session: str, number: int, position: int) -> str:
    """The value inside :func:`seal_value`'s output, if it was sealed for this place.

    Raises:
        SecurityError: bad length or padding (e.g. another key), not a sealed value (e.g. a
            sealed track), or sealed for another session, step or field.
    """
    plain = cbc_open(sealed, tdk, max_len=_MAX_PLAIN, what="value")
    parts = plain.split(_SEP, 4)
    if len(parts) != 5 or parts[0] != LABEL:
        raise SecurityError("sealed data is not a sealed value")
    try:
        expected = _plain("", session, number, position)
    except SecurityError:
        raise SecurityError("sealed value: bad session, step or position") from None
    if _SEP.join(parts[:4]) + _SEP != expected:
        raise SecurityError("sealed value belongs to another session, step or field")
    try:
        return parts[4].decode("utf-8")
    except UnicodeDecodeError:
        raise SecurityError("sealed value is not UTF-8") from None
