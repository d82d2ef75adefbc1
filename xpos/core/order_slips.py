"""Slips of an X2 order payment: the bank slip (with the order number) and the order slip.

The bank leg prints the ordinary sale slip (merchant copy with the signature line,
customer copy) with one more line, the order number. The order slip (订单支付凭证; the
coupon slip of journey J1) says what was ordered, the total, why the amount due
differs (coupon, deposit…), what was paid and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.core.slips import (
    RULE,
    TRANS_SALE,
    SaleSlip,
    _card_slip,
    _center,
    _field,
    _header,
    _line,
    _lines,
    _merchant,
    _references,
    format_yuan,
)
from xpos.model import Document, Feed, TextLine
from xpos.model.textwidth import printable

TITLE_ORDER = "订单支付凭证 ORDER PAYMENT SLIP"
ORDER_NO = "订单号 ORDER NO.:"


@dataclass(frozen=True, kw_only=True)
class OrderSlip:
    """The data printed on an order payment slip. Amounts in fen.

    Attributes:
        order_no: The platform's order number.
        title: What was ordered (outside text).
        total: Order total.
        due: What was paid now.
        reason: Why ``due`` differs from ``total`` (outside text), or empty.
        paid_by: How it was paid, e.g. ``银行卡 BANK CARD 621234******1234``.
        batch, stan, rrn, when: The order-paid notice's references.
    """

    merchant_name: str
    mid: str
    tid: str
    order_no: str
    title: str
    total: int
    due: int
    reason: str
    paid_by: str
    batch: int
    stan: int
    rrn: str
    when: datetime
    reprint: bool = False


def order_bank_slip(slip: SaleSlip, order_no: str, *, copy: str) -> Document:
    """The bank leg's sale slip (signature line on the merchant copy) with the order number.

    Raises:
        ValueError: for an unknown copy or a card number that is not masked.
    """
    return _card_slip(slip, copy=copy, trans=TRANS_SALE, name="sale",
                      extra=_field(ORDER_NO, order_no))


def order_slip(slip: OrderSlip) -> Document:
    """Lay out the order payment slip (J1's coupon slip).

    Raises:
        ValueError: if ``paid_by`` shows an unmasked card number.
    """
    if any(len(word) >= 13 and word.isdigit() for word in slip.paid_by.split()):
        raise ValueError("order slip needs a masked card number")
    body: list[TextLine | Feed] = [
        *_header(TITLE_ORDER, None, slip.reprint),
        *_merchant(slip.merchant_name, slip.mid, slip.tid),
        _line(RULE),
        *_field(ORDER_NO, slip.order_no),
        _line("商品 ITEM:"),
        *_lines(printable(slip.title), bold=True),
        *_field("订单金额 TOTAL:", format_yuan(slip.total)),
    ]
    if slip.reason:
        body += [_line("优惠/说明 NOTE:"), *_lines(printable(slip.reason))]
    body += [
        *_field("实付金额 PAID:", format_yuan(slip.due)),
        _line("支付方式 PAID BY:"),
        *_lines(printable(slip.paid_by)),
        *_references(batch=slip.batch, stan=slip.stan, rrn=slip.rrn, when=slip.when),
        _line(RULE),
        _center("支付成功 PAID", bold=True),
    ]
    return Document(name="order", elements=tuple(body), cut=True)


@dataclass(frozen=True, kw_only=True)
class XRecordLine:
    """One X record on the X4 list slip (masked data only)."""

    stan: int
    kind: str
    status: str
    amount: int
    ref: str
    when: datetime | None


def x_records_slip(*, merchant_name: str, mid: str, tid: str, title: str,
                   records: tuple[XRecordLine, ...]) -> Document:
    """Lay out the X4 list of X-menu records (one block per record)."""
    body: list[TextLine | Feed] = [_center(TITLE_RECORDS, bold=True),
                                   *_merchant(merchant_name, mid, tid),
                                   *_lines(printable(title))]
    for record in records:
        body += [_line(RULE), *_field("凭证号 TRACE NO.:", f"{record.stan:06d}"),
                 *_field("类型 TYPE:", X_KIND_LABELS.get(record.kind, record.kind)),
                 *_field("金额 AMOUNT:", format_yuan(record.amount)),
                 *_field("状态 STATUS:", record.status)]
        if record.ref:
            body += _field("单号 REF.:", record.ref)
        if record.when is not None:
            body.append(_line(record.when.strftime("%Y/%m/%d %H:%M:%S")))
    body.append(_line(RULE))
    return Document(name="x-records", elements=tuple(body), cut=True)


TITLE_RECORDS = "X交易查询 X RECORDS"
X_KIND_LABELS = {"voucher": "券兑换/VOUCHER", "order_pay": "订单支付/ORDER",
                 "third-party debit": "第三方卡/PARTY CARD"}
