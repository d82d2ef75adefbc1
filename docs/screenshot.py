"""Make docs/demo.svg (and docs/demo.png with rsvg-convert) from a real ``xpos demo`` run.

The picture shows three panels taken from the demo's own output: the terminal display
during the sale, the customer copy as decoded from the printer's ESC/POS bytes, and the
masked host transcript. Usage (needs Debian ``librsvg2-bin`` and ``fonts-wqy-microhei``
for the PNG)::

    .venv/bin/python docs/screenshot.py && rsvg-convert docs/demo.svg -o docs/demo.png
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path

from xpos.model.textwidth import text_width
from xpos.testing.demo import run_demo

HERE = Path(__file__).resolve().parent
CELL_W, CELL_H, PAD = 9.0, 19.0, 14.0
FONT = "WenQuanYi Micro Hei Mono, DejaVu Sans Mono, monospace"


def _section(text: str, start: str, end: str) -> list[str]:
    block = text.split(start, 1)[1].split(end, 1)[0]
    return block.strip("\n").splitlines()


def panels(output: str) -> list[tuple[str, list[str], str]]:
    """(title, lines, colour) of the three panels."""
    sale = _section(output, "== 3. sale", "== receipt")
    screens = [line for line in sale if line[:1] in "┌│└" or line.startswith(("keys", "swipe",
                                                                               "PIN"))]
    receipt = _section(output, "持卡人存根 CARDHOLDER COPY", "✂")
    receipt = ["签购单 POS SALES SLIP", "持卡人存根 CARDHOLDER COPY",
               *[r for r in receipt if r.strip()][:20]]
    host = _section(output, "== host transcript", "DEMO OK")
    keep = re.compile(r"^(→host|←host)| (3|4|11|35|39|52|53|60|62|64) ")
    transcript = [line for line in host if keep.search(line)][:34]
    return [("终端显示 DISPLAY", screens, "#1b5e20"),
            ("打印机 PRINTER (ESC/POS decoded)", receipt, "#212121"),
            ("主机报文 HOST (masked)", transcript, "#0d47a1")]


def svg(output: str) -> str:
    """The SVG document."""
    parts, x, height = [], PAD, 0.0
    for title, lines, colour in panels(output):
        cols = max(text_width(line) for line in [title, *lines]) + 2
        width, h = cols * CELL_W, (len(lines) + 2) * CELL_H + PAD
        height = max(height, h)
        parts.append(f'<rect x="{x}" y="{PAD}" width="{width}" height="{h}" rx="8" '
                     f'fill="#fafafa" stroke="{colour}" stroke-width="2"/>')
        parts.append(_text(x + CELL_W, PAD + CELL_H, title, colour, bold=True))
        for row, line in enumerate(lines, start=2):
            parts.append(_text(x + CELL_W, PAD + row * CELL_H, line, colour))
        x += width + PAD
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="{height + 2 * PAD}">'
            f'<rect width="100%" height="100%" fill="#eceff1"/>{"".join(parts)}</svg>\n')


def _text(x: float, y: float, line: str, colour: str, *, bold: bool = False) -> str:
    """One line, each character placed on its own cell(s) so CJK text stays aligned."""
    weight = ' font-weight="bold"' if bold else ""
    spans, col = [], 0
    for char in line:
        if not char.isspace():
            spans.append(f'<tspan x="{x + col * CELL_W}">{escape(char)}</tspan>')
        col += text_width(char)
    return (f'<text y="{y}" font-family="{FONT}" font-size="15" fill="{colour}"{weight}>'
            f'{"".join(spans)}</text>')


def main() -> None:
    """Run the demo and write docs/demo.svg."""
    out = io.StringIO()
    if run_demo(None, out) != 0:
        raise SystemExit(out.getvalue())
    (HERE / "demo.svg").write_text(svg(out.getvalue()), encoding="utf-8")


if __name__ == "__main__":
    main()
