"""Key check values (KCV).

A KCV is the first bytes of ``E(key, 0x00 * 8)``. CUP sign-on field 62 carries 4 bytes
per key; key sheets usually quote 3 bytes (6 hex digits). Comparing a quoted value is a
prefix comparison, done in constant time.
"""

from __future__ import annotations

import hmac

from xpos.errors import KeyCheckError, SecurityError
from xpos.security.tdes import tdes_encrypt


def kcv(key: bytes, length: int = 4) -> bytes:
    """Compute the check value of a DES/TDES key.

    Args:
        key: 8, 16 or 24 bytes.
        length: How many bytes to return, 1 to 8.

    Raises:
        SecurityError: on a bad key or length.
    """
    if not 1 <= length <= 8:
        raise SecurityError(f"a KCV is 1 to 8 bytes, not {length}")
    return tdes_encrypt(key, bytes(8))[:length]


def kcv_matches(key: bytes, expected: bytes) -> bool:
    """Tell whether ``expected`` (1 to 8 bytes) is a prefix of the key's check value."""
    if not 1 <= len(expected) <= 8:
        return False
    return hmac.compare_digest(kcv(key, len(expected)), expected)


def check_kcv(key: bytes, expected: bytes, *, key_name: str) -> None:
    """Raise unless ``expected`` is the key's check value (or a prefix of it).

    Raises:
        KeyCheckError: naming ``key_name``, with the expected and computed values
            (check values are not secret; they are printed on key sheets).
    """
    if not kcv_matches(key, expected):
        got = kcv(key, max(1, min(len(expected), 8))).hex().upper()
        raise KeyCheckError(
            f"check value mismatch: expected {expected.hex().upper()}, key gives {got}",
            key_name=key_name,
        )
