"""Golden tests: typed wedge lines -> swipe (LRC, ISO 7813), RFID UID, scanned code."""

from __future__ import annotations

import pytest

from xpos.drivers.wedge_formats import (
    card_from_wedge_swipe,
    code_from_line,
    lrc_char,
    uid_from_line,
)
from xpos.errors import CardReadError
from xpos.model import CardSource

T1 = "B6212345678901234567^ZHANG/SAN^30121010000000000000"
T2 = "6212345678901234567=30121010000000000"
# LRCs worked out by hand (XOR of 4-bit / 6-bit character values, sentinels included).
T2_LRC, T1_LRC = "<", "D"


def test_track_2_only_swipe() -> None:
    card = card_from_wedge_swipe(f";{T2}?")
    assert (card.source, card.pan, card.expiry, card.service_code, card.track2) == (
        CardSource.SWIPE, "6212345678901234567", "3012", "101", T2)


def test_tracks_1_2_and_3_with_plus_sentinel() -> None:
    card = card_from_wedge_swipe(f"%{T1}?;{T2}?+0123456789=12?")
    assert card.pan == "6212345678901234567"


def test_golden_lrc_characters() -> None:
    assert lrc_char(T2, ";") == T2_LRC
    assert lrc_char(T1, "%") == T1_LRC


def test_swipe_with_lrc_after_each_track() -> None:
    card = card_from_wedge_swipe(f"%{T1}?{T1_LRC};{T2}?{T2_LRC}", lrc=True)
    assert card.track2 == T2


@pytest.mark.parametrize(("line", "message"), [
    (f";{T2}?=", "LRC check failed"),
    (f";{T2.replace('3012', '3013')}?{T2_LRC}", "LRC check failed"),
    (f";{T2}?", "without end sentinel or LRC"),
    (f";{T2}", "without end sentinel or LRC"),
])
def test_lrc_errors(line: str, message: str) -> None:
    with pytest.raises(CardReadError, match=message):
        card_from_wedge_swipe(line, lrc=True)


@pytest.mark.parametrize(("line", "message"), [
    (f"%E?;{T2}?", "track1 unreadable"),
    (";E?", "track2 unreadable"),
    (f"%A{T1[1:]}?;{T2}?", "format code is not B"),
    (f"%B6212345678901234567^ZHANG^SAN^3012101?;{T2}?", "PAN \\^ name \\^ data"),
    (f"%B62123^ZHANG/SAN^3012101?;{T2}?", "track 1 PAN must be"),
    (f"%B6212345678901234567^Z^3012101?;{T2}?", "name must be 2 to 26"),
    (f"%B6212345678901234567^ZHANG/SAN^30?;{T2}?", "expiry YYMM"),
    (f"%B6212345678901234560^ZHANG/SAN^3012101?;{T2}?", "PAN differ"),
    (f"%{T1.lower()}?;{T2}?", "track1 has characters outside"),
    (f";{T2[:-1]}A?", "track2 has characters outside"),
    (f";{T2}?;{'1' * 105}?", "track3 longer than 104"),
    (f"%{T1}?", "no track 2"),
    (f";{T2}?x", "unexpected character"),
    (f";{T2}", "without end sentinel"),
    (";6212345678901234567?", "no field separator"),
    ("；刷卡", "non-ASCII"),
])
def test_one_read_error_never_half_a_card(line: str, message: str) -> None:
    with pytest.raises(CardReadError, match=message) as info:
        card_from_wedge_swipe(line)
    assert "6212345678901234567" not in str(info.value)


@pytest.mark.parametrize(("line", "fmt", "uid"), [
    ("0305419896", "auto", "12345678"),
    ("0305419896", "dec", "12345678"),
    ("4294967295", "auto", "FFFFFFFF"),
    ("04a1b2c3d4e5f6", "auto", "04A1B2C3D4E5F6"),
    ("0305419896", "hex", "0305419896"),
    (" 62E3086CED \t", "auto", "62E3086CED"),
    ("DEADBEEF", "hex", "DEADBEEF"),
])
def test_rfid_uid_formats(line: str, fmt: str, uid: str) -> None:
    card = uid_from_line(line, fmt=fmt)
    assert (card.source, card.uid, card.pan, card.track2) == (CardSource.TAP, uid, "", "")


def test_rfid_decimal_uid_little_endian() -> None:
    assert uid_from_line("0305419896", order="le").uid == "78563412"
    assert uid_from_line("04A1B2C3", order="le").uid == "04A1B2C3"  # hex: as typed


@pytest.mark.parametrize(("line", "fmt", "message"), [
    ("4294967296", "dec", "larger than 4 bytes"),
    ("12345", "dec", "10 decimal digits"),
    ("ABCDEF0123", "dec", "10 decimal digits"),
    ("ABC", "auto", "4, 5, 7 or 10 bytes"),
    ("XYZW1234", "hex", "4, 5, 7 or 10 bytes"),
    ("", "auto", "4, 5, 7 or 10 bytes"),
])
def test_rfid_uid_errors(line: str, fmt: str, message: str) -> None:
    with pytest.raises(CardReadError, match=message):
        uid_from_line(line, fmt=fmt)


def test_scanned_codes() -> None:
    assert code_from_line(" VC20240001234567 ").code == "VC20240001234567"
    assert code_from_line("https://pay.example/q?id=1").source is CardSource.SCAN
    for bad in ("", "   ", "a\x07b", "9" * 4097):
        with pytest.raises(CardReadError):
            code_from_line(bad)
