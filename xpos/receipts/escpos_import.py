"""The one lazy import of python-escpos, without leaving temporary folders behind.

python-escpos makes a new temporary folder for its capabilities cache in every process
that imports it, unless ``ESCPOS_CAPABILITIES_PICKLE_DIR`` is set, and calls
``mkdtemp()`` even then. :func:`escpos_printer_module` imports ``escpos.printer`` once per
process with the cache in :func:`escpos_cache_dir` and the import's stray ``mkdtemp()``
in a scratch folder removed at once. The renderer (:mod:`xpos.receipts.escpos`, its
``Dummy``) and the printer drivers (:mod:`xpos.drivers.escpos_import`) both use it.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

#: Where python-escpos keeps its capabilities cache (it reads this when imported).
CACHE_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def escpos_cache_dir() -> Path:
    """The lasting folder for python-escpos's capabilities cache.

    ``$ESCPOS_CAPABILITIES_PICKLE_DIR`` when set, else ``$XDG_CACHE_HOME/xpos/escpos``
    (``~/.cache/xpos/escpos``). Left unset, python-escpos makes a new temporary folder
    in every process that imports it and never removes it.
    """
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xpos" / "escpos"


@functools.cache
def escpos_printer_module() -> Any:  # python-escpos has no type hints
    """``escpos.printer``, imported with its cache in :func:`escpos_cache_dir`.

    When that folder cannot be made (a read-only home), a private temporary folder is
    used and removed when the process exits, so nothing is left behind either way.
    """
    folder = escpos_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK):
            raise PermissionError(str(folder))
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="xpos-escpos-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ[CACHE_ENV] = str(folder)
    # python-escpos calls mkdtemp() on import even when the variable is set (it is the
    # default argument of environ.get): point tempfile at a scratch folder removed here.
    with tempfile.TemporaryDirectory(prefix="xpos-escpos-import-") as scratch:
        saved, tempfile.tempdir = tempfile.tempdir, scratch
        try:
            from escpos import printer
        finally:
            tempfile.tempdir = saved
    return printer
