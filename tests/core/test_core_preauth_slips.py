"""Pre-authorisation slips and totals: the auth code prominent, holds are not sales."""

from __future__ import annotations

from datetime import datetime

import pytest

from xpos.core.flows.totals import screen_lines
from xpos.core.slips import TotalsLine, net_amount
from xpos.core.slips_preauth import PreauthSlip, preauth_slip
from xpos.model import TextLine


def slip(kind: str = "preauth", **extra: object) -> PreauthSlip:
    values: dict[str, object] = dict(
        merchant_name="Shop", mid="123456789012345", tid="12345678", operator="01",
        masked_pan="621234*********4567", expiry="3012", batch=1, stan=9,
        auth_code="654321", rrn="250115000009", when=datetime(2025, 1, 15, 10, 30),
        amount=5000, kind=kind)
    values.update(extra)
    return PreauthSlip(**values)  # type: ignore[arg-type]


def texts(kind: str, copy: str = "customer", **extra: object) -> list[TextLine]:
    doc = preauth_slip(slip(kind, **extra), copy=copy)
    return [e for e in doc.elements if isinstance(e, TextLine)]


def test_a_preauth_slip_shows_the_held_amount_and_the_auth_code_in_double_size() -> None:
    lines = texts("preauth")
    shown = [line.text for line in lines]
    assert "交易类型 TRANS TYPE:" in shown and "预授权/PRE-AUTH" in shown
    assert "预授权金额 HELD AMOUNT:" in shown and "金额 AMOUNT:" not in shown
    code = next(line for line in lines if line.text == "654321")
    assert code.double and code.bold


def test_a_completion_slip_names_its_original_and_the_merchant_copy_has_a_signature() -> None:
    shown = [line.text for line in texts("completion", "merchant", original_stan=9,
                                         original_auth="654321", original_date="0115")]
    assert "预授权完成/AUTH COMPLETE" in " ".join(shown)
    assert "原凭证号 ORIG. TRACE NO.: 000009" in shown and "金额 AMOUNT:" in shown
    assert any("持卡人签名" in text for text in shown)


@pytest.mark.parametrize(("extra", "copy"), [
    ({"masked_pan": "6212345678901234567"}, "customer"),
    ({"kind": "refund"}, "customer"),
    ({}, "bank"),
])
def test_bad_slips_are_refused(extra: dict[str, object], copy: str) -> None:
    with pytest.raises(ValueError):
        preauth_slip(slip(**extra), copy=copy)


def test_holds_are_not_sales_completions_are_and_their_voids_subtract() -> None:
    lines = (TotalsLine(domain="bank", kind="sale", count=1, amount=1000),
             TotalsLine(domain="bank", kind="preauth", count=2, amount=9000),
             TotalsLine(domain="bank", kind="preauth_void", count=1, amount=4000),
             TotalsLine(domain="bank", kind="completion", count=1, amount=4500),
             TotalsLine(domain="bank", kind="completion_void", count=1, amount=500))
    assert net_amount(lines) == 1000 + 4500 - 500
    rows = screen_lines("zh", 1, lines)
    assert "预授权 2笔" in rows and "合计 3笔" in rows
