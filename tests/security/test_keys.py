from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import ConfigError, KeyCheckError, SecurityError
from xpos.security.keys import (
    WorkingKeys,
    build_signon_keys,
    combine_components,
    parse_signon_keys,
)

from . import oracle

TMK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PIK16 = bytes.fromhex("11223344556677888877665544332211")
MAK16 = bytes.fromhex("5CBE7E38A146FD5C0123456789ABCDEF")
TDK16 = bytes.fromhex("A1A2A3A4A5A6A7A8B1B2B3B4B5B6B7B8")
KEYS = {
    "001": WorkingKeys(pik=PIK16[:8], mak=MAK16[:8]),
    "003": WorkingKeys(pik=PIK16, mak=MAK16),
    "004": WorkingKeys(pik=PIK16, mak=MAK16, tdk=TDK16),
}
SIZES = {"001": 24, "003": 40, "004": 60}


def _psec_field62(keys: WorkingKeys, *, first8: bool) -> bytes:
    parts = [(keys.pik, keys.pik), (keys.mak, keys.mak[:8] if first8 else keys.mak)]
    if keys.tdk is not None:
        parts.append((keys.tdk, keys.tdk))
    return b"".join(oracle.tdes_ecb(TMK, key) + oracle.kcv(subject, 4) for key, subject in parts)


def test_combine_components_xors_them() -> None:
    a, b, c = bytes([0x0F] * 16), bytes([0xF0] * 16), bytes([0x33] * 16)
    assert combine_components([a, b]) == bytes([0xFF] * 16)
    assert combine_components([a, b, c]) == bytes([0xCC] * 16)


@pytest.mark.parametrize("parts", [[], [bytes(16)], [bytes(16), bytes(8)], [bytes(5), bytes(5)]])
def test_combine_components_refuses_bad_sets(parts: list[bytes]) -> None:
    with pytest.raises(SecurityError):
        combine_components(parts)


@pytest.mark.parametrize("mode", ["001", "003", "004"])
@pytest.mark.parametrize("mak_kcv", ["full", "first8"])
def test_build_matches_an_independent_psec_field62(mode: str, mak_kcv: str) -> None:
    field62 = build_signon_keys(KEYS[mode], TMK, mode=mode, mak_kcv=mak_kcv)
    assert len(field62) == SIZES[mode]
    assert field62 == _psec_field62(KEYS[mode], first8=mak_kcv == "first8")


@pytest.mark.parametrize("mode", ["001", "003", "004"])
@pytest.mark.parametrize("mak_kcv", ["full", "first8"])
def test_parse_reads_an_independent_psec_field62(mode: str, mak_kcv: str) -> None:
    field62 = _psec_field62(KEYS[mode], first8=mak_kcv == "first8")
    assert parse_signon_keys(field62, TMK, mode=mode, mak_kcv=mak_kcv) == KEYS[mode]


def test_default_mode_is_004_with_full_mak_kcv() -> None:
    field62 = _psec_field62(KEYS["004"], first8=False)
    assert build_signon_keys(KEYS["004"], TMK) == field62
    assert parse_signon_keys(field62, TMK) == KEYS["004"]


@settings(max_examples=30, database=None)
@given(
    pik=st.binary(min_size=16, max_size=16),
    mak=st.binary(min_size=16, max_size=16),
    tdk=st.binary(min_size=16, max_size=16),
    tmk=st.binary(min_size=16, max_size=16),
    mak_kcv=st.sampled_from(["full", "first8"]),
)
def test_build_then_parse_round_trips(
    pik: bytes, mak: bytes, tdk: bytes, tmk: bytes, mak_kcv: str
) -> None:
    keys = WorkingKeys(pik=pik, mak=mak, tdk=tdk)
    assert (
        parse_signon_keys(build_signon_keys(keys, tmk, mak_kcv=mak_kcv), tmk, mak_kcv=mak_kcv)
        == keys
    )


@pytest.mark.parametrize(("name", "kcv_at"), [("PIK", 16), ("MAK", 36), ("TDK", 56)])
def test_tampered_kcv_names_the_key(name: str, kcv_at: int) -> None:
    field62 = bytearray(build_signon_keys(KEYS["004"], TMK))
    field62[kcv_at] ^= 0x01
    with pytest.raises(KeyCheckError) as info:
        parse_signon_keys(bytes(field62), TMK)
    assert info.value.key_name == name


def test_tampered_key_bytes_fail_their_kcv() -> None:
    field62 = bytearray(build_signon_keys(KEYS["001"], TMK, mode="001"))
    field62[12] ^= 0x80  # first byte of the encrypted MAK
    with pytest.raises(KeyCheckError, match="MAK"):
        parse_signon_keys(bytes(field62), TMK, mode="001")


def test_wrong_tmk_fails_on_the_pik_first() -> None:
    field62 = build_signon_keys(KEYS["004"], TMK)
    with pytest.raises(KeyCheckError) as info:
        parse_signon_keys(field62, bytes(reversed(TMK)))
    assert info.value.key_name == "PIK"


def test_mak_kcv_scope_mismatch_is_a_mak_key_check_error() -> None:
    field62 = build_signon_keys(KEYS["004"], TMK, mak_kcv="first8")
    with pytest.raises(KeyCheckError) as info:
        parse_signon_keys(field62, TMK, mak_kcv="full")
    assert info.value.key_name == "MAK"


def test_single_length_mak_has_the_same_kcv_for_both_scopes() -> None:
    full = build_signon_keys(KEYS["001"], TMK, mode="001", mak_kcv="full")
    assert full == build_signon_keys(KEYS["001"], TMK, mode="001", mak_kcv="first8")


@pytest.mark.parametrize(("mode", "size"), [("001", 40), ("003", 60), ("004", 40), ("004", 59)])
def test_wrong_field62_length_is_a_clear_security_error(mode: str, size: int) -> None:
    with pytest.raises(SecurityError, match=f"mode {mode}: field 62 must be") as info:
        parse_signon_keys(bytes(size), TMK, mode=mode)
    assert not isinstance(info.value, KeyCheckError)


def test_unknown_mode_and_scope_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="unknown sign-on key mode"):
        parse_signon_keys(bytes(60), TMK, mode="005")
    with pytest.raises(ConfigError, match="mak_kcv"):
        build_signon_keys(KEYS["004"], TMK, mak_kcv="half")


def test_build_refuses_keys_that_do_not_fit_the_mode() -> None:
    with pytest.raises(SecurityError, match="TDK must be 16 bytes for sign-on mode 004"):
        build_signon_keys(KEYS["003"], TMK, mode="004")
    with pytest.raises(SecurityError, match="carries no TDK"):
        build_signon_keys(KEYS["004"], TMK, mode="003")
    with pytest.raises(SecurityError, match="PIK must be 8 bytes for sign-on mode 001"):
        build_signon_keys(KEYS["003"], TMK, mode="001")


def test_working_keys_repr_hides_key_bytes() -> None:
    text = repr(KEYS["004"])
    for key in (PIK16, MAK16, TDK16):
        assert key.hex().upper() not in text.upper()
        assert key[:4].hex().upper() not in text.upper()
    assert "KCV" in text


def test_working_keys_refuse_bad_lengths() -> None:
    with pytest.raises(SecurityError, match="MAK must be 8, 16 or 24 bytes"):
        WorkingKeys(pik=PIK16, mak=bytes(10))
