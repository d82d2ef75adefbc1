from __future__ import annotations

import dataclasses

import pytest

from xpos.core.slips import (
    PAPER_COLUMNS,
    SaleSlip,
    VoucherSlip,
    format_yuan,
    sale_slip,
    voucher_slip,
)
from xpos.model import Align, Document, TextLine, mask_code
from xpos.model.textwidth import text_width


def _texts(doc: Document) -> list[str]:
    return [e.text for e in doc.elements if isinstance(e, TextLine)]


def test_merchant_copy_has_every_field_in_order(sale: SaleSlip) -> None:
    doc = sale_slip(sale, copy="merchant")
    expected = [
        "签购单 POS SALES SLIP", "商户存根 MERCHANT COPY", "商户名称 MERCHANT NAME:",
        "北京烤鸭店 PEKING DUCK", "商户编号 MERCHANT NO.:", "123456789012345",
        "终端编号 TERMINAL NO.: 12345678", "操作员号 OPERATOR NO.: 01", "卡号 CARD NO.:",
        "621234*********4567", "有效期 EXP. DATE: **/**", "交易类型 TRANS TYPE: 消费/SALE",
        "授权码 AUTH NO.: A12345", "批次号 BATCH NO.: 000001", "凭证号 TRACE NO.: 000123",
        "参考号 REF. NO.: 240102123456", "日期/时间 DATE/TIME:", "2024/01/02 12:34:56",
        "金额 AMOUNT:", "￥12.34", "持卡人签名 CARDHOLDER SIGNATURE",
        "本人确认以上交易，", "同意将其记入本卡账户",
    ]
    texts = _texts(doc)
    assert [t for t in texts if t in expected] == expected
    assert (doc.name, doc.cut) == ("sale-merchant", True)


def test_customer_copy_has_no_signature_block(sale: SaleSlip) -> None:
    texts = _texts(sale_slip(sale, copy="customer"))
    assert "持卡人存根 CARDHOLDER COPY" in texts
    assert "持卡人签名 CARDHOLDER SIGNATURE" not in texts
    assert "同意将其记入本卡账户" not in texts


def test_title_is_centred_bold_and_amount_double(sale: SaleSlip) -> None:
    lines = [e for e in sale_slip(sale, copy="customer").elements if isinstance(e, TextLine)]
    assert (lines[0].align, lines[0].bold) == (Align.CENTER, True)
    amount = next(line for line in lines if line.text == "￥12.34")
    assert amount.double


def test_reprint_is_marked_only_when_reprinted(sale: SaleSlip, voucher: VoucherSlip) -> None:
    assert "重打印 REPRINT" not in _texts(sale_slip(sale, copy="merchant"))
    again = dataclasses.replace(sale, reprint=True)
    assert "重打印 REPRINT" in _texts(sale_slip(again, copy="merchant"))
    assert "重打印 REPRINT" in _texts(voucher_slip(dataclasses.replace(voucher, reprint=True)))


def test_expiry_line_is_omitted_without_expiry_and_never_shows_the_date(sale: SaleSlip) -> None:
    assert not any("3012" in t or "30/12" in t for t in _texts(sale_slip(sale, copy="merchant")))
    texts = _texts(sale_slip(dataclasses.replace(sale, expiry=""), copy="merchant"))
    assert not any(t.startswith("有效期") for t in texts)


def test_sale_slip_refuses_an_unmasked_pan_without_printing_it(sale: SaleSlip) -> None:
    with pytest.raises(ValueError) as info:
        sale_slip(dataclasses.replace(sale, masked_pan="6212345678901234567"), copy="merchant")
    assert "6212345678901234567" not in str(info.value)


def test_sale_slip_refuses_an_unknown_copy(sale: SaleSlip) -> None:
    with pytest.raises(ValueError, match="bank"):
        sale_slip(sale, copy="bank")


def test_long_values_move_to_their_own_line(sale: SaleSlip) -> None:
    texts = _texts(sale_slip(dataclasses.replace(sale, operator="收银员王小明 CASHIER 007"),
                             copy="customer"))
    index = texts.index("操作员号 OPERATOR NO.:")
    assert texts[index + 1] == "收银员王小明 CASHIER 007"


def test_field_lines_fit_the_paper(sale: SaleSlip) -> None:
    fields = [t for t in _texts(sale_slip(sale, copy="customer")) if ":" in t]
    assert fields
    assert all(text_width(t) <= PAPER_COLUMNS for t in fields)


def test_voucher_slip_lines(voucher: VoucherSlip) -> None:
    doc = voucher_slip(voucher)
    texts = _texts(doc)
    for line in ["团购券兑换凭证 VOUCHER SLIP", "************5678", "8寸生日蛋糕 1个",
                 "数量 QTY: 2", "提供方 PROVIDER: 美团 Meituan", "凭证号 TRACE NO.: 000124",
                 "参考号 REF. NO.: 240102123457", "2024/01/02 12:40:00"]:
        assert line in texts
    assert doc.name == "voucher"


def test_voucher_slip_refuses_an_unmasked_code(voucher: VoucherSlip) -> None:
    with pytest.raises(ValueError, match="masked"):
        voucher_slip(dataclasses.replace(voucher, code_masked="8888123456785678"))


@pytest.mark.parametrize(("code", "masked"), [
    ("8888123456785678", "************5678"), ("12345", "*2345"), ("1234", "****"), ("", ""),
])
def test_mask_code_keeps_only_the_last_four(code: str, masked: str) -> None:
    assert mask_code(code) == masked


@pytest.mark.parametrize(("fen", "text"), [(1234, "￥12.34"), (5, "￥0.05"), (100000, "￥1000.00")])
def test_amounts_use_the_fullwidth_yuan_sign(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


def test_layouts_import_only_the_pure_model_and_text_width_and_stdlib() -> None:
    import ast
    import inspect

    from xpos.core import slips as layouts

    tree = ast.parse(inspect.getsource(layouts))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    xpos_modules = {m for m in modules if m and m.startswith("xpos")}
    assert xpos_modules == {"xpos.model", "xpos.model.textwidth"}
    assert not {m for m in modules if m and m.split(".")[0] in {"escpos", "serial", "asyncio"}}


def test_fixed_texts_fit_the_paper() -> None:
    from xpos.core import slips as layouts

    fixed = [layouts.TITLE_SALE, layouts.TITLE_VOUCHER, layouts.REPRINT, layouts.SIGNATURE,
             *layouts.CONSENT, layouts.CONSENT_EN, *layouts.COPY_LINES.values()]
    assert all(text_width(t) <= PAPER_COLUMNS for t in fixed), [
        t for t in fixed if text_width(t) > PAPER_COLUMNS]
