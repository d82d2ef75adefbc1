"""Golden slips: the card slips (sale, void, refund, the pre-auth family) byte for byte.

The digests are SHA-256 of the ESC/POS bytes each layout renders to (POS-5890 profile),
recorded before the pre-auth layouts were made to share the sale slip's block builders:
any change to any byte of any of these slips fails here. The pre-authorisation void's
merchant copy is also spelled out element by element, so a failure shows what moved.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from xpos.core.slips import (
    RefundSlip,
    SaleSlip,
    VoidSlip,
    refund_slip,
    sale_slip,
    void_slip,
)
from xpos.core.slips_preauth import PreauthSlip, preauth_slip
from xpos.model import Align, Document, Feed, TextLine
from xpos.receipts.escpos import render

BASE: dict[str, object] = dict(
    merchant_name="北京烤鸭店 PEKING DUCK", mid="123456789012345", tid="12345678",
    operator="01", masked_pan="621234*********4567", expiry="3012", batch=1, stan=123,
    auth_code="A12345", rrn="240102123456", when=datetime(2024, 1, 2, 12, 34, 56), amount=1234)


def _document(name: str, copy: str) -> Document:
    base = dict(BASE)
    match name:
        case "sale":
            return sale_slip(SaleSlip(**base), copy=copy)  # type: ignore[arg-type]
        case "sale-noexp":
            return sale_slip(SaleSlip(**{**base, "expiry": ""}), copy=copy)  # type: ignore[arg-type]
        case "void":
            return void_slip(VoidSlip(**base, original_stan=122), copy=copy)  # type: ignore[arg-type]
        case "refund":
            return refund_slip(RefundSlip(**base, original_rrn="240101000001",  # type: ignore[arg-type]
                                          original_date="0101"), copy=copy)
    return preauth_slip(_preauth(name), copy=copy)


def _preauth(kind: str) -> PreauthSlip:
    extras: dict[str, dict[str, object]] = {
        "preauth": {},
        "preauth_void": dict(original_stan=120, original_auth="A11111", original_date="0102"),
        "completion": dict(original_auth="A11111", original_date="0102"),
        "completion_void": dict(original_stan=121, reprint=True),
    }
    return PreauthSlip(**{**BASE, **extras[kind]}, kind=kind)  # type: ignore[arg-type]


GOLDEN_SHA256 = {
    ("sale", "merchant"): "cf97e8f3b07f1afd7f23cb1e597ee61959168be16e711c6a2f01276f505547c9",
    ("sale-noexp", "merchant"): "30dd7bccd19d18aaa8b784bbccf445ebb9215386fe320c12839fdcb9d70b3713",
    ("void", "merchant"): "86ab2ada2528cb2aa3f72b01a1f8ad02efe2443d44cfaec36d1e5128830d1b45",
    ("refund", "merchant"): "bb8239e96b4fa18a0cb333b4455c48ef7a773ebfea1df5839fa6bda14f6be06d",
    ("preauth", "merchant"): "3afff54dfbdb4464c708ce6b6e44e0857e43dadd6bdbd82888e65a5a31f2f31f",
    ("preauth_void", "merchant"):
        "0475fda47272968c8ffce52c1197d002cb7df2409eaf99ec52416c9df1888c20",
    ("completion", "merchant"): "ba17f5e38d44dd5c5f4e74376f7492eec33ebbb4f02adb4b7d1bb74212f263f5",
    ("completion_void", "merchant"):
        "5f59015ba65d4d84dac52a7e5e1acec0ca762ae9c9816aba0c4e0c8fde18c0cf",
    ("sale", "customer"): "7e2c883310c6271c01cac5e9d777e8a6c00697f33e6bae3e46c34726701ea3bb",
    ("sale-noexp", "customer"): "e45ab8181092a8a860884564c5d553ec0e66b0f867ee4f63ccf5e2240cb789c5",
    ("void", "customer"): "77584abfc1939fd425c8fa38d963674a904add09624f2cda9f740ce2adf3068b",
    ("refund", "customer"): "f685811a86dd923d00f5da6f310cd86c983d806973fbd61c4469f03b2b62c5e4",
    ("preauth", "customer"): "dddd6a3ac159bfeff4733fe6ec0a55b14f8357a927bdef6ac5712efe9333e352",
    ("preauth_void", "customer"):
        "c3568cb32771f76f1223ff21fae954a2382352e908e21e8e55d4c879cecfa86e",
    ("completion", "customer"): "a3f2cc93f48d06cbb787c4089b73bd797c897140e170a6f092c907212ed5bd0d",
    ("completion_void", "customer"):
        "32b1a67085b19c33d17e9be4cc1223ca3f573e7e03fa6b5e964c10d15d9ddb8e",
}


@pytest.mark.parametrize(("name", "copy"), sorted(GOLDEN_SHA256))
def test_card_slips_render_to_their_golden_bytes(name: str, copy: str) -> None:
    data = render(_document(name, copy))
    assert hashlib.sha256(data).hexdigest() == GOLDEN_SHA256[(name, copy)]


RULE = "-" * 32
PREAUTH_VOID_MERCHANT = [
    ("签购单 POS SALES SLIP", "BC"),
    ("商户存根 MERCHANT COPY", "C"),
    (RULE, ""),
    ("商户名称 MERCHANT NAME:", ""),
    ("北京烤鸭店 PEKING DUCK", ""),
    ("商户编号 MERCHANT NO.:", ""),
    ("123456789012345", ""),
    ("终端编号 TERMINAL NO.: 12345678", ""),
    ("操作员号 OPERATOR NO.: 01", ""),
    (RULE, ""),
    ("卡号 CARD NO.:", ""),
    ("621234*********4567", "B"),
    ("交易类型 TRANS TYPE:", ""),
    ("预授权撤销/PRE-AUTH VOID", ""),
    ("授权码 AUTH NO.:", ""),
    ("A12345", "BD"),
    ("原凭证号 ORIG. TRACE NO.: 000120", ""),
    ("原授权码 ORIG. AUTH NO.: A11111", ""),
    ("原交易日期 ORIG. DATE: 0102", ""),
    ("批次号 BATCH NO.: 000001", ""),
    ("凭证号 TRACE NO.: 000123", ""),
    ("参考号 REF. NO.: 240102123456", ""),
    ("日期/时间 DATE/TIME:", ""),
    ("2024/01/02 12:34:56", ""),
    ("金额 AMOUNT:", ""),
    ("￥12.34", "BD"),
    (RULE, ""),
    ("持卡人签名 CARDHOLDER SIGNATURE", ""),
    ("<feed 3>", ""),
    (RULE, ""),
    ("本人确认以上交易，", ""),
    ("同意将其记入本卡账户", ""),
    ("I AGREE TO THE ABOVE TRANSACTION", ""),
]


def _spelled(document: Document) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for e in document.elements:
        if isinstance(e, TextLine):
            flags = (("B", e.bold), ("D", e.double), ("C", e.align is Align.CENTER))
            out.append((e.text, "".join(c for c, on in flags if on)))
        elif isinstance(e, Feed):
            out.append((f"<feed {e.lines}>", ""))
    return out


def test_the_preauth_void_merchant_copy_element_by_element() -> None:
    document = _document("preauth_void", "merchant")
    assert (document.name, document.cut) == ("preauth_void-merchant", True)
    assert _spelled(document) == PREAUTH_VOID_MERCHANT
