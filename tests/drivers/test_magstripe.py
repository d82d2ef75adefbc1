from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpos.drivers.magstripe import (
    MAX_FRAME,
    MagstripeDecoder,
    Swipe,
    SwipeError,
    card_from_swipe,
    decode_frame,
    encode_swipe,
    parse_track2,
)
from xpos.errors import CardReadError
from xpos.model import CardSource

TRACK1 = "B6212345678901234567^ZHANG/SAN^30121010000000000000"
TRACK2 = "6212345678901234567=30121010000000000"
TRACK3 = "996212345678901234567=1561560000000000000003000000114000030120=000000000000"

GOLDEN = [
    (Swipe(track2=TRACK2), b";6212345678901234567=30121010000000000?\r"),
    (
        Swipe(track1=TRACK1, track2=TRACK2),
        b"%B6212345678901234567^ZHANG/SAN^30121010000000000000?"
        b";6212345678901234567=30121010000000000?\r",
    ),
    (
        Swipe(track2=TRACK2, track3=TRACK3),
        b";6212345678901234567=30121010000000000?;" + TRACK3.encode() + b"?\r",
    ),
]


@pytest.mark.parametrize(("swipe", "wire"), GOLDEN)
def test_encode_swipe_gives_golden_bytes(swipe: Swipe, wire: bytes) -> None:
    encoded = encode_swipe(track1=swipe.track1, track2=swipe.track2, track3=swipe.track3)
    assert encoded == wire


@pytest.mark.parametrize(("swipe", "wire"), GOLDEN)
def test_decoder_turns_golden_bytes_into_the_swipe(swipe: Swipe, wire: bytes) -> None:
    assert MagstripeDecoder().feed(wire) == [swipe]


def test_decoder_handles_crlf_byte_by_byte_and_several_frames() -> None:
    decoder = MagstripeDecoder()
    wire = GOLDEN[0][1] + b"\n" + GOLDEN[1][1] + b"\r\n"
    events = [e for byte in wire for e in decoder.feed(bytes([byte]))]
    assert events == [GOLDEN[0][0], GOLDEN[1][0]]


def test_decoder_reports_reader_error_markers_as_swipes_that_fail_to_parse() -> None:
    (event,) = MagstripeDecoder().feed(b"%E?;E?\r")
    assert event == Swipe(track1="E", track2="E")
    with pytest.raises(CardReadError, match="unreadable"):
        card_from_swipe(event)


@pytest.mark.parametrize(
    ("wire", "reason"),
    [
        (b";6212345678901234567=3012\r", "end sentinel"),
        (b"X;621234=3012101?\r", "unexpected character at byte 0"),
        (b";\xff?\r", "non-ASCII"),
        (b";1?;2?;3?\r", "track3 sent twice"),
    ],
)
def test_decoder_turns_bad_frames_into_error_events(wire: bytes, reason: str) -> None:
    (event,) = MagstripeDecoder().feed(wire)
    assert isinstance(event, SwipeError)
    assert reason in event.reason


def test_decoder_drops_an_overlong_frame_once_and_recovers() -> None:
    decoder = MagstripeDecoder()
    events = decoder.feed(b";" + b"1" * (MAX_FRAME + 50))
    assert events == [SwipeError(reason="swipe frame too long")]
    assert decoder.feed(b"?\r" + GOLDEN[0][1]) == [GOLDEN[0][0]]


def test_encode_refuses_sentinels_inside_a_track() -> None:
    with pytest.raises(ValueError):
        encode_swipe(track2="6212?=3012")


def test_swipe_repr_hides_tracks() -> None:
    shown = repr(decode_frame(GOLDEN[0][1][:-1]))
    assert TRACK2 not in shown
    assert TRACK2.split("=")[0] not in shown


def test_parsed_card_repr_shows_only_the_masked_pan() -> None:
    card = parse_track2(TRACK2)
    pan, rest = TRACK2.split("=")
    assert pan not in repr(card) and rest not in repr(card)
    assert "pan='621234*********4567'" in repr(card)


def test_parse_track2_reads_pan_expiry_service_code_and_accepts_sentinels_and_d() -> None:
    card = parse_track2(";6212345678901234567D30121010000000000?")
    assert (card.source, card.pan, card.expiry, card.service_code) == (
        CardSource.SWIPE, "6212345678901234567", "3012", "101")
    assert card.track2 == TRACK2


@pytest.mark.parametrize(
    ("track", "reason"),
    [
        ("6212345678901234567", "separator"),
        ("62123456789=30121010", "12 to 19"),
        ("62123456789012345678=3012101", "12 to 19"),
        ("6212345678901234567=3012", "expiry"),
        ("6212345678901234567=3013101", "month"),
        ("6212345678901234567=30121010000000000000", "longer than 37"),
        ("E", "unreadable"),
    ],
)
def test_parse_track2_rejects_malformed_track_naming_the_problem(track: str, reason: str) -> None:
    with pytest.raises(CardReadError, match=reason):
        parse_track2(track)


tracks2 = st.builds(
    lambda pan, yymm, rest: f"{pan}={yymm}{rest}",
    st.from_regex(r"[0-9]{12,19}", fullmatch=True),
    st.from_regex(r"[0-9]{2}(0[1-9]|1[0-2])", fullmatch=True),
    st.from_regex(r"[0-9]{3,10}", fullmatch=True),
)


@given(track2=tracks2, cut=st.integers(min_value=0, max_value=60))
def test_swipes_survive_encoding_and_arbitrary_chunking(track2: str, cut: int) -> None:
    wire = encode_swipe(track2=track2)
    decoder = MagstripeDecoder()
    events = decoder.feed(wire[:cut]) + decoder.feed(wire[cut:])
    assert events == [Swipe(track2=track2)]
    assert isinstance(events[0], Swipe)
    assert card_from_swipe(events[0]).track2 == track2


@given(data=st.binary(max_size=300))
def test_decoder_never_raises_on_random_bytes(data: bytes) -> None:
    events = MagstripeDecoder().feed(data + b"\r")
    assert all(isinstance(e, Swipe | SwipeError) for e in events)
