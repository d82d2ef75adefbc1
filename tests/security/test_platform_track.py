"""The whole track 2 sealed under the TDK for the X3 platform."""

import pytest

from xpos.errors import SecurityError
from xpos.security.platform_track import open_track, seal_track
from xpos.security.tdes import tdes_encrypt, xor

TDK = bytes.fromhex("3333333333333333" "4444444444444444")
TRACK = "8868000000000001D30121010000000000"


def test_seal_hides_every_digit_and_opens_again() -> None:
    sealed = seal_track(TRACK, TDK)
    assert len(sealed) == 40                     # 34 + 0x80, padded to 5 blocks
    assert b"8868" not in sealed and "8868000000000001" not in sealed.hex()
    assert open_track(sealed, TDK) == TRACK
    assert open_track(seal_track(TRACK.replace("D", "="), TDK), TDK) == TRACK


def test_the_first_block_is_tdes_of_the_ascii_under_a_zero_iv() -> None:
    sealed = seal_track(TRACK, TDK)
    assert sealed[:8] == tdes_encrypt(TDK, xor(b"88680000", bytes(8)))
    assert sealed[8:16] == tdes_encrypt(TDK, xor(b"00000001", sealed[:8]))


@pytest.mark.parametrize("track", ["", "8868000000000001", "88680A0D3012", "1" * 30 + "D" * 12])
def test_a_malformed_track_is_refused(track: str) -> None:
    with pytest.raises(SecurityError):
        seal_track(track, TDK)


def test_another_key_or_a_bad_length_does_not_open() -> None:
    sealed = seal_track(TRACK, TDK)
    with pytest.raises(SecurityError):
        open_track(sealed, bytes.fromhex("5555555555555555" "6666666666666666"))
    with pytest.raises(SecurityError):
        open_track(sealed[:-1], TDK)
    with pytest.raises(SecurityError):
        open_track(b"", TDK)
