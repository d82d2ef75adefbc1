from __future__ import annotations

import pytest

from xpos.errors import KeyCheckError, SecurityError
from xpos.security.kcv import check_kcv, kcv, kcv_matches

from . import oracle

K16 = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")


def test_reference_vector_kcv_is_08d7b4() -> None:
    assert kcv(K16, 3).hex().upper() == "08D7B4"


def test_default_kcv_is_4_bytes_and_matches_psec() -> None:
    value = kcv(K16)
    assert len(value) == 4
    assert value.hex().upper().startswith("08D7B4")
    assert value == oracle.kcv(K16, 4)


def test_single_length_kcv_matches_psec() -> None:
    key = bytes.fromhex("5CBE7E38A146FD5C")
    assert kcv(key, 3) == oracle.kcv(key, 3)


@pytest.mark.parametrize("length", [3, 4, 8])
def test_kcv_matches_accepts_any_prefix(length: int) -> None:
    assert kcv_matches(K16, kcv(K16, 8)[:length])


def test_kcv_matches_rejects_wrong_and_empty_values() -> None:
    assert not kcv_matches(K16, bytes.fromhex("08D7B5"))
    assert not kcv_matches(K16, b"")


def test_check_kcv_names_the_key_on_mismatch() -> None:
    with pytest.raises(KeyCheckError, match="PIK: check value mismatch") as info:
        check_kcv(K16, bytes.fromhex("000000"), key_name="PIK")
    assert info.value.key_name == "PIK"
    check_kcv(K16, bytes.fromhex("08D7B4"), key_name="PIK")


@pytest.mark.parametrize("length", [0, 9])
def test_kcv_length_out_of_range_is_refused(length: int) -> None:
    with pytest.raises(SecurityError, match="1 to 8 bytes"):
        kcv(K16, length)
