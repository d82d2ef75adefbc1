"""X2: the money legs of an order payment undone when the platform refuses the order.

Theory of operation
-------------------
A payment's legs (the bank sale, the third-party debit, or both for a combined payment)
are journaled with their own undo: the fields of a 0400 reversal with reason ``06``
(no card number, track or PIN block; reference §1.6), kept in the leg's detail
(:data:`UNDO_KEY`) when it is sent, before anything is known.

When the platform gives a **definite refusal** of the order-paid notice (any answered
response code but ``00`` and ``77``, by :mod:`xpos.core.rules`, kind ``order paid``),
no leg may keep its money:

1. every approved leg gets its reversal queued (:meth:`~xpos.journal.Journal.
   queue_reversal`), the bank leg first, then the third-party leg;
2. the payment row is completed DECLINED with ``undone`` = true in its detail;
3. the pending reversals are sent at once (and, should the host be unreachable, before
   any later online request: the reversal queue always goes first).

Why a reversal and not a void (reference §1.4, §1.6): the customer's transaction as a
whole failed after the host approved a leg — the case reason ``06`` names ("the card
declined after the host approved"); the reversal repeats the original STAN, so a repeat
after a crash is the same message and the host undoes it at most once, and it needs no
card swiped again and no supervisor password, where a void (0200/200000) is a new
transaction the merchant starts with the card. The third-party leg is undone the same
way (as a combined payment whose bank leg failed already did).

Crash safety: a kill before step 1 leaves the payment PENDING with approved legs; the
notice is sent again at the restart (:meth:`~xpos.terminal.orders.OrderService.flush`)
and its answer decides again. A kill between the queued reversals and step 2 leaves the
payment PENDING; the queued reversals go out first at the restart and the recovery
finds no approved bank leg: the payment fails (a combined payment's third-party leg is
undone then if its reversal was not queued yet — hence the bank leg first). A kill
after step 2 leaves the reversals queued: they go out first at the restart. The
reversal of a leg is one queue row (a second queueing is refused), so no leg is undone
twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xpos.core.flows.online import Notice, OnlineReply, SaleRequest
from xpos.core.rules import Decision, Kind
from xpos.errors import JournalError
from xpos.journal import Journal, ReversalDraft, TxnRecord, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

log = logging.getLogger(__name__)

UNDO_KEY = "undo"
"""Detail key of a leg: the fields of its reversal, kept to undo it."""
UNDO_REASON = "06"
"""Field 39 of the reversal that undoes an approved leg (reference §1.6: "anything else")."""
UNDONE_KEY = "undone"
"""Detail key of a payment whose notice was refused: its legs were undone."""
PAYMENT_KEY = "order_pay"
"""Detail key of a leg: the journal id of the payment it belongs to."""
_LEG_KINDS = (Kind.SALE.value, Kind.PARTY_DEBIT.value)


@dataclass(frozen=True, kw_only=True)
class NoticeResult:
    """What the order-paid notice came to.

    Attributes:
        decision: The rules' decision on its answer.
        text: The platform's words (DF26), "" when none.
        rc: Its response code ("" without an answer).
        undo: After a definite refusal: :attr:`Notice.ORDER_UNDONE` (every leg given
            back), :attr:`Notice.ORDER_UNDO_PENDING` (reversals queued, not yet taken)
            or :attr:`Notice.ORDER_NOTICE_REFUSED` (a leg that cannot be undone here);
            ``None`` otherwise.
    """

    decision: Decision
    text: str
    rc: str = ""
    undo: Notice | None = None


def undo_fields(message: Message) -> dict[str, str]:
    """The reversal (reason 06) of ``message`` as a leg's detail keeps it."""
    undo = m.reversal_request(message, reason=UNDO_REASON)
    return {str(k): v for k, v in undo.fields.items()}


async def order_sale(txn: TransactionService, keys: WorkingKeys, request: SaleRequest,
                     detail: dict[str, object]) -> OnlineReply:
    """The bank leg: a sale as :meth:`TransactionService.sale` sends it (journal and
    reversal before send), its detail also keeping its undo (:data:`UNDO_KEY`)."""
    message = txn.sale_message(request, keys)
    sent = txn.begin(Kind.SALE, "bank", message, request.amount, request.card.masked_pan,
                     detail={**detail, UNDO_KEY: undo_fields(message)})
    return await txn.finish(message, sent, keys)


def legs(journal: Journal, payment: int) -> list[TxnRecord]:
    """Every leg of ``payment`` (any status), the bank leg first."""
    found = [r for r in journal.transactions()
             if r.kind in _LEG_KINDS and r.detail.get(PAYMENT_KEY) == payment]
    return sorted(found, key=lambda r: (r.kind != Kind.SALE.value, r.id))


def queue_leg_undo(journal: Journal, leg: TxnRecord) -> bool:
    """Queue the reversal kept in ``leg``'s detail (:data:`UNDO_KEY`).

    Returns:
        False when the leg has no reversal kept or its reversal is queued already (a
        restart in between); both are logged.
    """
    fields = leg.detail.get(UNDO_KEY)
    if not isinstance(fields, dict):
        log.error("%s STAN %06d has no reversal kept; cannot undo it", leg.kind, leg.stan)
        return False
    draft = {int(k): str(v) for k, v in fields.items()}
    if leg.auth_code:
        draft[38] = leg.auth_code
    try:
        journal.queue_reversal(leg.id, ReversalDraft(mti="0400", fields=draft),
                               reason=UNDO_REASON)
    except JournalError as exc:
        log.warning("undo of %s STAN %06d: %s", leg.kind, leg.stan, exc)
        return False
    return True


def queue_undo(journal: Journal, payment: int) -> None:
    """Queue the reversal of every approved leg of ``payment``, the bank leg first."""
    for leg in legs(journal, payment):
        if leg.status is TxnStatus.APPROVED and queue_leg_undo(journal, leg):
            log.warning("order payment refused: %s STAN %06d undone (reversal queued)",
                        leg.kind, leg.stan)


def undo_state(journal: Journal, payment: int) -> Notice:
    """How far the undo of ``payment``'s legs went (see :class:`NoticeResult`)."""
    kept = [leg for leg in legs(journal, payment) if leg.status is TxnStatus.APPROVED]
    if not kept:
        return Notice.ORDER_UNDONE
    if any(not isinstance(leg.detail.get(UNDO_KEY), dict) for leg in kept):
        return Notice.ORDER_NOTICE_REFUSED
    return Notice.ORDER_UNDO_PENDING
