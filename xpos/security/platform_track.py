"""Track 2 for the X3 platform: the whole track encrypted under the TDK.

Field 35 on the bank path encrypts 16 digits of the track (CUP rule) and leaves the rest,
often the PAN, readable. A card read inside an X3 session goes to the platform in TLV tag
``DF4B`` with nothing readable: the track's ASCII (``D`` separator) padded by ISO/IEC
9797-1 method 2 (``80`` then ``00`` to a multiple of 8 bytes) and encrypted TDES-CBC under
the TDK with a zero IV. Only the masked PAN travels beside it.
"""

from __future__ import annotations

from xpos.errors import SecurityError
from xpos.security.tdes import BLOCK, tdes_decrypt, tdes_encrypt, xor

_MAX_TRACK = 40


def seal_track(track2: str, tdk: bytes) -> bytes:
    """Encrypt a whole track 2 for the platform.

    Raises:
        SecurityError: a track that is not digits with one ``D``/``=`` separator, or a bad key.
    """
    text = track2.upper().replace("=", "D")
    pan, sep, rest = text.partition("D")
    if not (sep and pan.isdigit() and (rest.isdigit() or not rest)
            and len(text) <= _MAX_TRACK):
        raise SecurityError("track 2 is malformed")
    return cbc_seal(text.encode("ascii"), tdk)


def open_track(sealed: bytes, tdk: bytes) -> str:
    """The track 2 inside :func:`seal_track`'s output.

    Raises:
        SecurityError: wrong length, bad padding or not a track (e.g. another key).
    """
    track = cbc_open(sealed, tdk, max_len=_MAX_TRACK, what="track").decode(
        "ascii", errors="replace")
    pan, sep, rest = track.partition("D")
    if not (sep and pan.isdigit() and (rest.isdigit() or not rest)):
        raise SecurityError("sealed track does not hold a track 2")
    return track


def cbc_seal(data: bytes, tdk: bytes) -> bytes:
    """``data`` padded by ISO/IEC 9797-1 method 2 and encrypted TDES-CBC (zero IV) under ``tdk``.

    The construction of :func:`seal_track`, shared with :mod:`xpos.security.platform_value`
    (whose plaintext starts with a label no track can start with).

    Raises:
        SecurityError: a bad key.
    """
    data = data + b"\x80"
    data += b"\x00" * (-len(data) % BLOCK)
    out, chain = bytearray(), bytes(BLOCK)
    for start in range(0, len(data), BLOCK):
        chain = tdes_encrypt(tdk, xor(data[start:start + BLOCK], chain))
        out += chain
    return bytes(out)


def cbc_open(sealed: bytes, tdk: bytes, *, max_len: int, what: str) -> bytes:
    """The plaintext inside :func:`cbc_seal`'s output of at most ``max_len`` bytes.

    Raises:
        SecurityError: (naming ``what``) a bad length or padding, or a bad key.
    """
    if not sealed or len(sealed) % BLOCK or len(sealed) > max_len + BLOCK:
        raise SecurityError(f"sealed {what} has a bad length")
    data, chain = bytearray(), bytes(BLOCK)
    for start in range(0, len(sealed), BLOCK):
        block = sealed[start:start + BLOCK]
        data += xor(tdes_decrypt(tdk, block), chain)
        chain = block
    text, marker, tail = bytes(data).rpartition(b"\x80")
    if not marker or tail.strip(b"\x00"):
        raise SecurityError(f"sealed {what} has bad padding")
    return text
