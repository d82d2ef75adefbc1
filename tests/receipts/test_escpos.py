from __future__ import annotations

import re

import pytest

from xpos.core.slips import SaleSlip, VoucherSlip, sale_slip, voucher_slip
from xpos.model import Align, Document, Feed, QrCode, TextLine
from xpos.receipts.escpos import encode_chinese, render

SMALL = Document(
    name="golden",
    elements=(
        TextLine(text="签购单 SALE", align=Align.CENTER, bold=True),
        TextLine(text="￥12.34", double=True),
        QrCode(data="X1"),
        Feed(lines=1),
    ),
    cut=True,
)

GOLDEN_HEX = "".join([
    "1b40",                                  # ESC @ initialise
    "1b7434",                                # ESC t 52: CP437 in the POS-5890 profile
    "1d2100" "1b4501" "1b6101",              # GS ! normal, ESC E bold, ESC a centre
    "1c26" "c7a9b9bab5a5" "1c2e",            # FS & 签购单 (GB18030) FS .
    "2053414c45" "0a",                       # " SALE" LF
    "1d2111" "1b4500" "1b6100",              # GS ! double width+height, bold off, left
    "1c26" "a3a4" "1c2e" "31322e3334" "0a",  # FS & ￥ FS . "12.34" LF
    "1d2100" "1b4500" "1b6101",              # normal, bold off, centre for the QR code
    "1d286b0400314132" "00",                 # GS ( k: model 2
    "1d286b0300314306",                      # module size 6
    "1d286b0300314530",                      # error correction L
    "1d286b050031503058" "31",               # store "X1"
    "1d286b0300315130" "0a",                 # print, LF
    "0a",                                    # Feed(1)
    "1b6406",                                # ESC d 6: POS-5890 cut() only feeds
    "1d564200",                              # GS V B 0: feed to cutter and cut
])


def test_small_document_renders_to_golden_bytes() -> None:
    assert render(SMALL).hex() == GOLDEN_HEX


def test_profile_with_a_cutter_uses_its_own_cut() -> None:
    data = render(SMALL, profile="TM-T88V")
    assert data.endswith(b"\x1bd\x06\x1dV\x00")


def test_document_without_cut_has_no_cut_command() -> None:
    data = render(Document(name="x", elements=(TextLine(text="A"),), cut=False))
    assert b"\x1dV" not in data


def test_chinese_runs_are_wrapped_in_fs_and_gb18030() -> None:
    assert encode_chinese("消费，") == b"\x1c&" + "消费，".encode("gb18030") + b"\x1c."


def _outside_chinese_mode(data: bytes) -> bytes:
    return re.sub(rb"\x1c&.*?\x1c\.", b"", data, flags=re.S)


def test_every_non_ascii_byte_of_a_slip_is_inside_chinese_mode(
    sale: SaleSlip, voucher: VoucherSlip
) -> None:
    for doc in (sale_slip(sale, copy="merchant"), voucher_slip(voucher)):
        data = render(doc)
        assert b"\x1c&" in data
        outside = _outside_chinese_mode(data)
        assert all(b < 0x80 for b in outside)


def test_amount_uses_the_gbk_fullwidth_yuan_bytes(sale: SaleSlip) -> None:
    data = render(sale_slip(sale, copy="customer"))
    assert b"\x1c&\xa3\xa4\x1c.12.34\n" in data
    assert "¥".encode("gb18030") not in data


@pytest.mark.parametrize("profile", ["POS-5890", "ZJ-5870", "NT-5890K", "TM-T20II"])
def test_slips_render_on_the_common_profiles(sale: SaleSlip, profile: str) -> None:
    data = render(sale_slip(sale, copy="merchant"), profile=profile)
    assert data.startswith(b"\x1b@")
    assert b"\x1dV" in data[-8:]
