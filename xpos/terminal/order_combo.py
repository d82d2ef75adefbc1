"""X2 combined payment in the shell: third-party balance first, the rest by bank card.

Theory of operation
-------------------
One payment row (kind ``order_pay``, detail ``combo`` = true) is journaled *pending*
before anything is sent, as for a one-leg payment (:mod:`xpos.terminal.orders`). Then:

1. **The third-party leg** (0200/730000) is journaled with its reversal like a sale,
   its detail naming the payment and holding ``undo``: the fields of its reversal
   (no card number, no PIN block), kept for later. It asks for the whole amount due;
   a ``51`` answer gives the card's balance (``DF2D``) and the debit is sent again
   (new STAN) for that balance. A debit that pays everything completes the payment
   like a one-leg third-party payment.
2. **The bank leg** is an ordinary sale of the rest (journal before send, reversal),
   its detail naming the payment.
3. **The order-paid notice** names both legs (``DF27``/``DF28`` + ``DF2B``/``DF2C``).

**Any leg that fails undoes the legs before it.** When the bank leg is declined, is
reversed (no usable answer), or the customer gives up before it, the third-party debit
is undone by its own reversal (0400, reason ``06``, field 38 = its approval code),
queued for the approved debit with :meth:`~xpos.journal.Journal.queue_reversal` and
sent at once like every pending reversal (and, should that fail, before any later
request: the reversal queue always goes first). The payment is marked FAILED in the
same step. The platform credits the card back exactly once.

**Recovery** (:func:`recover`, from :meth:`OrderService.flush` after the pending
reversals, so a bank leg without an answer is already reversed): a pending combined
payment with an approved bank leg and an approved third-party leg gets its notice
(again); one with an approved third-party leg and no approved bank leg has the
third-party leg undone; one with no approved third-party leg took no money and fails.
So a kill -9 at any instant leaves either both legs taken and the order paid, or no
money taken.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import OnlineReply, OrderComboPay, Outcome, SaleRequest
from xpos.core.rules import Kind
from xpos.errors import CodecError
from xpos.journal import Journal, TxnRecord, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.order import (
    PartyLeg,
    parse_order_message,
    parse_party_balance,
    party_debit_request,
)
from xpos.security.keys import WorkingKeys
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.order_undo import (
    UNDO_KEY,
    UNDO_REASON,
    order_sale,
    queue_leg_undo,
    undo_fields,
)

if TYPE_CHECKING:
    from xpos.terminal.orders import OrderService

log = logging.getLogger(__name__)

COMBO_KEY = "combo"
"""Detail key of a payment row: true for a combined payment."""
__all__ = ["COMBO_KEY", "UNDO_KEY", "UNDO_REASON", "ComboPayments", "recover",
           "undo_payment"]


class ComboPayments:
    """Runs :class:`OrderComboPay` requests for an :class:`OrderService`."""

    def __init__(self, orders: OrderService) -> None:
        """Serve combined payments with ``orders``' transaction service."""
        self._orders = orders
        self._payment: int | None = None

    async def handle(self, request: OrderComboPay) -> OnlineReply:
        """Run one leg (``party``, ``bank``) or the ``undo`` of a combined payment."""
        if request.leg == "party":
            return await self._party(request)
        if request.leg == "bank":
            return await self._bank(request)
        return await self._undo()

    async def _party(self, request: OrderComboPay) -> OnlineReply:
        orders = self._orders
        txn = orders.txn
        keys = await txn.prepare()
        if isinstance(keys, OnlineReply):
            return keys
        if request.card is None or not request.card.pan:
            return OnlineReply(outcome=Outcome.DECLINED, rc="14")
        journal = txn.journal
        payment = orders.begin_payment(request.order_no, request.amount, request.card,
                                       combo=True)
        orders.active = self._payment = payment
        debit, balance = await self._debit(request, payment, request.amount, keys)
        if debit.outcome is not Outcome.APPROVED and balance and balance < request.amount:
            debit, balance = await self._debit(request, payment, balance, keys)
        if debit.outcome is not Outcome.APPROVED:
            self._close(payment, TxnStatus.FAILED)
            return debit
        crashpoint("combo.after_party")
        if debit.amount < request.amount:
            return debit  # the flow takes the rest by bank card
        self._close(payment, None)
        leg = PartyLeg(batch=debit.batch, stan=debit.stan, amount=debit.amount)
        result = await orders.notify(journal.get(payment), leg, keys)
        return orders.paid_reply(debit, result)

    async def _debit(self, request: OrderComboPay, payment: int, amount: int,
                     keys: WorkingKeys) -> tuple[OnlineReply, int | None]:
        """One third-party debit, journaled with its reversal (also kept as ``undo``)."""
        txn = self._orders.txn
        journal, cfg = txn.journal, txn.config
        card = request.card
        assert card is not None and card.pan  # checked by the caller
        message = party_debit_request(
            stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid, batch=journal.batch_for("x"),
            order_no=request.order_no, amount=amount, pan=card.pan,
            pin_block=request.pin_block)
        message = m.add_mac(message, txn.mac(keys))
        sent = txn.begin(Kind.PARTY_DEBIT, "x", message, amount, card.masked_pan,
                          detail={"order": request.order_no, "order_pay": payment,
                                  UNDO_KEY: undo_fields(message)})
        crashpoint("combo.before_party")
        answer, response = await txn.exchange(message, keys)
        decision = rules.decide(Kind.PARTY_DEBIT, answer)
        txn.log_decision(decision, sent.stan)
        txn.apply_keys(decision, None)
        auth = (response.get(38) or "").strip() if response is not None else ""
        rrn = (response.get(37) or "").strip() if response is not None else ""
        txn.apply_journal(decision, sent, rc=answer.rc, auth=auth, rrn=rrn, voucher=None)
        reply = OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=sent.stan,
                            batch=sent.batch, amount=amount, masked_pan=sent.masked_pan)
        if response is None:
            return reply, None
        balance = None
        try:
            balance = parse_party_balance(response) if answer.rc == "51" else None
        except CodecError:
            balance = None
        return OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=sent.stan,
                           batch=sent.batch, amount=amount, masked_pan=sent.masked_pan,
                           rc=answer.rc, auth_code=auth, rrn=rrn, when=txn.host_when(response),
                           message=_party_text(response)), balance

    async def _bank(self, request: OrderComboPay) -> OnlineReply:
        orders = self._orders
        txn = orders.txn
        payment = self._payment
        if payment is None or request.card is None:
            return OnlineReply(outcome=Outcome.ERROR)
        keys = await txn.prepare()
        if isinstance(keys, OnlineReply):
            await self._undo()
            return keys
        sale = await order_sale(txn, keys, SaleRequest(
            amount=request.amount, card=request.card, pin_block=request.pin_block),
            detail={"order": request.order_no, "order_pay": payment})
        if sale.outcome is not Outcome.APPROVED:
            await self._undo()
            return sale
        crashpoint("combo.after_bank")
        self._close(payment, None)
        journal = txn.journal
        party = _party_leg(journal.transactions(), payment)
        if party is None:  # cannot happen: the bank leg follows an approved debit
            return OnlineReply(outcome=Outcome.ERROR)
        leg = PartyLeg(batch=party.batch, stan=party.stan, amount=party.amount)
        result = await orders.notify(journal.get(payment), orders.bank_leg(sale), keys,
                                     party=leg)
        return orders.paid_reply(sale, result)

    async def _undo(self) -> OnlineReply:
        """Undo the third-party leg of the payment in progress; the payment fails."""
        payment = self._payment
        if payment is None:
            return OnlineReply(outcome=Outcome.ERROR)
        self._close(payment, None)
        txn = self._orders.txn
        undo_payment(txn.journal, payment)
        keys = txn.working_keys()
        if keys is not None:
            await txn.flush_reversals(keys)
        return OnlineReply(outcome=Outcome.APPROVED)

    def _close(self, payment: int, status: TxnStatus | None) -> None:
        """No payment in progress any more; complete it with ``status`` if given."""
        self._payment = None
        self._orders.active = None
        if status is not None:
            self._orders.txn.journal.complete_txn(payment, status=status,
                                                   clear_reversal=False)


def _party_text(response: Message) -> str:
    try:
        return parse_order_message(response)
    except CodecError:
        return ""


def _party_leg(records: list[TxnRecord], payment: int) -> TxnRecord | None:
    """The approved third-party leg of ``payment``, if any."""
    for record in records:
        if (record.kind == Kind.PARTY_DEBIT.value and record.detail.get("order_pay") == payment
                and record.status is TxnStatus.APPROVED):
            return record
    return None


def undo_payment(journal: Journal, payment: int) -> None:
    """Queue the reversal of ``payment``'s approved third-party leg; the payment fails."""
    party = _party_leg(journal.transactions(), payment)
    if journal.get(payment).status is TxnStatus.PENDING:
        journal.complete_txn(payment, status=TxnStatus.FAILED, clear_reversal=False)
    if party is not None and queue_leg_undo(journal, party):
        log.warning("combined payment: third-party leg STAN %06d undone (reversal queued)",
                    party.stan)


async def recover(orders: OrderService, payment: TxnRecord, keys: WorkingKeys) -> None:
    """Settle a pending combined payment after a restart (see the module text)."""
    journal = orders.txn.journal
    records = journal.transactions()
    party = _party_leg(records, payment.id)
    bank = next((r for r in records if r.kind == "sale"
                 and r.detail.get("order_pay") == payment.id), None)
    if party is not None and bank is not None and bank.status is TxnStatus.APPROVED:
        log.warning("combined payment STAN %06d: sending the order-paid notice again",
                    payment.stan)
        leg = PartyLeg(batch=party.batch, stan=party.stan, amount=party.amount)
        await orders.notify(payment, orders.record_leg(bank), keys, party=leg)
        return
    log.warning("combined payment STAN %06d: no bank leg taken; undoing the rest",
                payment.stan)
    undo_payment(journal, payment.id)
    await orders.txn.flush_reversals(keys)
