"""Slips of X1 redemption in parts and of its X void (pure).

The layout is the voucher slip's (:func:`xpos.core.slips.voucher_slip`): masked code,
title, provider, batch / trace / reference; a redemption names the items redeemed now
and those left (已核销 N 份 / 剩余 M-N 份), a void the items put back and the original
trace number. Outside text (title, provider) is printed as text only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.core.slips import (
    RULE,
    TITLE_VOUCHER,
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

TITLE_XVOID = "核销撤销凭证 REDEMPTION VOID"


@dataclass(frozen=True, kw_only=True)
class RedeemSlip:
    """The data printed on a redemption (or, with ``voids``, an X void) slip.

    Attributes:
        units: Items redeemed (a void: items put back).
        left: Items left on the voucher afterwards.
        value: Unit value in fen (0 = not printed).
        voids: The trace number of the redemption a void undoes (0 for a redemption).
    """

    merchant_name: str
    mid: str
    tid: str
    code_masked: str
    title: str
    provider: str
    units: int
    left: int
    stan: int
    batch: int
    rrn: str
    when: datetime
    value: int = 0
    voids: int = 0


def redeem_slip(slip: RedeemSlip) -> Document:
    """Lay out a redemption slip (or an X void slip when ``slip.voids`` is set).

    Raises:
        ValueError: if the voucher code is not masked.
    """
    if "*" not in slip.code_masked:
        raise ValueError("redemption slip needs a masked voucher code")
    void = slip.voids > 0
    body: list[TextLine | Feed] = [
        *_header(TITLE_XVOID if void else TITLE_VOUCHER, None, False),
        *_merchant(slip.merchant_name, slip.mid, slip.tid),
        _line(RULE),
        _line("券号 VOUCHER NO.:"),
        _line(printable(slip.code_masked), bold=True),
        _line("商品 ITEM:"),
        *_lines(slip.title, bold=True),
        *_field("提供方 PROVIDER:", slip.provider),
    ]
    if slip.value:
        body += _field("单价 EACH:", format_yuan(slip.value))
    if void:
        body += [*_field("原凭证号 ORIG TRACE:", f"{slip.voids:06d}"),
                 *_field("撤销 RESTORED:", f"{slip.units} 份")]
    else:
        body += _field("已核销 REDEEMED:", f"{slip.units} 份")
    body += [*_field("剩余 LEFT:", f"{slip.left} 份"),
             *_references(batch=slip.batch, stan=slip.stan, rrn=slip.rrn, when=slip.when),
             _line(RULE),
             _center("撤销成功 VOIDED" if void else "兑换成功 REDEEMED", bold=True)]
    return Document(name="voucher_void" if void else "voucher", elements=tuple(body), cut=True)
