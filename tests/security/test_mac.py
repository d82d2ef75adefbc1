from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import SecurityError
from xpos.security.mac import MacAlgorithm, compute_mac, cup_ecb_mac, mac_matches, x919_mac

from . import oracle

CUP_MAK = bytes.fromhex("5CBE7E38A146FD5C")
X919_KEY = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
DATA = bytes.fromhex("010203")

messages = st.binary(min_size=1, max_size=200)
double_keys = st.binary(min_size=16, max_size=16)


def test_reference_vector_cup_ecb_mac() -> None:
    assert cup_ecb_mac(CUP_MAK, DATA) == b"F11F2C27"


def test_reference_vector_x919_mac() -> None:
    assert x919_mac(X919_KEY, DATA).hex().upper() == "9C862A3A126A9DF8"


def test_x919_reference_vector_agrees_with_psec() -> None:
    assert oracle.retail_mac(X919_KEY, DATA) == x919_mac(X919_KEY, DATA)


@settings(max_examples=60, database=None)
@given(key=double_keys, data=messages)
def test_x919_matches_psec_retail_mac(key: bytes, data: bytes) -> None:
    assert x919_mac(key, data) == oracle.retail_mac(key, data)


@settings(max_examples=60, database=None)
@given(key=double_keys, data=messages)
def test_cup_ecb_mac_matches_reference_algorithm_on_psec_des(key: bytes, data: bytes) -> None:
    assert cup_ecb_mac(key, data) == oracle.cup_ecb_mac(key[:8], data)


def test_cup_ecb_mac_uses_only_the_first_8_mak_bytes() -> None:
    assert cup_ecb_mac(CUP_MAK + bytes(8), DATA) == b"F11F2C27"
    assert cup_ecb_mac(CUP_MAK + b"\xff" * 8, DATA) == b"F11F2C27"


def test_cup_ecb_mac_is_ascii_hex() -> None:
    mac = cup_ecb_mac(CUP_MAK, bytes(range(100)))
    assert len(mac) == 8
    assert mac.decode("ascii") == mac.decode("ascii").upper()
    int(mac, 16)


def test_compute_mac_dispatches_on_algorithm() -> None:
    assert compute_mac(MacAlgorithm.CUP_ECB, CUP_MAK, DATA) == b"F11F2C27"
    assert compute_mac(MacAlgorithm.X919, X919_KEY, DATA) == bytes.fromhex("9C862A3A126A9DF8")


def test_algorithm_config_values() -> None:
    assert MacAlgorithm("cup-ecb") is MacAlgorithm.CUP_ECB
    assert MacAlgorithm("x9.19") is MacAlgorithm.X919


@pytest.mark.parametrize("alg", list(MacAlgorithm))
def test_mac_matches_detects_a_changed_byte(alg: MacAlgorithm) -> None:
    mac = compute_mac(alg, X919_KEY, DATA)
    assert mac_matches(alg, X919_KEY, DATA, mac)
    assert not mac_matches(alg, X919_KEY, bytes.fromhex("010204"), mac)


def test_x919_refuses_a_single_length_mak() -> None:
    with pytest.raises(SecurityError, match="double-length MAK"):
        x919_mac(CUP_MAK, DATA)


def test_cup_ecb_refuses_a_bad_mak_length() -> None:
    with pytest.raises(SecurityError, match="MAK must be 8, 16 or 24 bytes"):
        cup_ecb_mac(bytes(5), DATA)
