from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpos.errors import DecodeError, EncodeError
from xpos.proto.codec import FrameReader, frame

from . import golden as g


def test_frame_prefixes_a_two_byte_big_endian_length() -> None:
    assert frame(b"\x01" * 0x123)[:2] == b"\x01\x23"
    assert frame(g.SIGN_ON_0800.wire) == b"\x00\x3c" + g.SIGN_ON_0800.wire


def test_frame_rejects_a_body_longer_than_65535() -> None:
    with pytest.raises(EncodeError) as info:
        frame(bytes(0x10000))
    assert info.value.field == "len"


def test_reader_waits_for_a_complete_frame() -> None:
    reader = FrameReader()
    data = frame(b"abc")
    assert reader.feed(data[:1]) == []
    assert reader.feed(data[1:4]) == []
    assert reader.buffered == 4
    assert reader.feed(data[4:]) == [b"abc"]
    assert reader.buffered == 0


def test_reader_returns_several_frames_from_one_chunk() -> None:
    assert FrameReader().feed(frame(b"a") + frame(b"") + frame(b"bc")) == [b"a", b"", b"bc"]


def test_reader_rejects_an_oversize_length_with_its_stream_offset() -> None:
    reader = FrameReader(max_size=100)
    assert reader.feed(frame(b"x" * 100)) == [b"x" * 100]
    with pytest.raises(DecodeError) as info:
        reader.feed(b"\x00\x65")
    assert (info.value.field, info.value.position) == ("len", 102)


def test_reader_stays_broken_after_an_oversize_length() -> None:
    reader = FrameReader(max_size=10)
    with pytest.raises(DecodeError):
        reader.feed(b"\xff\xff")
    with pytest.raises(DecodeError):
        reader.feed(frame(b"ok"))
    assert reader.error is not None


def test_reader_delivers_frames_before_an_oversize_length_then_breaks() -> None:
    reader = FrameReader(max_size=4096)
    assert reader.feed(frame(b"ok") + b"\x10\x01") == [b"ok"]
    assert reader.error is not None and reader.error.position == 4
    with pytest.raises(DecodeError):
        reader.feed(b"")


def test_default_maximum_is_4096() -> None:
    reader = FrameReader()
    assert reader.feed(b"\x10\x00") == []
    with pytest.raises(DecodeError):
        FrameReader().feed(b"\x10\x01")


@given(st.lists(st.binary(max_size=50), max_size=6), st.lists(st.integers(1, 30), max_size=20))
def test_any_chunking_yields_the_same_bodies(bodies: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(frame(b) for b in bodies)
    reader, out, pos = FrameReader(), [], 0
    for size in cuts:
        out += reader.feed(stream[pos:pos + size])
        pos += size
    out += reader.feed(stream[pos:])
    assert out == bodies
