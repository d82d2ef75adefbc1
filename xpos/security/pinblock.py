"""ISO 9564 format 0 PIN blocks.

Clear block = PIN field XOR PAN field, where the PIN field is ``0``, the PIN length
(one hex digit), the PIN digits and ``F`` padding to 16 nibbles, and the PAN field is
``0000`` followed by the 12 rightmost PAN digits excluding the check digit.

On a real terminal these functions run inside the PED; X-POS uses them in the
emulated PIN pad and in the reference host only. Error messages never contain PIN
digits or the PAN.
"""

from __future__ import annotations

from xpos.errors import SecurityError
from xpos.security.tdes import tdes_decrypt, tdes_encrypt, xor

MIN_PIN, MAX_PIN = 4, 12
_MIN_PAN = 13


PIK_LENGTHS = (8, 16, 24)
"""Byte lengths a PIN key may have (single, double, triple length TDES)."""


def checked_pik(pik: bytes) -> bytes:
    """A copy of ``pik`` once its length is checked (what a PIN pad's ``load_pik`` keeps).

    Raises:
        SecurityError: if the key is not 8, 16 or 24 bytes.
    """
    if len(pik) not in PIK_LENGTHS:
        raise SecurityError("PIK must be 8, 16 or 24 bytes")
    return bytes(pik)


def _pan_field(pan: str) -> bytes:
    if not pan.isdigit() or not pan.isascii() or len(pan) < _MIN_PAN:
        raise SecurityError(f"PAN must be at least {_MIN_PAN} digits for an ISO-0 PIN block")
    return bytes.fromhex("0000" + pan[-13:-1])


def iso0_clear(pin: str, pan: str) -> bytes:
    """Build the clear ISO 9564 format 0 PIN block.

    Args:
        pin: 4 to 12 digits.
        pan: The card number (at least 13 digits).

    Raises:
        SecurityError: on a malformed PIN or PAN (the message holds neither).
    """
    if not pin.isdigit() or not pin.isascii() or not MIN_PIN <= len(pin) <= MAX_PIN:
        raise SecurityError(f"PIN must be {MIN_PIN} to {MAX_PIN} digits")
    field = f"0{len(pin):X}{pin}".ljust(16, "F")
    return xor(bytes.fromhex(field), _pan_field(pan))


def _check_block(block: bytes) -> None:
    if len(block) != 8:
        raise SecurityError(f"a PIN block is 8 bytes, got {len(block)}")


def encrypt_pin_block(pik: bytes, clear: bytes) -> bytes:
    """Encrypt a clear PIN block under the PIK (TDES-ECB).

    Raises:
        SecurityError: on a bad key or block length.
    """
    _check_block(clear)
    return tdes_encrypt(pik, clear)


def decrypt_pin_block(pik: bytes, block: bytes) -> bytes:
    """Decrypt a PIN block under the PIK, giving the clear block.

    Raises:
        SecurityError: on a bad key or block length.
    """
    _check_block(block)
    return tdes_decrypt(pik, block)


def pin_from_clear_block(clear: bytes, pan: str) -> str:
    """Recover the PIN from a clear ISO 9564 format 0 block.

    Raises:
        SecurityError: if the block is not a well-formed format 0 block for this PAN
            (wrong format nibble, length, filler or non-digit PIN).
    """
    _check_block(clear)
    field = xor(clear, _pan_field(pan)).hex().upper()
    if field[0] != "0":
        raise SecurityError("not an ISO 9564 format 0 PIN block")
    length = int(field[1], 16)
    pin, filler = field[2 : 2 + length], field[2 + length :]
    if not MIN_PIN <= length <= MAX_PIN or not pin.isdigit() or filler != "F" * len(filler):
        raise SecurityError("malformed ISO 9564 format 0 PIN block (wrong key or PAN?)")
    return pin
