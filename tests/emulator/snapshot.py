"""Plain-text snapshots of the emulator screen, with the values that vary masked.

``XPOS_UPDATE_SNAPSHOTS=1`` rewrites ``snapshots/<name>.txt`` instead of comparing.
Masked (each character replaced by ``#``, so columns stay put): the embedded host's
port, dates and times, authorisation codes and reference numbers on the slips, and in
the host pane the fields that carry time, RRN, auth code or MAC (12, 13, 37, 38, 64).
"""

import os
import re
from pathlib import Path

from textual.geometry import Region

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.export import screen_text
from xpos.emulator.app.widgets import HostPane
from xpos.model.textwidth import char_width

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
_ANYWHERE = (
    re.compile(r"127\.0\.0\.1:(\d+)"),
    re.compile(r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)"),
    re.compile(r"AUTH NO\.: (\d+)"),
    re.compile(r"REF\. NO\.: (\d+)"),
)
_HOST_FIELD = re.compile(r"^ *(?:12|13|37|38|64) (\S+)")


def _hash(text: str, pattern: re.Pattern[str]) -> str:
    def mask(match: re.Match[str]) -> str:
        start, end = match.span(1)
        whole = match.group(0)
        offset = match.start(0)
        return whole[: start - offset] + "#" * (end - start) + whole[end - offset:]

    return pattern.sub(mask, text)


def _cells(line: str) -> list[str]:
    cells: list[str] = []
    for char in line:
        cells.append(char)
        cells.extend([""] * (char_width(char) - 1))
    return cells


def _mask_host(line: str, region: Region) -> str:
    cells = _cells(line)
    segment = cells[region.x: region.right]
    if any(cell == "" or char_width(cell) != 1 for cell in segment):
        return line  # a head line with Chinese in it: nothing varies there
    masked = _hash("".join(segment), _HOST_FIELD)
    cells[region.x: region.right] = list(masked)
    return "".join(cells)


def normalised(app: EmulatorApp) -> str:
    """The screen text with the varying values masked."""
    region = app.main.query_one(HostPane).content_region
    lines = screen_text(app).split("\n")
    for row in range(region.y, min(region.bottom, len(lines))):
        lines[row] = _mask_host(lines[row], region)
    text = "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"
    for pattern in _ANYWHERE:
        text = _hash(text, pattern)
    return text


def check_snapshot(app: EmulatorApp, name: str) -> None:
    """Compare the screen with ``snapshots/<name>.txt`` (or rewrite it)."""
    path = SNAPSHOTS / f"{name}.txt"
    text = normalised(app)
    if os.environ.get("XPOS_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
        if os.environ.get("XPOS_UPDATE_SNAPSHOTS") != "1":
            raise AssertionError(f"{path.name} was missing and has been written; check it in")
        return
    assert text == path.read_text(encoding="utf-8"), f"screen differs from {path.name}"
