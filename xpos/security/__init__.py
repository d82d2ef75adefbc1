"""Security: keys, PIN blocks, MACs, track encryption and the (emulated PED) key store.

See ``docs/security.md`` for the key hierarchy and what is stored where. ``pki`` (TLS
certificates) is imported on its own, not from here.
"""

from xpos.security.kcv import check_kcv, kcv, kcv_matches
from xpos.security.keys import (
    WorkingKeys,
    build_signon_keys,
    combine_components,
    parse_signon_keys,
)
from xpos.security.keystore import KeyStore
from xpos.security.mac import MacAlgorithm, compute_mac, cup_ecb_mac, mac_matches, x919_mac
from xpos.security.pinblock import (
    decrypt_pin_block,
    encrypt_pin_block,
    iso0_clear,
    pin_from_clear_block,
)
from xpos.security.tdes import des_decrypt, des_encrypt, tdes_decrypt, tdes_encrypt
from xpos.security.track import decrypt_track2, encrypt_track2

__all__ = [
    "KeyStore",
    "MacAlgorithm",
    "WorkingKeys",
    "build_signon_keys",
    "check_kcv",
    "combine_components",
    "compute_mac",
    "cup_ecb_mac",
    "decrypt_pin_block",
    "decrypt_track2",
    "des_decrypt",
    "des_encrypt",
    "encrypt_pin_block",
    "encrypt_track2",
    "iso0_clear",
    "kcv",
    "kcv_matches",
    "mac_matches",
    "parse_signon_keys",
    "pin_from_clear_block",
    "tdes_decrypt",
    "tdes_encrypt",
    "x919_mac",
]
