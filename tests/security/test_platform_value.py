"""Hidden X3 input values sealed under the TDK: round trip, bound to session/step/field,
never confused with a sealed track, refused under another key."""

from __future__ import annotations

import pytest

from xpos.errors import SecurityError
from xpos.security.platform_track import open_track, seal_track
from xpos.security.platform_value import MAX_VALUE_BYTES, open_value, seal_value

TDK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
OTHER = bytes.fromhex("FEDCBA98765432100123456789ABCDEF")
SESSION = "12345678000001000003"
PLACE = {"session": SESSION, "number": 3, "position": 2}


@pytest.mark.parametrize("value", ["666666", "", "会员密码€", "x" * 64, "8" * 19])
def test_a_value_opens_where_it_was_sealed(value: str) -> None:
    sealed = seal_value(value, TDK, **PLACE)  # type: ignore[arg-type]
    assert len(sealed) % 8 == 0 and (not value or value.encode() not in sealed)
    assert open_value(sealed, TDK, **PLACE) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("place", [
    {"session": "12345678000001000004", "number": 3, "position": 2},
    {"session": SESSION, "number": 4, "position": 2},
    {"session": SESSION, "number": 3, "position": 1},
])
def test_a_seal_copied_to_another_session_step_or_field_does_not_open(
        place: dict[str, object]) -> None:
    sealed = seal_value("666666", TDK, **PLACE)  # type: ignore[arg-type]
    with pytest.raises(SecurityError, match="another session"):
        open_value(sealed, TDK, **place)  # type: ignore[arg-type]


def test_the_same_password_seals_differently_in_another_session() -> None:
    one = seal_value("666666", TDK, **PLACE)  # type: ignore[arg-type]
    two = seal_value("666666", TDK, session="12345678000001000009", number=3, position=2)
    assert one[:8] == two[:8] and one[8:] != two[8:]  # same label block, then apart


def test_another_key_does_not_open_it() -> None:
    sealed = seal_value("666666", TDK, **PLACE)  # type: ignore[arg-type]
    with pytest.raises(SecurityError):
        open_value(sealed, OTHER, **PLACE)  # type: ignore[arg-type]


def test_a_sealed_value_is_no_sealed_track_and_a_sealed_track_no_value() -> None:
    as_value = seal_value("6212345678901234567D3012", TDK, **PLACE)  # type: ignore[arg-type]
    with pytest.raises(SecurityError):
        open_track(as_value, TDK)
    track = seal_track("6212345678901234567D3012", TDK)
    with pytest.raises(SecurityError, match="not a sealed value"):
        open_value(track, TDK, **PLACE)  # type: ignore[arg-type]


@pytest.mark.parametrize("sealed", [b"", bytes(7), bytes(8 * 60)])
def test_a_bad_length_is_refused(sealed: bytes) -> None:
    with pytest.raises(SecurityError):
        open_value(sealed, TDK, **PLACE)  # type: ignore[arg-type]


def test_a_value_too_long_or_a_bad_place_is_not_sealed() -> None:
    with pytest.raises(SecurityError, match="too long"):
        seal_value("9" * (MAX_VALUE_BYTES + 1), TDK, **PLACE)  # type: ignore[arg-type]
    with pytest.raises(SecurityError):
        seal_value("1", TDK, session=SESSION, number=1, position=0)
    with pytest.raises(SecurityError):
        seal_value("1", TDK, session="会话", number=1, position=1)
