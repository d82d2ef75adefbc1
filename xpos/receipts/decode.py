"""ESC/POS decoder: printer bytes -> the lines a printer would print (pure).

Theory of operation
-------------------
A small printer model walks the bytes once. Printable bytes go to the current line, in
the current code table (``ESC t``) or, inside Chinese mode (``FS &`` … ``FS .``), as
GB18030 (1, 2 or 4 bytes). ``LF`` ends a line; with ``columns`` set, a line that is
full wraps as on paper (CJK and double-width characters take more columns).

Understood: ``ESC @ ! E - a t M d p J 2 3 SP``, ``GS ! B V k v0 ( k``, ``FS & . !``,
``DLE EOT/DC4``. Every other command is skipped by its known length, or by two bytes if
unknown; bytes cut off at the end are dropped. Nothing raises on bad input. QR codes
print as ``[QR:data]``, barcodes as ``[BARCODE:data]``, raster images as
``[IMAGE WxH]`` and a cut as :data:`CUT_LINE`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from xpos.model import Align
from xpos.model.textwidth import text_width

CUT_LINE = "✂" * 16
ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A
_CODE_TABLES = {0: "cp437", 1: "cp932", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865",
                16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858"}
_ALIGNS = {0: Align.LEFT, 1: Align.CENTER, 2: Align.RIGHT}
# Commands skipped by a fixed number of parameter bytes.
_ESC_SKIP = {0x20: 1, 0x24: 2, 0x25: 1, 0x2D: 1, 0x32: 0, 0x33: 1, 0x3D: 1, 0x3F: 1,
             0x47: 1, 0x4A: 1, 0x4D: 1, 0x52: 1, 0x53: 0, 0x54: 1, 0x56: 1, 0x63: 2,
             0x65: 1, 0x69: 0, 0x6D: 0, 0x70: 3, 0x72: 1, 0x7B: 1, 0x4C: 0}
_GS_SKIP = {0x42: 1, 0x48: 1, 0x4C: 2, 0x57: 2, 0x66: 1, 0x68: 1, 0x77: 1, 0x61: 1,
            0x72: 1, 0x49: 1, 0x2F: 1, 0x50: 2, 0x24: 2, 0x5C: 2, 0x62: 1}
_FS_SKIP = {0x21: 1, 0x2D: 1, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2}
_DLE_SKIP = {0x04: 1, 0x05: 1, 0x14: 3}


@dataclass(frozen=True, kw_only=True)
class PrintedLine:
    """One printed line.

    Attributes:
        text: The characters, or ``[QR:…]``/``[BARCODE:…]``/``[IMAGE WxH]``/cut line.
        align: Alignment in force when the line started.
        bold: Emphasis in force when the line started.
        double_width: Width multiplier > 1 when the line started.
        double_height: Height multiplier > 1 when the line started.
        columns: Printed width in columns.
    """

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    columns: int = 0


#: Printable ASCII (the common case) is decoded a run at a time, not byte by byte.
_ASCII_RUN = re.compile(rb"[\x20-\x7e]+")


class _Truncated(Exception):
    """The data ended inside a command."""


class _Printer:
    def __init__(self, data: bytes, columns: int | None) -> None:
        self.data, self.pos, self.columns = data, 0, columns
        self.lines: list[PrintedLine] = []
        self.chars: list[str] = []
        self.used = 0
        self.start: PrintedLine | None = None
        self.qr_data = ""
        self.reset()

    def reset(self) -> None:
        self.align, self.bold, self.chinese, self.table = Align.LEFT, False, False, 0
        self.width = self.height = 1

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise _Truncated
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def until_nul(self) -> bytes:
        end = self.data.find(b"\x00", self.pos)
        if end < 0:
            raise _Truncated
        return self.take(end - self.pos + 1)[:-1]

    def put_char(self, char: str) -> None:
        width = text_width(char) * self.width
        if self.columns and self.chars and self.used + width > self.columns:
            self.end_line()
        if not self.chars:
            self.start = PrintedLine(text="", align=self.align, bold=self.bold,
                                     double_width=self.width > 1, double_height=self.height > 1)
        self.chars.append(char)
        self.used += width

    def end_line(self) -> None:
        start = self.start or PrintedLine(text="", align=self.align)
        text = "".join(self.chars)
        self.lines.append(PrintedLine(text=text, align=start.align, bold=start.bold,
                                      double_width=start.double_width,
                                      double_height=start.double_height, columns=self.used))
        self.chars, self.used, self.start = [], 0, None

    def flush(self) -> None:
        if self.chars:
            self.end_line()

    def special(self, text: str, align: Align = Align.LEFT) -> None:
        self.flush()
        self.lines.append(PrintedLine(text=text, align=align, columns=text_width(text)))

    def put_ascii(self, run: str) -> None:
        """A run of printable ASCII: in one go unless lines wrap at ``columns``."""
        if self.columns:
            for char in run:
                self.put_char(char)
            return
        if not self.chars:
            self.start = PrintedLine(text="", align=self.align, bold=self.bold,
                                     double_width=self.width > 1, double_height=self.height > 1)
        self.chars.append(run)
        self.used += len(run) * self.width

    def run(self) -> list[PrintedLine]:
        try:
            while self.pos < len(self.data):
                ascii_run = _ASCII_RUN.match(self.data, self.pos)
                if ascii_run is not None:
                    self.put_ascii(ascii_run.group().decode("ascii"))
                    self.pos = ascii_run.end()
                    continue
                self.step(self.byte())
        except _Truncated:
            pass
        self.flush()
        return self.lines

    def step(self, byte: int) -> None:
        handler = _PREFIXES.get(byte)
        if handler is not None:
            handler(self, self.byte())
        elif byte == LF:
            self.end_line()
        elif byte >= 0x20 and byte != 0x7F:
            self.put_char(self.decode_char(byte))

    def decode_char(self, byte: int) -> str:
        if byte < 0x80:
            return chr(byte)
        if self.chinese:
            return self.decode_gb18030(byte)
        return bytes([byte]).decode(_CODE_TABLES.get(self.table, "ascii"), "replace")

    def decode_gb18030(self, lead: int) -> str:
        if not 0x81 <= lead <= 0xFE:
            return "\ufffd"
        second = self.byte()
        rest = self.take(2) if 0x30 <= second <= 0x39 else b""
        return bytes([lead, second, *rest]).decode("gb18030", "replace")


def _esc(p: _Printer, cmd: int) -> None:
    if cmd == 0x40:  # @ initialise
        p.reset()
    elif cmd == 0x21:  # ! print mode
        mode = p.byte()
        p.bold, p.height, p.width = bool(mode & 8), 2 if mode & 16 else 1, 2 if mode & 32 else 1
    elif cmd == 0x45:  # E emphasis
        p.bold = bool(p.byte() & 1)
    elif cmd == 0x61:  # a alignment
        p.align = _ALIGNS.get(p.byte() % 48, Align.LEFT)
    elif cmd == 0x74:  # t code table
        p.table = p.byte()
    elif cmd == 0x64:  # d print and feed n lines
        count = p.byte() - (1 if p.chars else 0)
        p.flush()
        p.lines.extend(PrintedLine(text="") for _ in range(count))
    elif cmd == 0x2A:  # * bit image: m nL nH data
        mode, low, high = p.take(3)
        p.take((low + 256 * high) * (3 if mode >= 32 else 1))
    elif cmd == 0x44:  # D tab stops, NUL-terminated
        p.until_nul()
    else:
        p.take(_ESC_SKIP.get(cmd, 0))


def _gs(p: _Printer, cmd: int) -> None:
    if cmd == 0x21:  # ! character size
        size = p.byte()
        p.width, p.height = (size >> 4) + 1, (size & 15) + 1
    elif cmd == 0x56:  # V cut
        if p.byte() in (65, 66, 97, 98, 103, 104):
            p.take(1)
        p.special(CUT_LINE)
    elif cmd == 0x6B:  # k barcode
        _barcode(p)
    elif cmd == 0x76:  # v 0 raster image
        _, _, xl, xh, yl, yh = p.take(6)
        p.take((xl + 256 * xh) * (yl + 256 * yh))
        p.special(f"[IMAGE {8 * (xl + 256 * xh)}x{yl + 256 * yh}]")
    elif cmd in (0x28, 0x38):  # ( x pL pH … / 8 L p1..p4 …
        _function(p, cmd)
    else:
        p.take(_GS_SKIP.get(cmd, 0))


def _barcode(p: _Printer) -> None:
    kind = p.byte()
    data = p.until_nul() if kind <= 6 else p.take(p.byte())
    p.special(f"[BARCODE:{data.decode('ascii', 'replace')}]")


def _function(p: _Printer, cmd: int) -> None:
    name = p.byte()
    size_bytes = p.take(4 if cmd == 0x38 else 2)
    payload = p.take(int.from_bytes(size_bytes, "little"))
    if cmd != 0x28 or name != 0x6B or len(payload) < 2 or payload[0] != 0x31:
        return
    if payload[1] == 0x50:  # store QR data: cn fn m data
        p.qr_data = payload[3:].decode("utf-8", "replace")
    elif payload[1] == 0x51:  # print the stored QR code
        p.special(f"[QR:{p.qr_data}]", p.align)


def _fs(p: _Printer, cmd: int) -> None:
    if cmd in (0x26, 0x2E):  # & enter / . leave Chinese mode
        p.chinese = cmd == 0x26
    else:
        p.take(_FS_SKIP.get(cmd, 0))


def _dle(p: _Printer, cmd: int) -> None:
    p.take(_DLE_SKIP.get(cmd, 0))


_PREFIXES: dict[int, Callable[[_Printer, int], None]] = {ESC: _esc, GS: _gs, FS: _fs, DLE: _dle}


def decode_lines(data: bytes, *, columns: int | None = None) -> list[PrintedLine]:
    """Decode ESC/POS bytes into printed lines with their style.

    Args:
        data: Printer bytes.
        columns: Paper width in columns to wrap at (``None``: lines as sent).
    """
    return _Printer(data, columns).run()


def _layout(line: PrintedLine, columns: int | None) -> str:
    if columns is None or line.align is Align.LEFT:
        return line.text
    free = max(0, columns - line.columns)
    return " " * (free // 2 if line.align is Align.CENTER else free) + line.text


def decode_escpos(data: bytes, *, columns: int | None = None) -> str:
    """Decode ESC/POS bytes to the text a printer would print, one line per line.

    Args:
        data: Printer bytes.
        columns: Paper width: with it, lines wrap and centred/right lines are padded
            as on paper (32 for 58 mm); ``None`` keeps each line as sent.
    """
    lines = decode_lines(data, columns=columns)
    return "\n".join(_layout(line, columns).rstrip() for line in lines)
