"""Slips rebuilt from the journal row, for a reprint when no print record exists.

A kill (power cut) after the journal committed an approval but before the first copy
was recorded leaves an approved transaction with no print record (the lost-receipt
gap, docs/operations.md). A reprint then lays the slip out again from the journal row
with the same pure layouts the flows use (:mod:`xpos.core.slips`,
:mod:`xpos.core.slips_preauth`): the same lines, in the same places, for both copies;
the reprint flow adds the 重打印 REPRINT mark as for any reprint. What the journal does
not keep is taken from the terminal's configuration (merchant name, operator). The date
and time are the host's (F13/F12 of the approving answer, kept in the row's detail by
:mod:`xpos.terminal.host_stamp`), as on the slip printed at the time; a row without them
(journaled before they were kept) shows its commit time instead, marked
``(终端时间 TERMINAL TIME)`` under the date (:func:`~xpos.core.slip_time.mark_terminal_time`).

Only approved bank-card transactions whose flow prints two card slips are rebuilt
(:data:`REBUILT_KINDS`, not an X2 order's bank leg), and the X void of a redemption
(one slip, :mod:`xpos.terminal.slip_rebuild_x`); the journal holds masked data only, so
the rebuilt slip does too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xpos.core.flows.common import NO_TIME
from xpos.core.slip_time import mark_terminal_time
from xpos.core.slips import (
    COPY_LINES,
    RefundSlip,
    SaleSlip,
    VoidSlip,
    refund_slip,
    sale_slip,
    void_slip,
)
from xpos.core.slips_preauth import PreauthSlip, preauth_slip
from xpos.journal import Journal, TxnRecord, TxnStatus
from xpos.model import Document
from xpos.terminal.config import TerminalConfig
from xpos.terminal.host_stamp import stamped_time
from xpos.terminal.slip_rebuild_x import x_void_rebuildable, x_void_slip

PREAUTH_KINDS = ("preauth", "preauth_void", "completion", "completion_void")
REBUILT_KINDS = frozenset({"sale", "void", "refund", *PREAUTH_KINDS})
"""Journal kinds whose slips can be laid out again from the row alone."""
ORDER_LEG_KEY = "order_pay"
"""Detail key of an X2 order payment's bank leg (``xpos.terminal.orders``): its slip is
the order's, not a sale slip, so it is not rebuilt here."""
_EXPIRY_SEEN = "****"
"""Slips print the expiry masked (**/**) whenever the card had one; swiped cards do."""


@dataclass(frozen=True, kw_only=True)
class SlipSource:
    """What a rebuilt slip takes from the configuration, not from the journal row."""

    merchant_name: str
    mid: str
    tid: str
    operator: str


def slip_source(config: TerminalConfig) -> SlipSource:
    """The configuration's part of a rebuilt slip (as the flows' context has it)."""
    return SlipSource(merchant_name=config.merchant_name, mid=config.mid, tid=config.tid,
                      operator=config.operator)


def rebuildable(record: TxnRecord) -> bool:
    """True for an approved bank transaction (or X void) whose slips :func:`rebuild` can
    lay out."""
    if record.status is TxnStatus.APPROVED and record.domain == "x":
        return x_void_rebuildable(record)
    return (record.status is TxnStatus.APPROVED and record.domain == "bank"
            and record.kind in REBUILT_KINDS and "*" in record.masked_pan
            and ORDER_LEG_KEY not in record.detail)


def newest_unprinted(journal: Journal, after: TxnRecord | None) -> TxnRecord | None:
    """The newest rebuildable transaction of the current bank (or X) batch newer than ``after``
    (the last transaction that printed) and without a print record of its own."""
    newer = [r for r in journal.transactions(batch=journal.batch_no, domain="bank")
             if (after is None or r.id > after.id) and rebuildable(r)]
    newer += [r for r in journal.transactions(batch=journal.x_batch_no, domain="x")
              if (after is None or r.id > after.id) and rebuildable(r)]  # X voids
    newer.sort(key=lambda r: r.id)
    for record in reversed(newer):
        if not journal.receipts_of(record.id):
            return record
    return None


def rebuild(journal: Journal, record: TxnRecord, source: SlipSource) -> tuple[Document, ...]:
    """Both copies of ``record``'s slip (merchant first), laid out from the row (an X
    void: its one slip).

    Raises:
        ValueError: ``record`` is not :func:`rebuildable`.
    """
    if not rebuildable(record):
        raise ValueError(f"cannot rebuild the slip of a {record.status.value} {record.kind}")
    committed = _when(record)
    host = stamped_time(record.detail, committed)
    if record.domain == "x":
        merchant = (source.merchant_name, source.mid, source.tid)
        void = x_void_slip(journal, record, merchant=merchant, when=host or committed)
        return (void,) if host is not None else (mark_terminal_time(void),)
    base = SaleSlip(merchant_name=source.merchant_name, mid=source.mid, tid=source.tid,
                    operator=source.operator, masked_pan=record.masked_pan,
                    expiry=_EXPIRY_SEEN, batch=record.batch, stan=record.stan,
                    auth_code=record.auth_code or "", rrn=record.rrn or "",
                    when=host or committed, amount=record.amount)
    documents = tuple(_layout(journal, record, base, copy) for copy in COPY_LINES)
    if host is None:
        return tuple(mark_terminal_time(document) for document in documents)
    return documents


def _layout(journal: Journal, record: TxnRecord, base: SaleSlip, copy: str) -> Document:
    detail = record.detail
    if record.kind == "void":
        slip = VoidSlip(**vars(base), original_stan=int(detail.get("original_stan", 0)))
        return void_slip(slip, copy=copy)
    if record.kind == "refund":
        refund = RefundSlip(**vars(base), original_rrn=str(detail.get("original_rrn", "")),
                            original_date=str(detail.get("original_date", "")))
        return refund_slip(refund, copy=copy)
    if record.kind in PREAUTH_KINDS:
        original_stan = int(detail.get("original_stan", 0))
        original = journal.by_stan(original_stan) if original_stan else None
        auth = (original.auth_code or "") if original is not None else ""
        family = PreauthSlip(**vars(base), kind=record.kind, original_stan=original_stan,
                             original_auth=auth if record.kind != "preauth" else "",
                             original_date=str(detail.get("original_date", "")))
        return preauth_slip(family, copy=copy)
    return sale_slip(base, copy=copy)


def _when(record: TxnRecord) -> dt.datetime:
    """The row's commit time as naive local time (the slip's date and time)."""
    for stamp in (record.updated_at, record.created_at):
        try:
            return dt.datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None)
        except ValueError:
            continue
    return NO_TIME
