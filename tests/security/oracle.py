"""psec as an independent oracle, called without letting its deprecation warnings out.

psec hands 8- and 16-byte keys to cryptography's deprecated TripleDES path; those
warnings belong to the oracle, not to X-POS, so they are silenced here and only here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import psec.des
import psec.mac
import psec.pinblock
from cryptography.utils import CryptographyDeprecationWarning

T = TypeVar("T")


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        yield


def _call(fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    with _quiet():
        return fn(*args, **kwargs)


def tdes_ecb(key: bytes, data: bytes) -> bytes:
    return _call(psec.des.encrypt_tdes_ecb, key, data)


def kcv(key: bytes, length: int) -> bytes:
    return _call(psec.des.generate_kcv, key, length)


def retail_mac(key16: bytes, data: bytes) -> bytes:
    return _call(psec.mac.generate_retail_mac, key16[:8], key16[8:16], data, padding=1)


def iso0(pin: str, pan: str) -> bytes:
    return _call(psec.pinblock.encode_pinblock_iso_0, pin, pan)


def iso0_pin(block: bytes, pan: str) -> str:
    return _call(psec.pinblock.decode_pinblock_iso_0, block, pan)


def cup_ecb_mac(mak8: bytes, data: bytes) -> bytes:
    """Reference §1.7's algorithm, written out again on psec's DES engine."""
    data += bytes(-len(data) % 8)
    blk = bytes(8)
    for i in range(0, len(data), 8):
        blk = bytes(a ^ b for a, b in zip(blk, data[i : i + 8], strict=True))
    hx = blk.hex().upper().encode()
    t = bytes(a ^ b for a, b in zip(tdes_ecb(mak8, hx[:8]), hx[8:], strict=True))
    return tdes_ecb(mak8, t).hex().upper().encode()[:8]
