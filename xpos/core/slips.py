"""Receipt layouts: transaction data -> :class:`~xpos.model.Document` (pure).

Slips are laid out for 58 mm paper (32 columns of font A, a CJK character takes 2).
Labels are Chinese first with English after. Only masked card numbers and masked
voucher codes are ever printed; the layouts refuse anything that looks unmasked.

Every value that comes from outside (merchant name, host references, voucher title,
provider) is text only: control characters are removed and line breaks become wrapped
lines within the paper width (:func:`~xpos.model.textwidth.wrap_width`), so a host
cannot inject printer commands or fake a line of its own at full width.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from xpos.model import Align, Document, Feed, TextLine, format_fen
from xpos.model.textwidth import printable, text_width, wrap_width

PAPER_COLUMNS = 32
RULE = "-" * PAPER_COLUMNS
TITLE_SALE = "签购单 POS SALES SLIP"
TITLE_VOUCHER = "团购券兑换凭证 VOUCHER SLIP"
REPRINT = "重打印 REPRINT"
COPY_LINES = {"merchant": "商户存根 MERCHANT COPY", "customer": "持卡人存根 CARDHOLDER COPY"}
SIGNATURE = "持卡人签名 CARDHOLDER SIGNATURE"
CONSENT = ("本人确认以上交易，", "同意将其记入本卡账户")
CONSENT_EN = "I AGREE TO THE ABOVE TRANSACTION"
TRANS_SALE = "消费/SALE"
TRANS_VOID = "撤销/VOID"
TITLE_TOTALS = "交易汇总 TOTALS"
DOMAIN_LINES = {"bank": "银行卡 BANK CARD", "x": "X菜单 X MENU"}
TRANS_REFUND = "退货/REFUND"
KIND_LABELS = {"sale": TRANS_SALE, "void": TRANS_VOID, "voucher": "券兑换/VOUCHER",
               "refund": TRANS_REFUND}
PREAUTH_LABELS = {"preauth": "预授权/PRE-AUTH", "preauth_void": "预授权撤销/PA VOID",
                  "completion": "预授权完成/COMPLETE", "completion_void": "完成撤销/CMPL VOID"}
NO_TXN = "无交易 NONE"
TOTAL = "合计 TOTAL"


@dataclass(frozen=True, kw_only=True)
class SaleSlip:
    """The data printed on a bank-card sale slip. ``amount`` in fen."""

    merchant_name: str
    mid: str
    tid: str
    operator: str
    masked_pan: str
    expiry: str
    batch: int
    stan: int
    auth_code: str
    rrn: str
    when: datetime
    amount: int
    reprint: bool = False


@dataclass(frozen=True, kw_only=True)
class VoidSlip(SaleSlip):
    """The data printed on a void slip: a sale slip's, plus the voided sale's trace number.

    ``stan``, ``batch``, ``auth_code`` and ``rrn`` are the void's own; ``amount`` is the
    amount given back.
    """

    original_stan: int


@dataclass(frozen=True, kw_only=True)
class VoucherSlip:
    """The data printed on a voucher redemption slip."""

    merchant_name: str
    mid: str
    tid: str
    code_masked: str
    title: str
    quantity: int
    provider: str
    stan: int
    batch: int
    rrn: str
    when: datetime
    reprint: bool = False


def format_yuan(amount: int) -> str:
    """An amount in fen as printed: full-width yuan sign, e.g. ``1234 -> '￥12.34'``."""
    return "￥" + format_fen(amount)


def _line(text: str, *, bold: bool = False, double: bool = False) -> TextLine:
    return TextLine(text=text, bold=bold, double=double)


def _lines(text: str, *, bold: bool = False) -> list[TextLine]:
    """Outside text as one or more lines within the paper width."""
    return [_line(row, bold=bold) for row in wrap_width(text, PAPER_COLUMNS)]


def _center(text: str, *, bold: bool = False) -> TextLine:
    return TextLine(text=text, align=Align.CENTER, bold=bold)


def _field(label: str, value: str) -> list[TextLine]:
    """``label value`` on one line if it fits the paper, else value on lines of its own.

    ``value`` is outside text: controls removed, line breaks and long text wrapped.
    """
    joined = f"{label} {printable(value)}"
    if text_width(joined) <= PAPER_COLUMNS and len(value.splitlines()) <= 1:
        return [_line(joined)]
    return [_line(label), *_lines(value)]


def _when(when: datetime) -> str:
    return when.strftime("%Y/%m/%d %H:%M:%S")


def _header(title: str, copy_line: str | None, reprint: bool) -> list[TextLine]:
    lines = [_center(title, bold=True)]
    if copy_line:
        lines.append(_center(copy_line))
    if reprint:
        lines.append(_center(REPRINT, bold=True))
    return lines


def _merchant(name: str, mid: str, tid: str) -> list[TextLine]:
    return [
        _line(RULE),
        _line("商户名称 MERCHANT NAME:"),
        *_lines(name),
        *_field("商户编号 MERCHANT NO.:", mid),
        *_field("终端编号 TERMINAL NO.:", tid),
    ]


def _references(*, batch: int, stan: int, rrn: str, when: datetime) -> list[TextLine]:
    return [
        *_field("批次号 BATCH NO.:", f"{batch:06d}"),
        *_field("凭证号 TRACE NO.:", f"{stan:06d}"),
        *_field("参考号 REF. NO.:", rrn),
        _line("日期/时间 DATE/TIME:"),
        _line(_when(when)),
    ]


def _signature() -> list[TextLine | Feed]:
    return [_line(SIGNATURE), Feed(lines=3), _line(RULE), *map(_line, CONSENT),
            _line(CONSENT_EN)]


def sale_slip(slip: SaleSlip, *, copy: str) -> Document:
    """Lay out a bank-card sale slip.

    Args:
        slip: The transaction data (masked PAN only).
        copy: ``"merchant"`` (with the signature block) or ``"customer"``.

    Raises:
        ValueError: for an unknown copy or a card number that is not masked.
    """
    return _card_slip(slip, copy=copy, trans=TRANS_SALE, name="sale")


def void_slip(slip: VoidSlip, *, copy: str) -> Document:
    """Lay out a void (撤销) slip: 交易类型 撤销/VOID and the original trace number.

    Args:
        slip: The void's data (masked PAN only).
        copy: ``"merchant"`` (with the signature block) or ``"customer"``.

    Raises:
        ValueError: for an unknown copy or a card number that is not masked.
    """
    original = _field("原凭证号 ORIG. TRACE NO.:", f"{slip.original_stan:06d}")
    return _card_slip(slip, copy=copy, trans=TRANS_VOID, name="void", extra=original)


def _card_slip(slip: SaleSlip, *, copy: str, trans: str, name: str,
               extra: list[TextLine] | None = None, credit: bool = False) -> Document:
    body = card_head(slip, copy=copy)
    if slip.expiry:
        body += _field("有效期 EXP. DATE:", "**/**")
    body += [
        *_field("交易类型 TRANS TYPE:", trans),
        *(extra or []),
        *_field("授权码 AUTH NO.:", slip.auth_code),
        *_references(batch=slip.batch, stan=slip.stan, rrn=slip.rrn, when=slip.when),
        *card_tail(slip, copy=copy, label="金额 AMOUNT:",
                   amount=("-" if credit else "") + format_yuan(slip.amount)),
    ]
    return Document(name=f"{name}-{copy}", elements=tuple(body), cut=True)


def card_head(slip: SaleSlip, *, copy: str) -> list[TextLine | Feed]:
    """The top every card slip shares: title, copy line, reprint mark, merchant, operator,
    the masked card number (sale, void, refund and the pre-auth family).

    Raises:
        ValueError: for an unknown copy or a card number that is not masked.
    """
    if copy not in COPY_LINES:
        raise ValueError(f"copy must be 'merchant' or 'customer', got {copy!r}")
    if "*" not in slip.masked_pan:
        raise ValueError("a card slip needs a masked card number")
    return [
        *_header(TITLE_SALE, COPY_LINES[copy], slip.reprint),
        *_merchant(slip.merchant_name, slip.mid, slip.tid),
        *_field("操作员号 OPERATOR NO.:", slip.operator),
        _line(RULE),
        _line("卡号 CARD NO.:"),
        _line(printable(slip.masked_pan), bold=True),
    ]


def card_tail(slip: SaleSlip, *, copy: str, label: str, amount: str) -> list[TextLine | Feed]:
    """The bottom every card slip shares: the amount (``label``, then ``amount`` in double
    size), a rule, and on the merchant copy the signature block."""
    body: list[TextLine | Feed] = [_line(label), _line(amount, bold=True, double=True),
                                   _line(RULE)]
    if copy == "merchant":
        body += _signature()
    return body


def voucher_slip(slip: VoucherSlip) -> Document:
    """Lay out a voucher redemption slip.

    Raises:
        ValueError: if the voucher code is not masked.
    """
    if "*" not in slip.code_masked:
        raise ValueError("voucher slip needs a masked voucher code")
    body: list[TextLine | Feed] = [
        *_header(TITLE_VOUCHER, None, slip.reprint),
        *_merchant(slip.merchant_name, slip.mid, slip.tid),
        _line(RULE),
        _line("券号 VOUCHER NO.:"),
        _line(printable(slip.code_masked), bold=True),
        _line("商品 ITEM:"),
        *_lines(slip.title, bold=True),
        *_field("数量 QTY:", str(slip.quantity)),
        *_field("提供方 PROVIDER:", slip.provider),
        *_references(batch=slip.batch, stan=slip.stan, rrn=slip.rrn, when=slip.when),
        _line(RULE),
        _center("兑换成功 REDEEMED", bold=True),
    ]
    return Document(name="voucher", elements=tuple(body), cut=True)


def mark_reprint(document: Document) -> Document:
    """The same document with the 重打印 REPRINT mark where the layouts put it.

    The mark goes after the header (title and copy line), i.e. before the first rule
    line, exactly as :func:`sale_slip` and :func:`voucher_slip` place it with
    ``reprint=True``; without a rule line, after the first line. A document that
    already carries the mark is returned unchanged (a reprint of a reprint has one).
    Every other element stays as it was, so the reprint differs only by that line.
    """
    elements = document.elements
    if any(isinstance(e, TextLine) and e.text == REPRINT for e in elements):
        return document
    rules = [i for i, e in enumerate(elements) if isinstance(e, TextLine) and e.text == RULE]
    at = rules[0] if rules else min(1, len(elements))
    marked = (*elements[:at], _center(REPRINT, bold=True), *elements[at:])
    return replace(document, name=f"reprint-{document.name}", elements=marked)


@dataclass(frozen=True, kw_only=True)
class TotalsLine:
    """Approved, not reversed transactions of one kind in one batch domain.

    Attributes:
        domain: ``"bank"`` or ``"x"`` (X-menu records are batched apart).
        kind: ``"sale"``, ``"voucher"``…
        count: How many.
        amount: Their sum, in fen.
    """

    domain: str
    kind: str
    count: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class TotalsSlip:
    """The data printed on a totals slip (B1)."""

    merchant_name: str
    mid: str
    tid: str
    batch: int
    when: datetime
    lines: tuple[TotalsLine, ...]


def _columns(left: str, right: str) -> list[TextLine]:
    """``left`` and ``right`` on one line, right-aligned, or on two when too wide."""
    gap = PAPER_COLUMNS - text_width(left) - text_width(right)
    if gap >= 1:
        return [_line(left + " " * gap + right)]
    return [_line(left), TextLine(text=right, align=Align.RIGHT)]


def _domain_totals(domain: str, lines: tuple[TotalsLine, ...]) -> list[TextLine]:
    mine = [line for line in lines if line.domain == domain]
    body = [_line(DOMAIN_LINES[domain], bold=True)]
    if not mine:
        return [*body, _line(NO_TXN)]
    for line in mine:
        label = KIND_LABELS.get(line.kind) or PREAUTH_LABELS.get(line.kind) or printable(
            line.kind).upper()
        body += _columns(label, f"{line.count}笔 {format_yuan(line.amount)}")
    count = sum(x.count for x in mine if x.kind not in NOT_SALES)
    amount = net_amount(mine)
    return [*body, *_columns(TOTAL, f"{count}笔 {format_yuan(amount)}")]


NETTED_OUT = frozenset({"void", "refund"})
"""Kinds whose amount is taken off the total (a void or a refund gives money back)."""


NETTED_OUT = NETTED_OUT | {"completion_void"}  # gives a completion's amount back
NOT_SALES = frozenset({"preauth", "preauth_void"})
"""Kinds listed in the totals but left out of the total: a pre-auth holds, debits nothing."""


def net_amount(lines: Iterable[TotalsLine]) -> int:
    """The net of some totals lines in fen: voids subtracted, pre-auths (holds, not
    sales) left out, everything else added."""
    return sum(-x.amount if x.kind in NETTED_OUT else x.amount for x in lines
               if x.kind not in NOT_SALES)


def totals_slip(slip: TotalsSlip) -> Document:
    """Lay out the totals slip: bank and X batches apart, counts and amounts by kind."""
    body: list[TextLine | Feed] = [
        _center(TITLE_TOTALS, bold=True),
        *_merchant(slip.merchant_name, slip.mid, slip.tid),
        *_field("批次号 BATCH NO.:", f"{slip.batch:06d}"),
        _line("日期/时间 DATE/TIME:"),
        _line(_when(slip.when)),
    ]
    for domain in DOMAIN_LINES:
        body += [_line(RULE), *_domain_totals(domain, slip.lines)]
    body.append(_line(RULE))
    return Document(name="totals", elements=tuple(body), cut=True)


@dataclass(frozen=True, kw_only=True)
class RefundSlip(SaleSlip):
    """The data printed on a refund (退货) slip: a sale slip's, plus the original's RRN
    and date. ``stan``, ``batch``, ``auth_code`` and ``rrn`` are the refund's own;
    ``amount`` is the amount credited (printed as a credit, with a minus sign)."""

    original_rrn: str
    original_date: str


def refund_slip(slip: RefundSlip, *, copy: str) -> Document:
    """Lay out a refund slip: 交易类型 退货/REFUND, the original's RRN and date, and the
    amount as a credit (``-￥12.34``).

    Raises:
        ValueError: for an unknown copy or a card number that is not masked.
    """
    extra = [*_field("原参考号 ORIG. REF. NO.:", printable(slip.original_rrn)),
             *_field("原交易日期 ORIG. DATE:", printable(slip.original_date))]
    return _card_slip(slip, copy=copy, trans=TRANS_REFUND, name="refund", extra=extra,
                      credit=True)
