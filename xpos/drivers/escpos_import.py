"""Import python-escpos's printer classes without leaving temporary folders behind.

python-escpos makes a new temporary folder for its capabilities cache in every process
that imports it, unless ``ESCPOS_CAPABILITIES_PICKLE_DIR`` is set, and calls
``mkdtemp()`` even then. This does what :func:`xpos.receipts.escpos._dummy_class` does
for the renderer (the drivers layer may not import the receipts layer): the cache goes
to ``$ESCPOS_CAPABILITIES_PICKLE_DIR``, else ``$XDG_CACHE_HOME/xpos/escpos``, and the
import's stray ``mkdtemp()`` lands in a scratch folder removed at once. Whichever of
the two imports python-escpos first, the same folder is used.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

CACHE_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def _cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xpos" / "escpos"


@functools.cache
def escpos_printer_classes() -> dict[str, Any]:  # python-escpos has no type hints
    """``{"Network": …, "Serial": …, "Usb": …, "File": …}`` from ``escpos.printer``."""
    folder = _cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK):
            raise PermissionError(str(folder))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="xpos-escpos-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ.setdefault(CACHE_ENV, str(folder))
    with tempfile.TemporaryDirectory(prefix="xpos-escpos-import-") as scratch:
        saved, tempfile.tempdir = tempfile.tempdir, scratch
        try:
            from escpos import printer
        finally:
            tempfile.tempdir = saved
    return {name: getattr(printer, name) for name in ("Network", "Serial", "Usb", "File")}
