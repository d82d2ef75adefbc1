"""python-escpos's printer classes, from the one lazy import in :mod:`xpos.receipts`.

:func:`xpos.receipts.escpos_import.escpos_printer_module` imports python-escpos once per
process with its capabilities cache in a lasting folder and no stray temporary folder;
the renderer's ``Dummy`` and these classes come from that same import.
"""

from __future__ import annotations

from typing import Any

from xpos.receipts.escpos_import import CACHE_ENV, escpos_printer_module

__all__ = ["CACHE_ENV", "escpos_printer_classes"]


def escpos_printer_classes() -> dict[str, Any]:  # python-escpos has no type hints
    """``{"Network": …, "Serial": …, "Usb": …, "File": …}`` from ``escpos.printer``."""
    printer = escpos_printer_module()
    return {name: getattr(printer, name) for name in ("Network", "Serial", "Usb", "File")}
