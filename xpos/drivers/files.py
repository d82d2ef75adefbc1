"""File backends: ``file:`` display and ``file:`` printer.

They make what a terminal shows and prints readable outside its process: by an
integration test of ``xpos run``, or a person on a bench machine without the hardware.

* ``display = "file:///run/xpos/screen.txt?rows=8&cols=20"``: every screen replaces the
  file's contents (written to a temporary file and renamed over it, so a reader never
  sees half a screen), one line per row, fitted like the fake display.
* ``printer = "file:///var/tmp/receipts.bin"``: every print job's raw ESC/POS bytes are
  appended to the file and flushed; ``xpos.receipts.decode.decode_escpos`` turns them
  back into text. The printer never runs out of paper.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from xpos.drivers.fakes import DEFAULT_COLS, DEFAULT_ROWS, FakeDisplay
from xpos.drivers.fifo import device_path
from xpos.drivers.url import DeviceUrl
from xpos.errors import DeviceError

log = logging.getLogger(__name__)


class FileDisplay:
    """A display that keeps its current screen in a text file.

    Args:
        path: The file (its directory must exist).
        rows: Number of lines.
        cols: Columns per line (a CJK character takes 2).
    """

    def __init__(self, path: Path, *, rows: int = DEFAULT_ROWS, cols: int = DEFAULT_COLS) -> None:
        self.path = path
        self._screen = FakeDisplay(rows=rows, cols=cols)
        self._write()

    @property
    def lines(self) -> tuple[str, ...]:
        """The lines on screen now."""
        return self._screen.lines

    def show(self, lines: Sequence[str]) -> None:
        """Show ``lines`` and write them to the file (a write error is logged, not raised)."""
        self._screen.show(lines)
        try:
            self._write()
        except DeviceError as exc:
            log.error("%s", exc)

    def _write(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            temporary.write_text("".join(line + "\n" for line in self.lines), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            raise DeviceError(f"display file {self.path}: {exc.strerror}") from exc


class FilePrinter:
    """A printer appending ESC/POS bytes to a file.

    Args:
        path: The file (created if missing; its directory must exist).

    Raises:
        DeviceError: the file cannot be opened.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file: BinaryIO | None = path.open("ab")
        except OSError as exc:
            raise DeviceError(f"printer file {path}: {exc.strerror}") from exc

    @property
    def paper_ok(self) -> bool:
        """Always True: a file does not run out of paper."""
        return True

    def print_bytes(self, data: bytes) -> None:
        """Append ``data`` and flush it.

        Raises:
            DeviceError: the printer was closed or the write failed.
        """
        if self._file is None:
            raise DeviceError(f"printer file {self.path} is closed")
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:
            raise DeviceError(f"printer file {self.path}: {exc.strerror}") from exc

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._file is not None:
            self._file.close()
            self._file = None
            log.info("printer file %s closed", self.path)


def open_file_display(url: DeviceUrl) -> FileDisplay:
    """Registry factory: ``file:///path?rows=8&cols=20`` displays.

    Raises:
        ConfigError: a bad URL or parameter.
        DeviceError: the file cannot be written.
    """
    url.check_params(("rows", "cols"))
    rows = url.int_param("rows", DEFAULT_ROWS, high=100)
    cols = url.int_param("cols", DEFAULT_COLS, high=400)
    bare = DeviceUrl(raw=url.raw, scheme=url.scheme, netloc=url.netloc, path=url.path)
    return FileDisplay(Path(device_path(bare)), rows=rows, cols=cols)


def open_file_printer(url: DeviceUrl) -> FilePrinter:
    """Registry factory: ``file:///path`` printers.

    Raises:
        ConfigError: a bad URL.
        DeviceError: the file cannot be opened.
    """
    return FilePrinter(Path(device_path(url)))
