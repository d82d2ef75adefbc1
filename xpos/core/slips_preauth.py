"""Slips of the pre-authorisation family (pure): two copies, the auth code prominent.

The layout is the sale slip's (:mod:`xpos.core.slips`: its :func:`card_head` and
:func:`card_tail` blocks) with the transaction name of
the family (预授权/PRE-AUTH, 预授权撤销/PRE-AUTH VOID, 预授权完成/AUTH COMPLETE,
完成撤销/COMPLETE VOID), the auth code in double size right under it, and the
original's trace number, auth code and date where there is one. A pre-auth slip calls
its amount the held amount (预授权金额 HELD AMOUNT): nothing was debited.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.core.slips import (
    SaleSlip,
    _field,
    _line,
    _references,
    card_head,
    card_tail,
    format_yuan,
)
from xpos.model import Document, TextLine
from xpos.model.textwidth import printable

TRANS_NAMES = {
    "preauth": "预授权/PRE-AUTH",
    "preauth_void": "预授权撤销/PRE-AUTH VOID",
    "completion": "预授权完成/AUTH COMPLETE",
    "completion_void": "完成撤销/COMPLETE VOID",
}
"""Transaction type line of each kind (also the totals labels)."""
HELD_AMOUNT = "预授权金额 HELD AMOUNT:"
AMOUNT = "金额 AMOUNT:"


@dataclass(frozen=True, kw_only=True)
class PreauthSlip(SaleSlip):
    """The data on a family slip: a sale slip's plus the kind and the original.

    Attributes:
        kind: ``preauth``, ``preauth_void``, ``completion`` or ``completion_void``.
        original_stan: The original's trace number, 0 when it was keyed from a slip.
        original_auth: The original's auth code ("" for a pre-auth).
        original_date: The original's date MMDD ("" for a pre-auth).
    """

    kind: str
    original_stan: int = 0
    original_auth: str = ""
    original_date: str = ""


def preauth_slip(slip: PreauthSlip, *, copy: str) -> Document:
    """Lay out one copy of a family slip.

    Args:
        slip: The transaction's data (masked PAN only).
        copy: ``"merchant"`` (with the signature block) or ``"customer"``.

    Raises:
        ValueError: an unknown copy or kind, or a card number that is not masked.
    """
    if slip.kind not in TRANS_NAMES:
        raise ValueError(f"not a pre-authorisation kind: {slip.kind!r}")
    body = card_head(slip, copy=copy)
    body += [
        *_field("交易类型 TRANS TYPE:", TRANS_NAMES[slip.kind]),
        _line("授权码 AUTH NO.:"),
        _line(printable(slip.auth_code), bold=True, double=True),
        *_original(slip),
        *_references(batch=slip.batch, stan=slip.stan, rrn=slip.rrn, when=slip.when),
        *card_tail(slip, copy=copy, label=HELD_AMOUNT if slip.kind == "preauth" else AMOUNT,
                   amount=format_yuan(slip.amount)),
    ]
    return Document(name=f"{slip.kind}-{copy}", elements=tuple(body), cut=True)


def _original(slip: PreauthSlip) -> list[TextLine]:
    lines: list[TextLine] = []
    if slip.original_stan:
        lines += _field("原凭证号 ORIG. TRACE NO.:", f"{slip.original_stan:06d}")
    if slip.original_auth:
        lines += _field("原授权码 ORIG. AUTH NO.:", slip.original_auth)
    if slip.original_date:
        lines += _field("原交易日期 ORIG. DATE:", slip.original_date)
    return lines
