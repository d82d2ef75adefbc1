from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xpos.core.slips import SaleSlip, VoucherSlip, sale_slip, voucher_slip
from xpos.model import Align, Document, QrCode, TextLine
from xpos.receipts.decode import CUT_LINE, decode_escpos, decode_lines
from xpos.receipts.escpos import render


def _text_lines(doc: Document) -> list[str]:
    return [e.text for e in doc.elements if isinstance(e, TextLine)]


@pytest.mark.parametrize("copy", ["merchant", "customer"])
@pytest.mark.parametrize("reprint", [False, True])
def test_sale_slip_round_trips_through_escpos(sale: SaleSlip, copy: str, reprint: bool) -> None:
    doc = sale_slip(dataclasses.replace(sale, reprint=reprint), copy=copy)
    printed = decode_escpos(render(doc)).split("\n")
    for line in _text_lines(doc):
        assert line in printed
    assert printed[-1] == CUT_LINE


def test_voucher_slip_round_trips_through_escpos(voucher: VoucherSlip) -> None:
    doc = voucher_slip(voucher)
    printed = decode_escpos(render(doc)).split("\n")
    assert [p for p in printed if p in _text_lines(doc)] == _text_lines(doc)


def test_styles_survive_the_round_trip(sale: SaleSlip) -> None:
    lines = decode_lines(render(sale_slip(sale, copy="customer")))
    title = lines[0]
    amount = next(line for line in lines if line.text == "￥12.34")
    assert (title.text, title.align, title.bold) == ("签购单 POS SALES SLIP", Align.CENTER, True)
    assert amount.double_width and amount.double_height and amount.columns == 14


def test_paper_width_centres_and_wraps_like_a_printer() -> None:
    data = render(Document(name="x", elements=(
        TextLine(text="消费/SALE", align=Align.CENTER),
        TextLine(text="本人确认以上交易，同意将其记入本卡账户"),
        TextLine(text="12.34", align=Align.RIGHT, double=True),
    ), cut=False))
    assert decode_escpos(data, columns=32).split("\n") == [
        "           消费/SALE",
        "本人确认以上交易，同意将其记入本",
        "卡账户",
        "                      12.34",
    ]


def test_qr_code_is_shown_with_its_data() -> None:
    data = render(Document(name="q", elements=(QrCode(data="https://x.example/v?c=1"),)))
    assert "[QR:https://x.example/v?c=1]" in decode_escpos(data).split("\n")


def test_barcodes_and_raster_images_are_placeholders() -> None:
    data = (b"\x1dk\x04CODE39\x00" + b"\x1dkI\x05{B123"
            + b"\x1dv0\x00\x02\x00\x03\x00" + b"\xff" * 6 + b"after\n")
    assert decode_escpos(data).split("\n") == [
        "[BARCODE:CODE39]", "[BARCODE:{B123]", "[IMAGE 16x3]", "after"]


def test_print_modes_feeds_and_code_tables() -> None:
    data = (b"\x1b!\x38big\n\x1b!\x00" + b"\x1bd\x02" + b"\x1bt\x10\x80uro\n"
            + b"\x1c&\x81\x30\x84\x36\xa2\xe3\x1c.\n")
    lines = decode_lines(data)
    assert [line.text for line in lines] == ["big", "", "", "€uro", "¥€"]
    assert lines[0].bold and lines[0].double_width and lines[0].double_height


def test_unknown_commands_are_skipped_without_eating_text() -> None:
    data = (b"\x1b\x7fA" + b"\x1d\xeeB" + b"\x1c\x99C" + b"\x10\x04\x01"
            + b"\x1bp\x00\x19\xfa" + b"\x1d(L\x02\x00\x30\x45" + b"OK\n")
    assert decode_escpos(data) == "ABCOK"


def test_truncated_commands_at_the_end_are_dropped() -> None:
    assert decode_escpos(b"tail\n\x1d(k\x10\x00\x31") == "tail"
    assert decode_escpos(b"x\x1c&\xc7") == "x"


def test_cut_commands_of_every_form() -> None:
    for cut in (b"\x1dV\x00", b"\x1dV1", b"\x1dVA\x03", b"\x1dVB\x00"):
        assert decode_escpos(b"a\n" + cut) == "a\n" + CUT_LINE


@given(data=st.binary(max_size=400))
def test_decoder_never_raises_on_random_bytes(data: bytes) -> None:
    assert isinstance(decode_escpos(data, columns=32), str)
