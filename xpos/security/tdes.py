"""DES and triple-DES in ECB mode on top of ``cryptography``.

Every key is expanded to 24 bytes before it reaches ``cryptography`` (one-key
``K`` becomes ``K K K``, two-key ``K1 K2`` becomes ``K1 K2 K1``), so the deprecated
8- and 16-byte key paths of ``cryptography`` are never used and no deprecation warning
is raised. ``TripleDES`` comes from ``cryptography.hazmat.decrepit`` where it lives in
current releases.
"""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives.ciphers import Cipher, modes

from xpos.errors import SecurityError

try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - cryptography < 43
    from cryptography.hazmat.primitives.ciphers.algorithms import (  # type: ignore[assignment,no-redef,unused-ignore]
        TripleDES,
    )

BLOCK = 8
"""The DES block size in bytes."""

KEY_LENGTHS = (8, 16, 24)
"""Accepted key lengths: single, double and triple length."""


def expand_key(key: bytes) -> bytes:
    """Expand a single, double or triple length key to the 24 bytes ``cryptography`` wants.

    Raises:
        SecurityError: if the key is not 8, 16 or 24 bytes long.
    """
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return bytes(key)
    raise SecurityError(f"a DES key must be 8, 16 or 24 bytes, got {len(key)}")


def _check_data(data: bytes) -> None:
    if len(data) % BLOCK:
        raise SecurityError(f"ECB data must be a multiple of 8 bytes, got {len(data)}")


@functools.lru_cache(maxsize=16)
def _cipher(key: bytes) -> Cipher[modes.ECB]:
    # Cached: building the key schedule costs more than encrypting a block. The few
    # working keys in use are in this process's memory anyway.
    return Cipher(TripleDES(expand_key(key)), modes.ECB())


def tdes_encrypt(key: bytes, data: bytes) -> bytes:
    """Encrypt ``data`` with TDES-ECB (a single-length key gives plain DES).

    Args:
        key: 8, 16 or 24 bytes.
        data: A multiple of 8 bytes; no padding is added.

    Raises:
        SecurityError: on a bad key or data length.
    """
    _check_data(data)
    enc = _cipher(key).encryptor()
    return enc.update(data) + enc.finalize()


def tdes_decrypt(key: bytes, data: bytes) -> bytes:
    """Decrypt ``data`` with TDES-ECB; the inverse of :func:`tdes_encrypt`.

    Raises:
        SecurityError: on a bad key or data length.
    """
    _check_data(data)
    dec = _cipher(key).decryptor()
    return dec.update(data) + dec.finalize()


def _single(key8: bytes) -> bytes:
    if len(key8) != 8:
        raise SecurityError(f"a single DES key must be 8 bytes, got {len(key8)}")
    return key8


def des_encrypt(key8: bytes, data: bytes) -> bytes:
    """Encrypt ``data`` with single DES-ECB.

    Raises:
        SecurityError: if the key is not 8 bytes or the data not a multiple of 8.
    """
    return tdes_encrypt(_single(key8), data)


def des_decrypt(key8: bytes, data: bytes) -> bytes:
    """Decrypt ``data`` with single DES-ECB.

    Raises:
        SecurityError: if the key is not 8 bytes or the data not a multiple of 8.
    """
    return tdes_decrypt(_single(key8), data)


def xor(a: bytes, b: bytes) -> bytes:
    """XOR two byte strings of equal length.

    Raises:
        SecurityError: if the lengths differ.
    """
    if len(a) != len(b):
        raise SecurityError(f"cannot XOR {len(a)} bytes with {len(b)} bytes")
    return bytes(x ^ y for x, y in zip(a, b, strict=True))
