"""Reprints: recorded bytes -> document -> the same bytes; the REPRINT mark adds one line."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from xpos.core.slips import (
    REPRINT,
    SaleSlip,
    TotalsLine,
    TotalsSlip,
    VoucherSlip,
    mark_reprint,
    sale_slip,
    totals_slip,
    voucher_slip,
)
from xpos.model import Document, Feed, QrCode, TextLine
from xpos.receipts.decode import decode_lines
from xpos.receipts.escpos import render
from xpos.receipts.reprint import document_from_bytes

WHEN = datetime(2026, 11, 28, 23, 50, 1)
SALE = SaleSlip(merchant_name="测试商户 TEST SHOP", mid="123456789012345", tid="12345678",
                operator="01", masked_pan="621234*********4567", expiry="3012", batch=1,
                stan=42, auth_code="A1B2C3", rrn="261128000042", when=WHEN, amount=1234)
VOUCHER = VoucherSlip(merchant_name="蛋糕店", mid="123456789012345", tid="12345678",
                      code_masked="********5678", title="生日蛋糕8寸", quantity=1,
                      provider="好利来", stan=7, batch=1, rrn="r7", when=WHEN)
TOTALS = TotalsSlip(merchant_name="蛋糕店", mid="123456789012345", tid="12345678", batch=3,
                    when=WHEN, lines=(TotalsLine(domain="bank", kind="sale", count=2,
                                                 amount=350),))

ORIGINALS = {
    "sale-merchant": (sale_slip(SALE, copy="merchant"),
                      sale_slip(dataclasses.replace(SALE, reprint=True), copy="merchant")),
    "sale-customer": (sale_slip(SALE, copy="customer"),
                      sale_slip(dataclasses.replace(SALE, reprint=True), copy="customer")),
    "voucher": (voucher_slip(VOUCHER),
                voucher_slip(dataclasses.replace(VOUCHER, reprint=True))),
}


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_reprint_is_the_original_byte_for_byte_plus_the_mark(name: str) -> None:
    original, with_mark = ORIGINALS[name]
    data = render(original)
    assert render(document_from_bytes(name, data)) == data
    reprint = render(mark_reprint(document_from_bytes(name, data)))
    assert reprint == render(with_mark)  # the layout's own reprint=True, to the byte
    before, after = decode_lines(data), decode_lines(reprint)
    assert len(after) == len(before) + 1
    at = next(i for i, line in enumerate(after) if line.text == REPRINT)
    assert after[:at] + after[at + 1:] == before
    assert after[at].bold and after[at].align.value == "center"


def test_the_line_by_line_comparison_catches_a_changed_line() -> None:
    data = render(ORIGINALS["sale-merchant"][0])
    doctored = data.replace(b"12.34\n", b"12.35\n")
    assert doctored != data
    before = decode_lines(data)
    after = decode_lines(render(mark_reprint(document_from_bytes("x", doctored))))
    at = next(i for i, line in enumerate(after) if line.text == REPRINT)
    assert after[:at] + after[at + 1:] != before


def test_totals_slip_round_trips_too() -> None:
    data = render(totals_slip(TOTALS))
    assert render(document_from_bytes("totals", data)) == data


def test_feeds_qr_codes_and_no_cut_round_trip() -> None:
    doc = Document(name="d", elements=(TextLine(text="标题", bold=True, double=True),
                                       Feed(lines=2), QrCode(data="https://x/1"),
                                       TextLine(text="end")), cut=False)
    data = render(doc)
    back = document_from_bytes("d", data)
    assert render(back) == data and back.cut is False
    assert QrCode(data="https://x/1") in back.elements


def test_garbage_bytes_give_a_document_not_a_traceback() -> None:
    doc = document_from_bytes("junk", b"\x1b\x1d\x00\xff\xfe\n\x1c&\x81")
    assert isinstance(render(doc), bytes)


def test_totals_slip_fits_32_columns_and_splits_a_line_too_wide() -> None:
    from xpos.model.textwidth import text_width

    big = TotalsSlip(merchant_name="蛋糕店", mid="123456789012345", tid="12345678", batch=3,
                     when=WHEN, lines=(
                         TotalsLine(domain="bank", kind="sale", count=99999,
                                    amount=9_999_999_999),
                         TotalsLine(domain="x", kind="order_payment_pilot_kind\x1b@", count=1,
                                    amount=1)))
    lines = [e for e in totals_slip(big).elements if isinstance(e, TextLine)]
    texts = [line.text for line in lines]
    assert all(text_width(x) <= 32 for x in texts), texts
    assert "消费/SALE  99999笔 ￥99999999.99" in texts
    assert "合计 TOTAL 99999笔 ￥99999999.99" in texts
    at = texts.index("ORDER_PAYMENT_PILOT_KIND@")  # too wide with its count: split, no ESC
    assert texts[at + 1] == "1笔 ￥0.01" and lines[at + 1].align.value == "right"
    empty = [e.text for e in totals_slip(dataclasses.replace(big, lines=())).elements
             if isinstance(e, TextLine)]
    assert empty.count("无交易 NONE") == 2 and "合计 TOTAL" not in "".join(empty)
