"""The pre-authorisation family's golden bytes, both ways, and the builders against them."""

from __future__ import annotations

import pytest

from xpos.errors import EncodeError
from xpos.proto import messages as m
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import decode_message, encode_message
from xpos.proto.messages import MacFunction, needs_mac, verify_mac
from xpos.proto.preauth import (
    PreauthOriginal,
    family_kind,
    parse_preauth_original,
    preauth_family_request,
)

from . import golden_preauth as g
from .golden import MID, PIN_BLOCK, TID, TRACK2, WHEN, Golden

IDS = [x.name for x in g.GOLDEN_PREAUTH]


@pytest.mark.parametrize("golden", g.GOLDEN_PREAUTH, ids=IDS)
def test_golden_message_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", g.GOLDEN_PREAUTH, ids=IDS)
def test_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", g.GOLDEN_PREAUTH, ids=IDS)
def test_every_family_message_carries_a_mac_that_verifies(golden: Golden,
                                                         mac: MacFunction) -> None:
    assert needs_mac(golden.message)
    assert verify_mac(golden.message, mac)


def _sale(stan: int, amount: int, *, pin: bool = True) -> m.Message:
    return m.sale_request(stan=stan, tid=TID, mid=MID, batch=1, amount=amount, track2=TRACK2,
                          expiry="3012", pin_block=bytes.fromhex(PIN_BLOCK) if pin else None)


ORIGINAL = PreauthOriginal(auth_code="654321", date="0115", batch=1, stan=9)


@pytest.mark.parametrize(("kind", "sale", "original", "golden"), [
    (MessageKind.PREAUTH, _sale(9, 5000), None, g.PREAUTH_0100),
    (MessageKind.PREAUTH_VOID, _sale(10, 5000), ORIGINAL, g.PREAUTH_VOID_0100),
    (MessageKind.PREAUTH_VOID, _sale(10, 5000, pin=False),
     PreauthOriginal(auth_code="654321", date="0115"), g.PREAUTH_VOID_0100_KEYED),
    (MessageKind.COMPLETION, _sale(11, 4500), ORIGINAL, g.COMPLETION_0200),
    (MessageKind.COMPLETION_VOID, _sale(12, 4500),
     PreauthOriginal(auth_code="112233", date="0115", batch=1, stan=11),
     g.COMPLETION_VOID_0200),
], ids=["preauth", "preauth void", "preauth void keyed", "completion", "completion void"])
def test_builders_give_the_golden_requests(kind: MessageKind, sale: m.Message,
                                           original: PreauthOriginal | None, golden: Golden,
                                           mac: MacFunction) -> None:
    built = m.add_mac(preauth_family_request(kind, sale, batch=1, original=original), mac)
    assert built == golden.message
    assert m.classify(built) is kind and family_kind(built) is kind
    assert parse_preauth_original(built) == original


def test_a_completion_is_not_a_sale_and_a_completion_void_is_not_a_void() -> None:
    assert m.classify(g.COMPLETION_0200.message) is MessageKind.COMPLETION
    assert m.classify(g.COMPLETION_VOID_0200.message) is MessageKind.COMPLETION_VOID
    assert m.classify(_sale(1, 100)) is MessageKind.SALE
    assert family_kind(_sale(1, 100)) is None


def test_the_reversal_of_a_completion_keeps_25_38_60_61_and_drops_the_card(
        mac: MacFunction) -> None:
    reversal = m.add_mac(m.reversal_request(g.COMPLETION_0200.message, reason="98"), mac)
    assert reversal == g.COMPLETION_REVERSAL_0400.message
    assert family_kind(reversal) is MessageKind.COMPLETION
    assert not {2, 26, 35, 52, 53} & set(reversal.fields)


def test_the_host_answers_are_the_golden_responses(mac: MacFunction) -> None:
    approved = m.sale_response(g.PREAUTH_0100.message, rc="00", auth_code="654321",
                               rrn="250115000009", when=WHEN)
    assert m.add_mac(approved, mac) == g.PREAUTH_0110.message
    over = m.sale_response(g.COMPLETION_0200.message, rc="61", auth_code=None,
                           rrn="250115000011", when=WHEN)
    assert m.add_mac(over, mac) == g.COMPLETION_0210_OVER.message
    assert m.response_check(g.PREAUTH_0100.message, g.PREAUTH_0110.message) is None


@pytest.mark.parametrize(("original", "field"), [
    (None, "61"),
    (PreauthOriginal(auth_code="12345", date="0115"), "38"),
    (PreauthOriginal(auth_code="123456", date="1315"), "61"),
    (PreauthOriginal(auth_code="123456", date="01a5"), "61"),
])
def test_bad_originals_are_refused_by_the_builder(original: PreauthOriginal | None,
                                                  field: str) -> None:
    with pytest.raises(EncodeError) as caught:
        preauth_family_request(MessageKind.COMPLETION, _sale(1, 100), batch=1,
                               original=original)
    assert caught.value.field == field


@pytest.mark.parametrize("golden", g.GOLDEN_PREAUTH, ids=IDS)
def test_protocol_doc_shows_each_family_message_as_a_hex_dump(golden: Golden) -> None:
    from pathlib import Path

    from .docgen import hexdump

    doc = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text("utf-8")
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in doc
