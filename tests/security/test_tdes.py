from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import SecurityError
from xpos.security.tdes import des_decrypt, des_encrypt, expand_key, tdes_decrypt, tdes_encrypt

from . import oracle

K16 = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")

keys = st.sampled_from([8, 16, 24]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
blocks = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.binary(min_size=8 * n, max_size=8 * n)
)


def test_des_encrypt_matches_published_fips_example() -> None:
    key = bytes.fromhex("133457799BBCDFF1")
    assert des_encrypt(key, bytes.fromhex("0123456789ABCDEF")).hex().upper() == "85E813540F0AB405"


def test_two_key_tdes_is_k1_k2_k1() -> None:
    assert expand_key(K16) == K16 + K16[:8]
    assert tdes_encrypt(K16, bytes(8)) == tdes_encrypt(K16 + K16[:8], bytes(8))


@pytest.mark.parametrize("size", [8, 16, 24])
def test_no_deprecation_warning_for_any_key_length(size: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tdes_encrypt(bytes(range(size)), bytes(16))
        tdes_decrypt(bytes(range(size)), bytes(16))


@settings(max_examples=60, database=None)
@given(key=keys, data=blocks)
def test_tdes_matches_psec_and_round_trips(key: bytes, data: bytes) -> None:
    sealed = tdes_encrypt(key, data)
    assert sealed == oracle.tdes_ecb(key, data)
    assert tdes_decrypt(key, sealed) == data


def test_single_des_round_trip() -> None:
    key = bytes.fromhex("5CBE7E38A146FD5C")
    assert des_decrypt(key, des_encrypt(key, b"ABCDEFGH")) == b"ABCDEFGH"


@pytest.mark.parametrize("size", [0, 7, 9, 15, 32])
def test_bad_key_length_is_refused(size: int) -> None:
    with pytest.raises(SecurityError, match="8, 16 or 24 bytes"):
        tdes_encrypt(bytes(size), bytes(8))


def test_data_not_a_multiple_of_8_is_refused() -> None:
    with pytest.raises(SecurityError, match="multiple of 8"):
        tdes_encrypt(K16, b"123")


def test_des_encrypt_needs_a_single_length_key() -> None:
    with pytest.raises(SecurityError, match="single DES key must be 8 bytes"):
        des_encrypt(K16, bytes(8))
