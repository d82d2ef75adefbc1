"""Message authentication codes for the host link.

Two algorithms, chosen per acquirer by configuration:

* ``CUP_ECB`` — the CUP POS "ECB" MAC (reference §1.7): zero-pad, XOR all 8-byte
  blocks, hex-encode to 16 ASCII characters, DES the first 8 with ``MAK[:8]``, XOR with
  the last 8, DES again, hex-encode; field 64 is the first 8 ASCII characters. Only the
  first 8 bytes of a double-length MAK are used, so this is single DES.
* ``X919`` — ANSI X9.19 / ISO 9797-1 MAC algorithm 3 (retail MAC) with padding method 1:
  DES-CBC with ``MAK[:8]``, then the last block is decrypted with ``MAK[8:16]`` and
  encrypted again with ``MAK[:8]``. Needs a double-length MAK; field 64 is the 8 binary
  bytes.
"""

from __future__ import annotations

import enum
import hmac

from xpos.errors import SecurityError
from xpos.security.tdes import BLOCK, des_decrypt, des_encrypt, xor


class MacAlgorithm(enum.Enum):
    """The MAC algorithm an acquirer uses (configuration value in ``value``)."""

    CUP_ECB = "cup-ecb"
    X919 = "x9.19"


def _zero_pad(data: bytes) -> bytes:
    if not data:
        return bytes(BLOCK)
    return data + bytes(-len(data) % BLOCK)


def _blocks(data: bytes) -> list[bytes]:
    padded = _zero_pad(data)
    return [padded[i : i + BLOCK] for i in range(0, len(padded), BLOCK)]


def _mak8(mak: bytes) -> bytes:
    if len(mak) not in (8, 16, 24):
        raise SecurityError(f"a MAK must be 8, 16 or 24 bytes, got {len(mak)}")
    return mak[:8]


def cup_ecb_mac(mak: bytes, data: bytes) -> bytes:
    """Compute the CUP POS "ECB" MAC.

    Args:
        mak: The MAK (8 or 16 bytes); only ``mak[:8]`` is used.
        data: The MAC input (MTI up to the byte before field 64).

    Returns:
        8 uppercase ASCII hex characters, the content of field 64.

    Raises:
        SecurityError: on a bad key length.
    """
    key = _mak8(mak)
    acc = 0
    for block in _blocks(data):
        acc ^= int.from_bytes(block, "big")
    hexed = acc.to_bytes(BLOCK, "big").hex().upper().encode("ascii")
    step = xor(des_encrypt(key, hexed[:8]), hexed[8:])
    return des_encrypt(key, step).hex().upper().encode("ascii")[:8]


def x919_mac(mak16: bytes, data: bytes) -> bytes:
    """Compute the ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3, padding method 1).

    Args:
        mak16: A double-length MAK (16 bytes; a 24-byte key uses its first 16).
        data: The MAC input.

    Returns:
        The 8-byte MAC.

    Raises:
        SecurityError: if the MAK is not double length.
    """
    if len(mak16) not in (16, 24):
        raise SecurityError(f"X9.19 needs a double-length MAK, got {len(mak16)} bytes")
    k1, k2 = mak16[:8], mak16[8:16]
    acc = bytes(BLOCK)
    for block in _blocks(data):
        acc = des_encrypt(k1, xor(acc, block))
    return des_encrypt(k1, des_decrypt(k2, acc))


def compute_mac(alg: MacAlgorithm, mak: bytes, data: bytes) -> bytes:
    """Compute the 8 bytes of field 64 with the configured algorithm.

    Raises:
        SecurityError: on a key the algorithm cannot use.
    """
    if alg is MacAlgorithm.CUP_ECB:
        return cup_ecb_mac(mak, data)
    return x919_mac(mak, data)


def mac_matches(alg: MacAlgorithm, mak: bytes, data: bytes, received: bytes) -> bool:
    """Check a received field 64 in constant time.

    Raises:
        SecurityError: on a key the algorithm cannot use.
    """
    return hmac.compare_digest(compute_mac(alg, mak, data), received)
