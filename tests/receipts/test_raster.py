"""Chinese as pictures: GS v 0 raster (golden), slip lines drawn with a CJK font."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from xpos.model import Align, Document, TextLine
from xpos.receipts import raster
from xpos.receipts.decode import decode_escpos
from xpos.receipts.escpos import render, render_for
from xpos.receipts.raster import FontMissingError, line_image, raster_bytes

needs_font = pytest.mark.skipif(
    not any(os.path.isfile(f) for f in raster.FONT_CANDIDATES),
    reason="no CJK font installed (Debian fonts-wqy-microhei)")


def test_raster_golden() -> None:
    assert raster_bytes(1, 2, b"\x80\x01") == bytes.fromhex("1d763000" "0100" "0200" "8001")
    assert raster_bytes(48, 300, b"\0" * 48 * 300)[:8] == bytes.fromhex("1d763000" "3000"
                                                                         "2c01")
    with pytest.raises(ValueError):
        raster_bytes(2, 2, b"\0\0\0")


def _bits(job: bytes) -> tuple[int, int, bytes]:
    assert job[:4] == b"\x1dv0\x00"
    width, height = int.from_bytes(job[4:6], "little"), int.from_bytes(job[6:8], "little")
    return width, height, job[8:]


@needs_font
def test_a_line_is_drawn_black_on_white_and_aligned() -> None:
    width, height, bits = _bits(line_image("签购单", align=Align.CENTER))
    assert (width, height) == (48, 28) and len(bits) == width * height
    rows = [bits[r * width:(r + 1) * width] for r in range(height)]
    inked = {c for row in rows for c, byte in enumerate(row) if byte}
    assert inked and min(inked) > 10 and max(inked) < 38  # centred, not at the edges
    left = {c for row in _rows(line_image("签购单")) for c, b in enumerate(row) if b}
    assert min(left) == 0  # left-aligned starts at the edge
    assert _bits(line_image("金额", double=True))[1] == 52
    bold = sum(bin(b).count("1") for b in _bits(line_image("签购单", bold=True))[2])
    assert bold > sum(bin(b).count("1") for b in bits)


def _rows(job: bytes) -> list[bytes]:
    width, height, bits = _bits(job)
    return [bits[r * width:(r + 1) * width] for r in range(height)]


@needs_font
def test_image_mode_draws_only_the_chinese_lines() -> None:
    doc = Document(name="t", elements=(TextLine(text="签购单 POS SLIP", align=Align.CENTER),
                                       TextLine(text="TID 10000001")), cut=False)
    assert decode_escpos(render(doc, chinese="image")) == "[IMAGE 384x28]\nTID 10000001"
    kept, sent = render_for(doc, SimpleNamespace(profile="POS-5890", chinese="image"))
    assert kept == render(doc) and decode_escpos(kept).startswith("签购单 POS SLIP")
    assert sent == render(doc, chinese="image")
    same = render_for(doc, SimpleNamespace())
    assert same == (kept, kept)


def test_without_a_cjk_font_the_printer_gets_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(raster, "FONT_CANDIDATES", ())
    monkeypatch.setenv(raster.FONT_ENV, "/no/such/font.ttc")
    with pytest.raises(FontMissingError, match="fonts-wqy-microhei"):
        raster.cjk_font_path()
    doc = Document(name="t", elements=(TextLine(text="签购单"),), cut=False)
    kept, sent = render_for(doc, SimpleNamespace(chinese="image"))
    assert sent == kept == render(doc)
