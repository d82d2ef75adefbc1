"""Settlement golden bytes both ways, the builders that make them, and the doc dumps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from xpos.errors import EncodeError
from xpos.proto import settle as ps
from xpos.proto.codec import decode_message, encode_message
from xpos.proto.messages import MessageKind, classify, needs_mac, response_check

from .docgen import hexdump
from .golden import MID, TID, Golden
from .golden_settle import (
    BATCH_END_0320,
    BATCH_END_0330,
    BATCH_UPLOAD_0320,
    BATCH_UPLOAD_0330,
    SETTLE_0500,
    SETTLE_0510,
    SETTLE_0510_UNBALANCED,
    SETTLE_GOLDEN,
    X_SETTLE_0500,
    X_SETTLE_0510,
)

IDS = [g.name for g in SETTLE_GOLDEN]
WHEN = datetime(2025, 1, 15, 10, 30, 45)
TOTALS = ps.SettleTotals(domestic=ps.Side(debit_amount=1734, debit_count=2,
                                          credit_amount=500, credit_count=1))
ITEMS = (ps.UploadItem(stan=2, amount=1234), ps.UploadItem(stan=3, amount=500))
DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("golden", SETTLE_GOLDEN, ids=IDS)
def test_settlement_golden_encodes_to_its_exact_bytes(golden: Golden) -> None:
    assert encode_message(golden.message).hex().upper() == golden.wire.hex().upper()


@pytest.mark.parametrize("golden", SETTLE_GOLDEN, ids=IDS)
def test_settlement_golden_bytes_decode_to_their_message(golden: Golden) -> None:
    decoded = decode_message(golden.wire)
    assert decoded == golden.message
    assert (decoded.tpdu, decoded.header) == (golden.message.tpdu, golden.message.header)


@pytest.mark.parametrize("golden", SETTLE_GOLDEN, ids=IDS)
def test_settlement_messages_carry_no_mac(golden: Golden) -> None:
    assert not needs_mac(golden.message) and golden.message.get(64) is None


@pytest.mark.parametrize("golden", SETTLE_GOLDEN, ids=IDS)
def test_protocol_doc_shows_each_settlement_message_as_a_hex_dump(golden: Golden) -> None:
    assert f"#### {golden.name}\n\n```\n{hexdump(golden.wire)}\n```" in DOC


def test_builders_make_the_golden_requests() -> None:
    assert ps.settle_request(stan=10, tid=TID, mid=MID, batch=1,
                             totals=TOTALS) == SETTLE_0500.message
    assert ps.batch_upload_request(stan=11, tid=TID, mid=MID, batch=1,
                                   items=ITEMS) == BATCH_UPLOAD_0320.message
    assert ps.batch_end_request(stan=12, tid=TID, mid=MID, batch=1,
                                count=2) == BATCH_END_0320.message
    x = ps.SettleTotals(domestic=ps.Side(debit_count=1))
    assert ps.settle_request(stan=13, tid=TID, mid=MID, batch=1, totals=x,
                             x_platform=True) == X_SETTLE_0500.message


def test_builders_make_the_golden_responses() -> None:
    assert ps.settle_response(SETTLE_0500.message, rc="00", domestic="1", foreign="1",
                              when=WHEN) == SETTLE_0510.message
    assert ps.settle_response(SETTLE_0500.message, rc="00", domestic="2", foreign="1",
                              when=WHEN) == SETTLE_0510_UNBALANCED.message
    assert ps.batch_upload_response(BATCH_UPLOAD_0320.message, rc="00",
                                    when=WHEN) == BATCH_UPLOAD_0330.message
    assert ps.batch_upload_response(BATCH_END_0320.message, rc="00",
                                    when=WHEN) == BATCH_END_0330.message
    assert ps.settle_response(X_SETTLE_0500.message, rc="00", domestic="1", foreign="1",
                              when=WHEN) == X_SETTLE_0510.message


def test_parsers_read_back_totals_results_and_items() -> None:
    assert ps.parse_totals(SETTLE_0500.message.get(48) or "") == TOTALS
    assert ps.parse_results(SETTLE_0510.message) == ps.Results(domestic="1", foreign="1")
    unbalanced = ps.parse_results(SETTLE_0510_UNBALANCED.message)
    assert unbalanced.domestic == "2" and not unbalanced.balanced
    assert ps.parse_upload_items(BATCH_UPLOAD_0320.message.get(48) or "") == ITEMS
    for bad in ("", "00", "09" + "0" * 360, "01" + "00" + "0" * 38, "01" + "x" * 40):
        assert ps.parse_upload_items(bad) is None


def test_classification_tells_the_four_kinds_apart() -> None:
    kinds = {g.name: classify(g.message) for g in SETTLE_GOLDEN}
    assert kinds[SETTLE_0500.name] is kinds[SETTLE_0510.name] is MessageKind.SETTLE
    assert kinds[X_SETTLE_0500.name] is kinds[X_SETTLE_0510.name] is MessageKind.X_SETTLE
    assert kinds[BATCH_UPLOAD_0320.name] is MessageKind.BATCH_UPLOAD
    assert kinds[BATCH_END_0320.name] is kinds[BATCH_END_0330.name] is MessageKind.BATCH_END
    assert response_check(SETTLE_0500.message, SETTLE_0510.message) is None


def test_a_batch_upload_carries_one_to_eight_items() -> None:
    for count in (0, 9):
        with pytest.raises(EncodeError):
            ps.batch_upload_request(stan=1, tid=TID, mid=MID, batch=1,
                                    items=tuple(ps.UploadItem(stan=n + 1, amount=1)
                                                for n in range(count)))
    eight = tuple(ps.UploadItem(stan=n + 1, amount=n) for n in range(8))
    message = ps.batch_upload_request(stan=1, tid=TID, mid=MID, batch=1, items=eight)
    assert len(message.get(48) or "") == 2 + 8 * 40
    assert ps.parse_upload_items(message.get(48) or "") == eight
