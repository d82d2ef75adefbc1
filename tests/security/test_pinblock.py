from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import SecurityError
from xpos.security.pinblock import (
    decrypt_pin_block,
    encrypt_pin_block,
    iso0_clear,
    pin_from_clear_block,
)

from . import oracle

K16 = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
PAN = "6212345678901234567"

pins = st.text(alphabet="0123456789", min_size=4, max_size=12)
pans = st.text(alphabet="0123456789", min_size=13, max_size=19)


def test_reference_vector_clear_block() -> None:
    assert iso0_clear("123456", PAN).hex().upper() == "0612622E6FEDCBA9"


def test_reference_vector_encrypted_block() -> None:
    clear = iso0_clear("123456", PAN)
    assert encrypt_pin_block(K16, clear).hex().upper() == "84615C0FB761528E"


def test_reference_vector_decrypts_back_to_the_pin() -> None:
    clear = decrypt_pin_block(K16, bytes.fromhex("84615C0FB761528E"))
    assert clear.hex().upper() == "0612622E6FEDCBA9"
    assert pin_from_clear_block(clear, PAN) == "123456"


@settings(max_examples=60, database=None)
@given(pin=pins, pan=pans)
def test_clear_block_matches_psec_and_round_trips(pin: str, pan: str) -> None:
    clear = iso0_clear(pin, pan)
    assert clear == oracle.iso0(pin, pan)
    assert oracle.iso0_pin(clear, pan) == pin
    assert pin_from_clear_block(decrypt_pin_block(K16, encrypt_pin_block(K16, clear)), pan) == pin


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "", "１２３４"])
def test_malformed_pin_is_refused_without_echoing_it(pin: str) -> None:
    with pytest.raises(SecurityError, match="PIN must be 4 to 12 digits") as info:
        iso0_clear(pin, PAN)
    assert pin == "" or pin not in str(info.value)


@pytest.mark.parametrize("pan", ["621234567890", "62123456789O1234"])
def test_short_or_non_digit_pan_is_refused_without_echoing_it(pan: str) -> None:
    with pytest.raises(SecurityError, match="PAN must be at least 13 digits") as info:
        iso0_clear("1234", pan)
    assert pan not in str(info.value)


def test_clear_block_for_another_pan_is_refused() -> None:
    clear = iso0_clear("123456", PAN)
    with pytest.raises(SecurityError, match="malformed ISO 9564 format 0"):
        pin_from_clear_block(clear, "6212345678901299991")


def test_block_decrypted_under_the_wrong_key_is_refused() -> None:
    sealed = encrypt_pin_block(K16, iso0_clear("123456", PAN))
    wrong = decrypt_pin_block(bytes(reversed(K16)), sealed)
    with pytest.raises(SecurityError):
        pin_from_clear_block(wrong, PAN)


def test_pin_block_must_be_8_bytes() -> None:
    with pytest.raises(SecurityError, match="8 bytes"):
        encrypt_pin_block(K16, bytes(16))
