from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.errors import DecodeError
from xpos.proto.codec import Message, decode_message, encode_message
from xpos.proto.spec import FIELDS, FieldKind, FieldSpec

from . import golden as g

_ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
_GB_TEXT = st.one_of(_ASCII, st.sampled_from("银联消费签到冲正结算券订单甜心烘焙￥。，"))


def _size(spec: FieldSpec) -> st.SearchStrategy[int]:
    return st.just(spec.length) if not spec.var else st.integers(0, spec.length)


def _value(spec: FieldSpec) -> st.SearchStrategy[str]:
    if spec.kind is FieldKind.N:
        return _size(spec).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n))
    if spec.kind is FieldKind.Z:
        return _size(spec).flatmap(lambda n: st.text("0123456789ABCDEF", min_size=n, max_size=n))
    if spec.kind is FieldKind.B:
        return _size(spec).flatmap(lambda n: st.binary(min_size=n, max_size=n)).map(
            lambda b: b.hex().upper())
    if spec.encoding == "ascii":
        return _size(spec).flatmap(lambda n: st.text(_ASCII, min_size=n, max_size=n))
    return st.text(_GB_TEXT, max_size=spec.length // 4)


messages = st.builds(
    lambda mti, fields, tpdu, header: Message(mti=mti, fields=fields, tpdu=tpdu,
                                                header=header),
    mti=st.text("0123456789", min_size=4, max_size=4),
    fields=st.sets(st.sampled_from(sorted(FIELDS))).flatmap(
        lambda numbers: st.fixed_dictionaries({n: _value(FIELDS[n]) for n in numbers})),
    tpdu=st.binary(min_size=5, max_size=5).map(lambda b: b.hex().upper()),
    header=st.text("0123456789", min_size=12, max_size=12),
)


@given(messages)
@settings(max_examples=300)
def test_any_valid_message_round_trips(msg: Message) -> None:
    assert decode_message(encode_message(msg)) == msg


@given(st.binary(max_size=200))
def test_decoding_arbitrary_bytes_raises_only_decode_error(data: bytes) -> None:
    try:
        decode_message(data)
    except DecodeError as exc:
        assert 0 <= exc.position <= len(data)


@given(st.sampled_from(g.GOLDEN), st.randoms(use_true_random=False),
       st.integers(1, 4))
@settings(max_examples=300)
def test_corrupted_golden_bytes_decode_or_raise_decode_error(
        golden: g.Golden, rnd: random.Random, flips: int) -> None:
    data = bytearray(golden.wire)
    for _ in range(flips):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    try:
        msg = decode_message(bytes(data))
    except DecodeError as exc:
        assert 0 <= exc.position <= len(data)
    else:
        assert encode_message(msg) == bytes(data)


@given(st.sampled_from(g.GOLDEN), st.data())
def test_every_truncation_of_a_golden_frame_is_a_decode_error(golden: g.Golden,
                                                               data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(golden.wire) - 1))
    try:
        decode_message(golden.wire[:cut])
    except DecodeError as exc:
        assert 0 <= exc.position <= cut
    else:
        raise AssertionError(f"truncation at {cut} decoded")
