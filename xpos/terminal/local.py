"""Requests answered from the journal, without a message to the host.

:func:`reprint_reply` finds a transaction's receipts in the print record and hands them
back as documents (:func:`~xpos.receipts.reprint.document_from_bytes`: the same bytes
when rendered again); an approved transaction that has no print record (killed after
the commit, before the first copy) gets its slips laid out again from the journal row
(:mod:`xpos.terminal.slip_rebuild`); :func:`totals_reply` adds up the current batch.
All only read the journal, which holds masked data only.
"""

from __future__ import annotations

import datetime as dt

from xpos.core.flows.online import (
    OnlineReply,
    Outcome,
    ReprintRequest,
    XRecord,
    XRecordsRequest,
)
from xpos.core.slips import TotalsLine
from xpos.journal import Journal, TxnRecord
from xpos.model import Document, mask_code
from xpos.receipts.reprint import document_from_bytes
from xpos.terminal.slip_rebuild import SlipSource, newest_unprinted, rebuild, rebuildable


def reprint_reply(journal: Journal, request: ReprintRequest,
                  source: SlipSource | None = None) -> OnlineReply:
    """The receipts of the last transaction, or of the one with ``request.stan``.

    "Last" is the newest transaction that printed, unless a newer approved one never
    got a print record. Its receipts come from the print record; without one (and with
    ``source``) an approved card transaction's slips are laid out again from its row.
    ``DECLINED`` (no documents) when there is no such transaction or nothing to print.
    """
    if request.stan is None:
        record = journal.last_printed_txn()
        if source is not None:
            record = newest_unprinted(journal, record) or record
    else:
        record = journal.by_stan(request.stan) if 0 < request.stan <= 999999 else None
    if record is None:
        return OnlineReply(outcome=Outcome.DECLINED)
    receipts = journal.receipts_of(record.id)
    documents: tuple[Document, ...] = tuple(document_from_bytes(name, data)
                                            for name, data in receipts)
    if not documents and source is not None and rebuildable(record):
        documents = rebuild(journal, record, source)
    if not documents:
        return OnlineReply(outcome=Outcome.DECLINED)
    return OnlineReply(outcome=Outcome.APPROVED, stan=record.stan, batch=record.batch,
                       masked_pan=record.masked_pan, amount=record.amount,
                       documents=documents)


NOT_MONEY = frozenset({"order_pay"})
"""Journal kinds that record business, not money: an X2 payment's money is its leg
(the bank sale or the third-party debit), so the payment row is not counted again."""


def totals_reply(journal: Journal, now: dt.datetime, domain: str | None = None) -> OnlineReply:
    """The current batches' approved transactions by domain and kind (B1; X4 with
    ``domain="x"``: the X batch only).

    Bank rows of the current bank batch, X-menu rows of the current X batch: both are
    what happened since the last settlement (which opens new batches).
    """
    batch = journal.batch_no
    rows = [row for row in journal.batch_totals(batch) if row[0] == "bank"]
    rows += [row for row in journal.batch_totals(journal.x_batch_no) if row[0] == "x"]
    lines = tuple(TotalsLine(domain=where, kind=kind, count=count, amount=amount)
                  for where, kind, count, amount in rows
                  if kind not in NOT_MONEY and domain in (None, where))
    return OnlineReply(outcome=Outcome.APPROVED, batch=batch, when=now, totals=lines)


def x_records_reply(journal: Journal, request: XRecordsRequest) -> OnlineReply:
    """X4: the X-menu records of the journal that match ``request`` (oldest first)."""
    found = tuple(_x_record(r) for r in journal.transactions(domain="x")
                  if _matches(r, request, journal.x_batch_no))
    if not found:
        return OnlineReply(outcome=Outcome.DECLINED)
    return OnlineReply(outcome=Outcome.APPROVED, batch=journal.batch_no, records=found)


def _matches(record: TxnRecord, request: XRecordsRequest, batch: int) -> bool:
    value = request.value.strip()
    if request.by == "batch":
        return record.batch == batch
    if request.by == "trace":
        return value.isdigit() and record.stan == int(value)
    if request.by == "order":
        return bool(value) and str(record.detail.get("order", "")) == value
    if request.by == "code":
        return bool(value) and str(record.detail.get("code", "")) == mask_code(value)
    when = _local(record.created_at)
    return request.by == "date" and when is not None and when.strftime("%Y%m%d") == value


def _x_record(record: TxnRecord) -> XRecord:
    ref = str(record.detail.get("order") or record.detail.get("code") or "")
    return XRecord(stan=record.stan, kind=record.kind, status=record.status.value,
                   amount=record.amount, ref=ref, when=_local(record.created_at))


def _local(created_at: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().replace(tzinfo=None)
    except ValueError:
        return None
