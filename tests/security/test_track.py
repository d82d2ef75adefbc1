from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import SecurityError
from xpos.security.track import decrypt_track2, encrypt_track2

from . import oracle

TDK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
REFERENCE = "6212345678901234567=30121010000000000"


def _changed(a: str, b: str) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def test_reference_track_keeps_its_length_and_replaces_only_the_16_digit_window() -> None:
    wire = REFERENCE.replace("=", "D")
    sealed = encrypt_track2(REFERENCE, TDK)
    assert len(wire) == 37
    assert len(sealed) == len(wire)
    window = slice(20, 36)  # odd length: 16 digits ending one before the end
    assert sealed[:20] == wire[:20]
    assert sealed[36:] == wire[36:]
    assert sealed[window] == oracle.tdes_ecb(TDK, bytes.fromhex(wire[window])).hex().upper()
    assert sealed[window] != wire[window]
    assert set(_changed(wire, sealed)) <= set(range(20, 36))


def test_reference_track_round_trips_to_wire_form() -> None:
    assert decrypt_track2(encrypt_track2(REFERENCE, TDK), TDK) == REFERENCE.replace("=", "D")


def test_even_length_window_ends_two_digits_before_the_end() -> None:
    wire = "6212345678901234D30121010000000000"
    assert len(wire) % 2 == 0
    sealed = encrypt_track2(wire, TDK)
    end = len(wire) - 2
    assert sealed[end:] == wire[end:]
    assert sealed[: end - 16] == wire[: end - 16]
    assert (
        sealed[end - 16 : end]
        == oracle.tdes_ecb(TDK, bytes.fromhex(wire[end - 16 : end])).hex().upper()
    )


tracks = st.builds(
    lambda pan, rest: f"{pan}D{rest}",
    st.text(alphabet="0123456789", min_size=13, max_size=19),
    st.text(alphabet="0123456789", min_size=3, max_size=17),
).filter(lambda t: len(t) <= 37)


@settings(max_examples=80, database=None)
@given(track=tracks, tdk=st.binary(min_size=16, max_size=16))
def test_round_trip_preserves_length(track: str, tdk: bytes) -> None:
    sealed = encrypt_track2(track, tdk)
    assert len(sealed) == len(track)
    assert decrypt_track2(sealed, tdk) == track


def test_track_shorter_than_17_is_f_padded_and_still_round_trips() -> None:
    sealed = encrypt_track2("6212345678D2512", TDK)
    assert len(sealed) == 17
    assert decrypt_track2(sealed, TDK) == "6212345678D2512"


@pytest.mark.parametrize(
    "track", ["", "6212345678901234567=3012101000000000000", "621234X678=3012"]
)
def test_malformed_track_is_refused_without_echoing_it(track: str) -> None:
    with pytest.raises(SecurityError, match="track 2 must be") as info:
        encrypt_track2(track, TDK)
    assert track == "" or track not in str(info.value)


def test_decrypting_with_the_wrong_tdk_is_refused() -> None:
    sealed = encrypt_track2(REFERENCE, TDK)
    with pytest.raises(SecurityError, match="wrong TDK"):
        decrypt_track2(sealed, bytes(reversed(TDK)))


def test_decrypt_refuses_non_hex_input() -> None:
    with pytest.raises(SecurityError, match="17 to 37 hex digits"):
        decrypt_track2("6212345678901234567=3012101000000000", TDK)
