"""Chinese drawn as pictures: a slip line rendered with a CJK font into ``GS v 0`` raster.

Theory of operation
-------------------
Printers without a Chinese font (or with a poor one) print Chinese best as a picture.
:func:`line_image` draws one slip line with Pillow and a CJK TrueType font onto a 1-bit
image as wide as the paper's print area (384 dots on 58 mm paper at 203 dpi), 24-dot
characters (48 for double size), aligned like the text line, bold with a 1-dot stroke.
:func:`raster_bytes` is the pure encoder of ``GS v 0`` (``1D 76 30 m xL xH yL yH`` +
rows of ``x`` bytes, the most significant bit leftmost, 1 = black).

The font is the first that exists of ``$XPOS_CJK_FONT`` and :data:`FONT_CANDIDATES`
(Debian ``fonts-wqy-microhei``, ``fonts-wqy-zenhei``, ``fonts-noto-cjk``); none is a
:class:`FontMissingError` naming the package to install.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from xpos.model import Align

PAPER_DOTS = 384
DOT_SIZE = 24
FONT_ENV = "XPOS_CJK_FONT"
FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


class FontMissingError(ValueError):
    """No CJK font to draw Chinese with."""


def raster_bytes(width_bytes: int, height: int, bits: bytes) -> bytes:
    """``GS v 0`` (normal density) for a bitmap of ``width_bytes`` x ``height``.

    Raises:
        ValueError: if ``bits`` is not ``width_bytes * height`` bytes long or too big.
    """
    if len(bits) != width_bytes * height or not (0 < width_bytes < 65536 and
                                                 0 < height < 65536):
        raise ValueError("raster size does not match its bits")
    return (b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
            + bits)


def cjk_font_path() -> Path:
    """The CJK font to draw with (see the module doc).

    Raises:
        FontMissingError: none installed.
    """
    for candidate in (os.environ.get(FONT_ENV, ""), *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissingError("no CJK font for Chinese as images: install fonts-wqy-microhei "
                           f"or set {FONT_ENV}")


@functools.cache
def _font(path: Path, size: int) -> Any:  # Pillow's font type
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def line_image(text: str, *, align: Align = Align.LEFT, double: bool = False,
               bold: bool = False, width: int = PAPER_DOTS) -> bytes:
    """One slip line as ``GS v 0`` raster bytes (see the module doc).

    Raises:
        FontMissingError: no CJK font.
    """
    from PIL import Image, ImageDraw

    size = DOT_SIZE * (2 if double else 1)
    font = _font(cjk_font_path(), size)
    height = size + 4
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    length = draw.textlength(text, font=font)
    x = {Align.LEFT: 0.0, Align.CENTER: (width - length) / 2,
         Align.RIGHT: width - length}[align]
    draw.text((max(0.0, x), 2), text, font=font, fill=0, stroke_width=1 if bold else 0,
              stroke_fill=0)
    # Pillow's "1" mode packs 8 pixels per byte, MSB first, 1 = white: invert for the printer.
    bits = bytes(b ^ 0xFF for b in image.tobytes())
    return raster_bytes(width // 8, height, bits)
