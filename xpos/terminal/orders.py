"""X2 order payment in the shell: order query, bank leg, order-paid notice, recovery.

Theory of operation
-------------------
A payment is three journal rows and two or three messages, in this order:

1. **The payment** (kind ``order_pay``, domain ``x``, no reversal) is journaled
   *pending* before anything is sent; its STAN is the one the order-paid notice uses.
2. **The paying leg** is an ordinary sale (:meth:`TransactionService.sale`) or a
   third-party debit (0200/730000, kind ``third-party debit``): journaled with its
   reversal before it is sent, its detail naming the payment (``order_pay`` = the
   payment's journal id). A leg without a usable answer is reversed like any sale.
3. **The order-paid notice** (0100/720000) names the bank leg (batch, STAN, RRN,
   amount); the platform checks it against the acquirer's ledger and marks the order
   paid. The rules (:mod:`xpos.core.rules`, kind ``order paid``) say what its answer
   does to the payment row: approved, declined, or still pending.

**A definite refusal of the notice** (P1, P2, any answered code but ``00``/``77``) undoes
the legs: each leg kept its own reversal (reason ``06``) when it was sent, and these are
queued and sent at once; the payment is DECLINED with ``undone`` in its detail
(:mod:`xpos.terminal.order_undo`). **No answer** (timeout, unreachable, a malformed or
badly MAC'd answer, ``77``) leaves the payment pending: the money stays taken and the
notice is sent again before every later online request, without a limit, until the
platform answers it (``00``: paid; a refusal: undone then).

A payment still pending is settled by :meth:`OrderService.flush`, which the
transaction service runs after the pending reversals before every online request
(also the first one after a restart or a kill -9): with no bank leg, or a bank leg
declined, failed or reversed, no money was taken and the payment fails; with an
approved bank leg the notice is sent (again; the platform answers a repeat of the same
bank leg ``00`` again). So a crash at any instant leaves either the money returned or
the order marked paid, and never two debits: the bank leg is one sale, reversed at
most once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import (
    Notice,
    OnlineReply,
    OrderBankPay,
    OrderComboPay,
    OrderDetails,
    OrderPartyPay,
    OrderQuery,
    Outcome,
    SaleRequest,
)
from xpos.core.rules import JournalEffect, Kind
from xpos.errors import CodecError
from xpos.journal import TxnRecord, TxnStatus
from xpos.model import CardData
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.order import (
    BankLeg,
    PartyLeg,
    order_paid_request,
    order_query_request,
    parse_order_message,
    parse_order_query_response,
    party_debit_request,
)
from xpos.security.keys import WorkingKeys
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.order_combo import COMBO_KEY, ComboPayments, recover
from xpos.terminal.order_undo import (
    UNDO_KEY,
    UNDONE_KEY,
    NoticeResult,
    order_sale,
    queue_undo,
    undo_fields,
    undo_state,
)
from xpos.terminal.xquery import ask_platform

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

log = logging.getLogger(__name__)

PAYMENT_KIND = "order_pay"
"""Journal kind of an order payment (the row the order-paid notice completes)."""
ORDER_PAY_KEY = "order_pay"
"""Detail key of a bank leg: the journal id of the payment it belongs to."""
_GONE = (TxnStatus.DECLINED, TxnStatus.FAILED, TxnStatus.REVERSED)


class OrderService:
    """Runs the X2 requests for :class:`~xpos.terminal.txn.TransactionService`."""

    def __init__(self, txn: TransactionService) -> None:
        """Serve orders with ``txn``'s journal, keys and host link."""
        self._txn = txn
        self._active: int | None = None
        self.combo = ComboPayments(self)

    @property
    def txn(self) -> TransactionService:
        """The transaction service whose journal, keys and link the payments use."""
        return self._txn

    @property
    def active(self) -> int | None:
        """The payment in progress (left alone by :meth:`flush`), or ``None``."""
        return self._active

    @active.setter
    def active(self, payment: int | None) -> None:
        self._active = payment

    async def handle(self, request: OrderQuery | OrderBankPay | OrderPartyPay
                     | OrderComboPay) -> OnlineReply:
        """Run one order request."""
        if isinstance(request, OrderComboPay):
            return await self.combo.handle(request)
        if isinstance(request, OrderQuery):
            return await self.query(request)
        if isinstance(request, OrderPartyPay):
            return await self.pay_by_party(request)
        return await self.pay_by_bank(request)

    async def query(self, request: OrderQuery) -> OnlineReply:
        """0100/710000: the order and its amount due (nothing is journaled)."""
        txn = self._txn
        keys = await txn.prepare()
        if isinstance(keys, OnlineReply):
            return keys
        journal, cfg = txn.journal, txn.config
        stan = journal.next_stan()
        try:
            message = order_query_request(stan=stan, tid=cfg.tid, mid=cfg.mid,
                                          batch=journal.batch_for("x"), code=request.code)
        except CodecError:
            return OnlineReply(outcome=Outcome.DECLINED, rc="25", stan=stan)
        reply, response = await ask_platform(txn, message, keys, Kind.ORDER_QUERY, stan)
        if response is None:
            return reply
        try:
            info = parse_order_query_response(response)
            text = parse_order_message(response)
        except CodecError as exc:
            log.warning("order query answer unreadable: %s", exc)
            return OnlineReply(outcome=Outcome.REJECTED, stan=stan)
        order = None if info is None else OrderDetails(
            order_no=info.order_no, title=info.title, total=info.total, due=info.due,
            reason=info.reason)
        if reply.outcome is Outcome.APPROVED and order is None:
            return OnlineReply(outcome=Outcome.REJECTED, stan=stan)
        return OnlineReply(outcome=reply.outcome, notice=reply.notice, rc=reply.rc,
                           stan=stan, message=text, order=order, when=txn.host_when(response))

    async def pay_by_bank(self, request: OrderBankPay) -> OnlineReply:
        """Journal the payment, run the bank sale, then send the order-paid notice."""
        txn = self._txn
        keys = await txn.prepare()
        if isinstance(keys, OnlineReply):
            return keys
        journal = txn.journal
        payment = self._begin_payment(request.order_no, request.amount, request.card)
        self._active = payment
        try:
            sale = await order_sale(txn, keys, SaleRequest(
                amount=request.amount, card=request.card, pin_block=request.pin_block),
                detail={"order": request.order_no, ORDER_PAY_KEY: payment})
        finally:
            self._active = None
        if sale.outcome is not Outcome.APPROVED:
            journal.complete_txn(payment, status=TxnStatus.FAILED, clear_reversal=False)
            return sale
        result = await self._notify(journal.get(payment), sale_leg(sale), keys)
        return _paid_reply(sale, result)

    async def pay_by_party(self, request: OrderPartyPay) -> OnlineReply:
        """Journal the payment, run the third-party debit, then send the order-paid notice."""
        txn = self._txn
        keys = await txn.prepare()
        if isinstance(keys, OnlineReply):
            return keys
        journal, cfg = txn.journal, txn.config
        payment = self._begin_payment(request.order_no, request.amount, request.card)
        message = party_debit_request(
            stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid, batch=journal.batch_for("x"),
            order_no=request.order_no, amount=request.amount, pan=request.card.pan,
            pin_block=request.pin_block)
        message = m.add_mac(message, txn.mac(keys))
        sent = txn.begin(Kind.PARTY_DEBIT, "x", message, request.amount,
                          request.card.masked_pan,
                          detail={"order": request.order_no, ORDER_PAY_KEY: payment,
                                  UNDO_KEY: undo_fields(message)})
        debit = await txn.finish(message, sent, keys)
        if debit.outcome is not Outcome.APPROVED:
            journal.complete_txn(payment, status=TxnStatus.FAILED, clear_reversal=False)
            return debit
        leg = PartyLeg(batch=debit.batch, stan=debit.stan, amount=debit.amount)
        result = await self._notify(journal.get(payment), leg, keys)
        return _paid_reply(debit, result)

    def _begin_payment(self, order_no: str, amount: int, card: CardData) -> int:
        return self.begin_payment(order_no, amount, card)

    def begin_payment(self, order_no: str, amount: int, card: CardData, *,
                      combo: bool = False) -> int:
        """Journal the payment (pending, no reversal) before any leg is sent."""
        journal, cfg = self._txn.journal, self._txn.config
        detail: dict[str, object] = {"order": order_no}
        if combo:
            detail[COMBO_KEY] = True
        return journal.begin_txn(kind=PAYMENT_KIND, domain="x", stan=journal.next_stan(),
                                 batch=journal.batch_for("x"), amount=amount,
                                 masked_pan=card.masked_pan, tid=cfg.tid, mid=cfg.mid,
                                 detail=detail)

    async def flush(self, keys: WorkingKeys) -> None:
        """Settle every pending payment but the one in progress (see the module text)."""
        journal = self._txn.journal
        for payment in journal.transactions():
            if payment.kind != PAYMENT_KIND or payment.status is not TxnStatus.PENDING:
                continue
            if payment.id == self._active:
                continue
            if payment.detail.get(COMBO_KEY):  # combined payment (xpos.terminal.order_combo)
                await recover(self, payment, keys)
                continue
            leg = self._bank_leg(payment)
            if leg is None or leg.status in _GONE:
                log.warning("order payment STAN %06d: no bank money taken; payment failed",
                            payment.stan)
                journal.complete_txn(payment.id, status=TxnStatus.FAILED, clear_reversal=False)
            elif leg.status is TxnStatus.APPROVED:
                log.warning("order payment STAN %06d: sending the order-paid notice again",
                            payment.stan)
                paying: BankLeg | PartyLeg = record_leg(leg)
                if leg.kind != "sale":
                    paying = PartyLeg(batch=leg.batch, stan=leg.stan, amount=leg.amount)
                await self._notify(payment, paying, keys)

    def _bank_leg(self, payment: TxnRecord) -> TxnRecord | None:
        for record in self._txn.journal.transactions(batch=payment.batch):
            if (record.kind in ("sale", Kind.PARTY_DEBIT.value)
                    and record.detail.get(ORDER_PAY_KEY) == payment.id):
                return record
        return None

    async def _notify(self, payment: TxnRecord, leg: BankLeg | PartyLeg,
                      keys: WorkingKeys, *, party: PartyLeg | None = None) -> NoticeResult:
        return await self.notify(payment, leg, keys, party=party)

    async def notify(self, payment: TxnRecord, leg: BankLeg | PartyLeg,
                     keys: WorkingKeys, *, party: PartyLeg | None = None) -> NoticeResult:
        """Send the order-paid notice of ``payment`` (naming ``leg``, and ``party`` too
        for a combined payment); apply the rules to the journal; a definite refusal
        undoes the legs (:mod:`xpos.terminal.order_undo`)."""
        txn = self._txn
        cfg = txn.config
        message: Message = order_paid_request(
            stan=payment.stan, tid=cfg.tid, mid=cfg.mid, batch=payment.batch,
            order_no=str(payment.detail.get("order", "")), bank=leg, party=party)
        message = m.add_mac(message, txn.mac(keys))
        answer, response = await txn.exchange(message, keys)
        decision = rules.decide(Kind.ORDER_PAID, answer)
        txn.log_decision(decision, payment.stan)
        txn.apply_keys(decision, None)
        crashpoint("order_paid.after_answer")
        text = ""
        if response is not None:
            try:
                text = parse_order_message(response)
            except CodecError:
                text = ""
        bank: dict[str, object] = {"leg_stan": leg.stan, "leg_batch": leg.batch}
        if isinstance(leg, BankLeg):
            bank["bank_rrn"] = leg.rrn
        if party is not None:
            bank["party_stan"] = party.stan
        if decision.journal is JournalEffect.APPROVED:
            rrn = (response.get(37) or "").strip() if response is not None else ""
            txn.journal.complete_txn(payment.id, status=TxnStatus.APPROVED, rc=answer.rc,
                                      rrn=rrn or None, detail_update=bank,
                                      clear_reversal=False)
        elif decision.journal is JournalEffect.DECLINED:
            log.error("order-paid notice STAN %06d refused (rc %s): order not paid; "
                      "undoing the legs", payment.stan, answer.rc)
            queue_undo(txn.journal, payment.id)  # journaled before anything is sent
            txn.journal.complete_txn(payment.id, status=TxnStatus.DECLINED, rc=answer.rc,
                                      detail_update={**bank, UNDONE_KEY: True},
                                      clear_reversal=False)
            crashpoint("order_paid.undo_queued")
            await txn.flush_reversals(keys)
            return NoticeResult(decision=decision, text=text, rc=answer.rc,
                                undo=undo_state(txn.journal, payment.id))
        return NoticeResult(decision=decision, text=text, rc=answer.rc)

    @staticmethod
    def paid_reply(leg: OnlineReply, result: NoticeResult) -> OnlineReply:
        """See :func:`_paid_reply`."""
        return _paid_reply(leg, result)

    @staticmethod
    def bank_leg(reply: OnlineReply) -> BankLeg:
        """See :func:`sale_leg`."""
        return sale_leg(reply)

    @staticmethod
    def record_leg(record: TxnRecord) -> BankLeg:
        """See :func:`record_leg`."""
        return record_leg(record)


def _paid_reply(leg: OnlineReply, result: NoticeResult) -> OnlineReply:
    """The flow's answer once the paying leg is approved: the leg's references, and why
    the order is not (yet) confirmed when the notice was not taken.

    A refused notice whose legs are undone (or queued to be) is DECLINED with the
    notice's response code and the undo's notice; money kept by a leg that could not be
    undone (a journal from before legs kept their undo) stays APPROVED with
    :attr:`Notice.ORDER_NOTICE_REFUSED`."""
    decision, text = result.decision, result.text
    notice = None
    if decision.journal is JournalEffect.DECLINED:
        notice = result.undo or Notice.ORDER_NOTICE_REFUSED
        if notice is not Notice.ORDER_NOTICE_REFUSED:
            return OnlineReply(outcome=Outcome.DECLINED, notice=notice, rc=result.rc,
                               stan=leg.stan, batch=leg.batch, rrn=leg.rrn,
                               masked_pan=leg.masked_pan, amount=leg.amount, message=text)
    elif decision.journal is not JournalEffect.APPROVED:
        notice = Notice.ORDER_NOTICE_PENDING
    return OnlineReply(outcome=Outcome.APPROVED, notice=notice, rc=leg.rc, stan=leg.stan,
                       batch=leg.batch, auth_code=leg.auth_code, rrn=leg.rrn, when=leg.when,
                       masked_pan=leg.masked_pan, amount=leg.amount, message=text)


def sale_leg(reply: OnlineReply) -> BankLeg:
    """The bank leg an approved sale reply describes."""
    return BankLeg(batch=reply.batch, stan=reply.stan, rrn=reply.rrn.ljust(12)[:12],
                   amount=reply.amount)


def record_leg(record: TxnRecord) -> BankLeg:
    """The bank leg a journaled approved sale describes."""
    return BankLeg(batch=record.batch, stan=record.stan,
                   rrn=(record.rrn or "").ljust(12)[:12], amount=record.amount)
