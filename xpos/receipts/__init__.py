"""Receipts: pure layouts (:mod:`.layouts`), ESC/POS rendering (:mod:`.escpos`, imports
python-escpos on use) and an ESC/POS decoder for emulators and tests (:mod:`.decode`).

Importing this package imports only the pure layouts.
"""

from xpos.core.slips import SaleSlip, VoucherSlip, sale_slip, voucher_slip
from xpos.model import mask_code

__all__ = ["SaleSlip", "VoucherSlip", "mask_code", "sale_slip", "voucher_slip"]
