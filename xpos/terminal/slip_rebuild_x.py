"""The X void slip (核销撤销凭证) laid out again from its journal row, after a lost receipt.

The X void flow (:mod:`xpos.core.flows.voucher_void`) prints one slip with
:func:`xpos.core.slips_redeem.redeem_slip`: the masked code and the void's batch, trace
and reference from its row; title, provider, items put back and items left from the
platform's answer, which an approval merges into the row's detail
(:mod:`xpos.terminal.redeem`); the original trace number from ``original_stan``. Where
the answer carried no voucher data the flow printed the redemption's, so this module
takes them from the redemption's row, as the flow did. The date and time are chosen by
:mod:`xpos.terminal.slip_rebuild` (the host's, kept in the detail, when there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from xpos.core.slips_redeem import RedeemSlip, redeem_slip
from xpos.journal import Journal, TxnRecord
from xpos.model import Document

X_VOID_KIND = "voucher_void"
"""The journal kind of an X void of a redemption (domain ``x``)."""


def x_void_rebuildable(record: TxnRecord) -> bool:
    """True for an X void row whose slip :func:`x_void_slip` can lay out (masked code)."""
    return record.kind == X_VOID_KIND and "*" in str(record.detail.get("code", ""))


def x_void_slip(journal: Journal, record: TxnRecord, *, merchant: tuple[str, str, str],
                when: dt.datetime) -> Document:
    """The X void's slip as the flow printed it.

    Args:
        journal: the journal (the redemption's row is read for what the answer lacked).
        record: the approved X void's row.
        merchant: merchant name, MID and TID (the configuration's).
        when: the date and time to print.
    """
    detail = record.detail
    original_stan = _int(detail.get("original_stan"))
    original = journal.by_stan(original_stan, _int(detail.get("original_batch"))) \
        if original_stan else None
    before: Mapping[str, object] = original.detail if original is not None else {}
    done = detail if "title" in detail else before  # the answer's voucher, else the original
    name, mid, tid = merchant
    slip = RedeemSlip(merchant_name=name, mid=mid, tid=tid,
                      code_masked=str(detail.get("code", "")), title=str(done.get("title", "")),
                      provider=str(done.get("provider", "")),
                      units=_int(done.get("units")) or _int(before.get("units")),
                      left=_int(done.get("quantity")), stan=record.stan, batch=record.batch,
                      rrn=record.rrn or "", when=when, voids=original_stan)
    return redeem_slip(slip)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
