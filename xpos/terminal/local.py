"""Requests answered from the journal, without a message to the host.

:func:`reprint_reply` finds a transaction's receipts in the print record and hands them
back as documents (:func:`~xpos.receipts.reprint.document_from_bytes`: the same bytes
when rendered again); :func:`totals_reply` adds up the current batch. Both only read the
journal, which holds masked data only.
"""

from __future__ import annotations

import datetime as dt

from xpos.core.flows.online import OnlineReply, Outcome, ReprintRequest
from xpos.core.slips import TotalsLine
from xpos.journal import Journal
from xpos.receipts.reprint import document_from_bytes


def reprint_reply(journal: Journal, request: ReprintRequest) -> OnlineReply:
    """The receipts of the last printed transaction, or of the one with ``request.stan``.

    ``DECLINED`` (no documents) when there is no such transaction or it printed nothing.
    """
    if request.stan is None:
        record = journal.last_printed_txn()
    else:
        record = journal.by_stan(request.stan) if 0 < request.stan <= 999999 else None
    receipts = journal.receipts_of(record.id) if record is not None else []
    if record is None or not receipts:
        return OnlineReply(outcome=Outcome.DECLINED)
    documents = tuple(document_from_bytes(name, data) for name, data in receipts)
    return OnlineReply(outcome=Outcome.APPROVED, stan=record.stan, batch=record.batch,
                       masked_pan=record.masked_pan, amount=record.amount,
                       documents=documents)


def totals_reply(journal: Journal, now: dt.datetime) -> OnlineReply:
    """The current batches' approved transactions by domain and kind (B1).

    Bank rows of the current bank batch, X-menu rows of the current X batch: both are
    what happened since the last settlement (which opens new batches).
    """
    batch = journal.batch_no
    rows = [row for row in journal.batch_totals(batch) if row[0] == "bank"]
    rows += [row for row in journal.batch_totals(journal.x_batch_no) if row[0] == "x"]
    lines = tuple(TotalsLine(domain=domain, kind=kind, count=count, amount=amount)
                  for domain, kind, count, amount in rows)
    return OnlineReply(outcome=Outcome.APPROVED, batch=batch, when=now, totals=lines)
