"""Settlement (结算, B4) in the shell: the steps of the journal's settlement record.

Theory of operation
-------------------
:class:`SettlementRunner` carries out a :class:`~xpos.core.flows.online.SettleRequest`
for the :class:`~xpos.terminal.txn.TransactionService` (it borrows its host link,
reversal queue and journal). The progress lives in the journal
(:mod:`xpos.journal.settlement`); each step is committed, with the STAN its message
will carry, before the message is sent:

1. Pending reversals go first (reference §1.6). Then the totals of the current bank
   batch and X batch are computed from the journal with the pure tables of
   :mod:`xpos.core.batch` (approved rows only; X-menu rows never enter the bank
   batch) and the settlement is opened (state ``settle``).
2. ``settle``: 0500 with field 48. The 0510's character 31 says balanced (``1``) or
   not; the results are journaled with the next state: ``end`` when balanced, else
   ``upload`` from item 0.
3. ``upload``: the approved bank items of the batch, in journal order, 8 per 0320;
   after each answered one the next index and the items count are journaled.
4. ``end``: 0320 batch-upload end with the number of items uploaded (also when balanced).
5. ``x_settle``: the X settlement with the platform (0500, field 3 = 700000).
6. ``done``, with both batch numbers moved on, in one journal transaction.

A step whose message gets no ``00`` answer stops the run; the settlement stays open and
the next :class:`SettleRequest` sends the same message with the same STAN again (the
reference host answers a repeated STAN without booking it twice). While a settlement is
open the terminal takes no other transaction (结算未完成 请先结算). Settlement messages
carry no MAC and move no money, so their answers need no row of the money rules: ``00``
goes on, any other code stops with that code, and no answer stops with the link's
outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from xpos.core.batch import (
    BANK_SIDES,
    X_SIDES,
    BatchTotals,
    SettleSummary,
    batch_totals,
    totals_from,
)
from xpos.core.flows.online import Notice, OnlineReply, Outcome
from xpos.core.rules import Reach
from xpos.journal import Journal, SettlementRecord, TxnStatus
from xpos.proto import settle as ps
from xpos.proto.codec import Message
from xpos.receipts.reprint import document_from_bytes
from xpos.terminal.crashpoints import crashpoint

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

_STOPPED = {Reach.UNREACHABLE: Outcome.UNREACHABLE, Reach.TIMEOUT: Outcome.NO_RESPONSE,
            Reach.MALFORMED: Outcome.REJECTED}
SLIP_NAME = "settlement"
"""The print record name of the settlement slip."""


def _side(totals: BatchTotals) -> ps.Side:
    return ps.Side(debit_amount=totals.debit_amount, debit_count=totals.debit_count,
                   credit_amount=totals.credit_amount, credit_count=totals.credit_count)


def domain_totals(journal: Journal, domain: str, batch: int) -> BatchTotals:
    """The settlement totals of one batch of ``domain`` (``"bank"`` or ``"x"``)."""
    sides = X_SIDES if domain == "x" else BANK_SIDES
    rows = [(r.kind, r.amount) for r in journal.transactions(batch=batch, domain=domain)
            if r.status is TxnStatus.APPROVED]
    return batch_totals(rows, sides)


def upload_items(journal: Journal, batch: int) -> list[ps.UploadItem]:
    """The approved bank items of ``batch`` in journal order, as the batch upload sends them."""
    return [ps.UploadItem(stan=r.stan, amount=r.amount)
            for r in journal.transactions(batch=batch, domain="bank")
            if r.status is TxnStatus.APPROVED and r.kind in BANK_SIDES]


class SettlementRunner:
    """Runs (or continues) the journal's settlement; see the module docstring."""

    def __init__(self, service: TransactionService) -> None:
        self._svc = service
        self._journal: Journal = service.journal
        self._when: dt.datetime | None = None
        self._items: tuple[int, list[ps.UploadItem]] | None = None  # (batch, items) this run

    def status(self) -> OnlineReply:
        """:class:`SettleStatus`: the batch, and ``SETTLE_PENDING`` if one is unfinished."""
        if self._svc._working_keys() is None or self._journal.needs_batch:
            return OnlineReply(outcome=Outcome.NOT_SIGNED_ON)
        record = self._journal.open_settlement()
        if record is None:
            return OnlineReply(outcome=Outcome.APPROVED, batch=self._journal.batch_no)
        return OnlineReply(outcome=Outcome.APPROVED, batch=record.batch,
                           notice=Notice.SETTLE_PENDING)

    def reprint(self) -> OnlineReply:
        """:class:`SettleReprintRequest`: the last settlement slip as first printed."""
        found = self._journal.last_print_named(SLIP_NAME)
        if found is None:
            return OnlineReply(outcome=Outcome.DECLINED)
        return OnlineReply(outcome=Outcome.APPROVED,
                           documents=(document_from_bytes(SLIP_NAME, found),))

    async def run(self) -> OnlineReply:
        """Settle, or continue the open settlement, up to ``done`` or the step that stops."""
        keys = self._svc._working_keys()
        if keys is None or self._journal.needs_batch:
            return OnlineReply(outcome=Outcome.NOT_SIGNED_ON)
        blocked = await self._svc.flush_reversals(keys)
        if blocked is not None:
            return blocked
        self._items = None  # read from the journal again on each run
        record = self._journal.open_settlement() or self._start()
        while record.state != "done":
            step = await self._step(record)
            if isinstance(step, OnlineReply):
                return step
            record = step
        return OnlineReply(outcome=Outcome.APPROVED, batch=record.batch,
                           settlement=self._summary(record))

    def _start(self) -> SettlementRecord:
        bank = domain_totals(self._journal, "bank", self._journal.batch_no)
        x = domain_totals(self._journal, "x", self._journal.x_batch_no)
        stan = self._journal.next_stan()
        return self._journal.start_settlement(totals={"bank": bank.as_dict(),
                                                      "x": x.as_dict()}, stan=stan)

    async def _step(self, record: SettlementRecord) -> SettlementRecord | OnlineReply:
        """Send the message of ``record``'s state; the next record, or why it stopped."""
        if record.state == "upload" and not self._chunk(record):
            return self._next(record, "end")
        crashpoint("settle.before_send")
        response = await self._send(self._message(record))
        crashpoint("settle.after_answer")
        if isinstance(response, OnlineReply):
            return response
        return self._answered(record, response)

    def _message(self, record: SettlementRecord) -> Message:
        """The message of ``record``'s state, with the STAN journaled for it."""
        cfg = self._svc._cfg
        stan = record.stan or self._journal.next_stan()
        if record.state == "upload":
            return ps.batch_upload_request(stan=stan, tid=cfg.tid, mid=cfg.mid,
                                           batch=record.batch, items=tuple(self._chunk(record)))
        if record.state == "end":
            return ps.batch_end_request(stan=stan, tid=cfg.tid, mid=cfg.mid, batch=record.batch,
                                        count=record.uploaded)
        x_platform = record.state == "x_settle"
        totals = totals_from(record.totals["x" if x_platform else "bank"])
        return ps.settle_request(stan=stan, tid=cfg.tid, mid=cfg.mid,
                                 batch=record.x_batch if x_platform else record.batch,
                                 totals=ps.SettleTotals(domestic=_side(totals)),
                                 operator=self._svc._operator(), x_platform=x_platform)

    def _chunk(self, record: SettlementRecord) -> list[ps.UploadItem]:
        """The items of the next 0320 (the batch is read from the journal once per run:
        no transaction enters it while the settlement is open)."""
        if self._items is None or self._items[0] != record.batch:
            self._items = (record.batch, upload_items(self._journal, record.batch))
        first = record.upload_index * ps.ITEMS_PER_UPLOAD
        return self._items[1][first:first + ps.ITEMS_PER_UPLOAD]

    def _answered(self, record: SettlementRecord, response: Message) -> SettlementRecord:
        """Journal what an approved answer moves the settlement on to."""
        if record.state == "settle":
            results = ps.parse_results(response)
            state = "end" if results.balanced else "upload"
            return self._next(record, state, result=results.domestic + results.foreign,
                              upload_index=0)
        if record.state == "upload":
            sent = len(self._chunk(record))
            moved = self._next(record, "upload", upload_index=record.upload_index + 1,
                               uploaded=record.uploaded + sent)
            crashpoint("settle.mid_upload")
            return moved
        if record.state == "end":
            return self._next(record, "x_settle")
        x_result = ps.parse_results(response).domestic
        self._journal.settlement_step(record.id, state="x_settle", x_result=x_result)
        return self._journal.finish_settlement(record.id)

    def _next(self, record: SettlementRecord, state: str, **changes: object) -> SettlementRecord:
        return self._journal.settlement_step(record.id, state=state,
                                             stan=self._journal.next_stan(), **changes)

    async def _send(self, message: Message) -> Message | OnlineReply:
        answer, response = await self._svc.exchange(message)
        if answer.reach is not Reach.ANSWERED or response is None:
            return OnlineReply(outcome=_STOPPED.get(answer.reach, Outcome.ERROR))
        if answer.rc != "00":
            return OnlineReply(outcome=Outcome.DECLINED, rc=answer.rc,
                               notice=Notice.SETTLE_REFUSED)
        self._when = self._svc._when(response)
        return response

    def _summary(self, record: SettlementRecord) -> SettleSummary:
        result = record.result.ljust(2)
        return SettleSummary(batch=record.batch, x_batch=record.x_batch,
                             when=self._when or self._svc._clock(),
                             bank=totals_from(record.totals["bank"]),
                             x=totals_from(record.totals["x"]),
                             domestic=result[0].strip(), foreign=result[1].strip(),
                             x_result=record.x_result, uploaded=record.uploaded,
                             new_batch=self._journal.batch_no)
