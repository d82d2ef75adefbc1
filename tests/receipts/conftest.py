from __future__ import annotations

from datetime import datetime

import pytest

from xpos.core.slips import SaleSlip, VoucherSlip


@pytest.fixture
def sale() -> SaleSlip:
    return SaleSlip(
        merchant_name="北京烤鸭店 PEKING DUCK", mid="123456789012345", tid="12345678",
        operator="01", masked_pan="621234*********4567", expiry="3012", batch=1, stan=123,
        auth_code="A12345", rrn="240102123456", when=datetime(2024, 1, 2, 12, 34, 56),
        amount=1234,
    )


@pytest.fixture
def voucher() -> VoucherSlip:
    return VoucherSlip(
        merchant_name="好利来蛋糕店", mid="123456789012345", tid="12345678",
        code_masked="************5678", title="8寸生日蛋糕 1个", quantity=2,
        provider="美团 Meituan", stan=124, batch=1, rrn="240102123457",
        when=datetime(2024, 1, 2, 12, 40, 0),
    )
