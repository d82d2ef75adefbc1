"""Track data encryption with the TDK (sign-on mode 004, field 53.3 = ``1``).

Reference §1.7: in the wire form of track 2 (``=`` written as ``D``), the 16 digits that
end one digit before the end (odd length) or two digits before the end (even length)
are TDES-ECB encrypted with the TDK as 8 bytes of BCD and put back in place as 16 hex
digits. In BCD with right zero-padding these are the 8 bytes ending at the
second-to-last byte. The length does not change. A track shorter than 17 characters
(never a real track 2) is first left-padded with ``F`` to 17; decryption strips the pad.

Error messages never contain track data.
"""

from __future__ import annotations

from xpos.errors import SecurityError
from xpos.security.tdes import tdes_decrypt, tdes_encrypt

MAX_TRACK2 = 37
_MIN_LEN = 17
_PLAIN = frozenset("0123456789D")
_CIPHER = frozenset("0123456789ABCDEF")


def _region(length: int) -> slice:
    end = length - 1 if length % 2 else length - 2
    return slice(end - 16, end)


def _wire_form(track2: str) -> str:
    wire = track2.upper().replace("=", "D")
    if not 0 < len(wire) <= MAX_TRACK2 or not set(wire) <= _PLAIN:
        raise SecurityError(f"track 2 must be 1 to {MAX_TRACK2} digits with a D/= separator")
    return wire


def encrypt_track2(track2: str, tdk: bytes) -> str:
    """Encrypt track 2 for field 35.

    Args:
        track2: Track 2 data, ``D`` (or ``=``) as separator.
        tdk: The track data key (8, 16 or 24 bytes).

    Returns:
        The wire form with 16 digits replaced by hex ciphertext; same length.

    Raises:
        SecurityError: on malformed track data or a bad key.
    """
    wire = _wire_form(track2).rjust(_MIN_LEN, "F")
    part = _region(len(wire))
    sealed = tdes_encrypt(tdk, bytes.fromhex(wire[part])).hex().upper()
    return wire[: part.start] + sealed + wire[part.stop :]


def decrypt_track2(track2: str, tdk: bytes) -> str:
    """Decrypt a field 35 value made by :func:`encrypt_track2`.

    Returns:
        The clear wire form (``D`` separator).

    Raises:
        SecurityError: on malformed input, a bad key, or a result that is not track
            data (for instance because the TDK is wrong).
    """
    wire = track2.upper()
    if not _MIN_LEN <= len(wire) <= MAX_TRACK2 or not set(wire) <= _CIPHER:
        raise SecurityError("encrypted track 2 must be 17 to 37 hex digits")
    part = _region(len(wire))
    opened = tdes_decrypt(tdk, bytes.fromhex(wire[part])).hex().upper()
    clear = (wire[: part.start] + opened + wire[part.stop :]).lstrip("F")
    if not clear or not set(clear) <= _PLAIN:
        raise SecurityError("decrypted track 2 is not track data (wrong TDK?)")
    return clear
