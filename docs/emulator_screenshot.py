"""Make docs/emulator.svg and docs/emulator.png from a real emulator run.

Runs the emulator headless (Textual's ``run_test``) at 100 × 32 on a fresh data
directory, does a ¥12.34 sale with alice's card by keyboard, and saves Textual's SVG
screenshot; ``rsvg-convert`` (Debian ``librsvg2-bin``, with ``fonts-wqy-microhei`` for
the Chinese) turns it into the PNG. Usage::

    .venv/bin/python docs/emulator_screenshot.py
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from xpos.emulator.app.launch import EmulatorOptions, build_app
from xpos.refhost.seed import DEMO

HERE = Path(__file__).resolve().parent
SIZE = (100, 32)
FONTS = "'DejaVu Sans Mono', 'WenQuanYi Micro Hei Mono', monospace"


async def _sale_screenshot(data_dir: Path) -> str:
    app = build_app(EmulatorOptions(data_dir=data_dir))
    async with app.run_test(size=SIZE) as pilot:
        await app.started.wait()
        await app.settle()

        async def keys(*names: str) -> None:
            await pilot.press(*names)
            await app.settle()
            await pilot.pause()

        await keys("2")
        await keys("1", "2", "3", "4", "enter")
        await keys("s")
        await keys("1")
        await keys(*DEMO.card("alice").pin, "enter")
        svg = app.export_screenshot(title="xpos emulator")
        await pilot.press("ctrl+q")
    return svg


def for_rsvg(svg: str) -> str:
    """Fonts installed here (rsvg-convert does not fetch Textual's web font), and
    spaces kept as they are (centred slip lines start with spaces)."""
    svg = re.sub(r'font-family: "?Fira Code"?, monospace', f"font-family: {FONTS}", svg)
    return svg.replace("<svg ", '<svg xml:space="preserve" ', 1)


def main() -> None:
    """Write docs/emulator.svg and docs/emulator.png."""
    with tempfile.TemporaryDirectory() as tmp:
        svg = for_rsvg(asyncio.run(_sale_screenshot(Path(tmp))))
    svg_path, png_path = HERE / "emulator.svg", HERE / "emulator.png"
    svg_path.write_text(svg, encoding="utf-8")
    converter = shutil.which("rsvg-convert")
    if converter is None:
        raise SystemExit("rsvg-convert not found (apt-get install librsvg2-bin)")
    subprocess.run([converter, str(svg_path), "-o", str(png_path)], check=True)


if __name__ == "__main__":
    main()
