"""The requests a flow sends online (:class:`~xpos.core.flows.online.Online`), as values.

:mod:`xpos.core.flows.online` re-exports every one of them and joins them (with the
pre-auth and session requests) in ``OnlineRequest``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from xpos.model import CardData, mask_code, masked_repr


@dataclass(frozen=True, kw_only=True)
class SignOnRequest:
    """Sign on (0800): fetch working keys and the batch number."""


@dataclass(frozen=True, kw_only=True)
class ReadinessRequest:
    """Ask, before any card or PIN is taken, whether a sale can go online now.

    The runtime answers locally (no message is sent): ``APPROVED`` when the terminal is
    signed on (working keys loaded), ``NOT_SIGNED_ON`` otherwise.
    """


@dataclass(frozen=True, kw_only=True)
class SaleRequest:
    """A bank-card sale (0200).

    Attributes:
        amount: In fen.
        card: The swiped card (its track 2 stays in memory, never shown).
        pin_block: The encrypted PIN block, or ``None`` without PIN.
    """

    amount: int
    card: CardData
    pin_block: bytes | None = field(repr=False)


@dataclass(frozen=True, kw_only=True, repr=False)
class VoucherRequest:
    """X-menu order/voucher verification (0100, F3 700000).

    ``repr`` shows the voucher code masked to its last 4 characters (the member card
    masks itself).

    Attributes:
        code: The voucher code (typed or scanned); empty for the member method.
        method: ``"keyed"``, ``"scanned"`` or ``"member"``.
        order_no: The order number (member method).
        member_card: The swiped member card (member method).
        units: Items to redeem (X1 redemption in parts); ``None`` = all that are left.
    """

    code: str
    method: str
    order_no: str | None = None
    member_card: CardData | None = None
    units: int | None = None

    def __repr__(self) -> str:
        """The voucher code masked to its last 4 characters."""
        return masked_repr(self, code=repr(mask_code(self.code)))


@dataclass(frozen=True, kw_only=True, repr=False)
class SupervisorCheck:
    """Check the supervisor (主管) password; answered locally, nothing is sent.

    ``APPROVED`` when it matches the configured ``supervisor_password``, ``DECLINED``
    otherwise. ``repr`` never shows the password.

    Attributes:
        password: What was keyed.
    """

    password: str = field(repr=False)

    def __repr__(self) -> str:
        """The password hidden."""
        return "SupervisorCheck(password=<hidden>)"


@dataclass(frozen=True, kw_only=True)
class VoidLookup:
    """Find the sale a void would undo, by trace number; answered from the journal.

    The reply is ``APPROVED`` with the original's stan, batch, masked_pan, amount, when,
    auth_code and rrn when it may be voided; else ``DECLINED`` with a ``VOID_*``
    :class:`Notice` saying why (unknown trace, already voided, not approved, other
    batch, not a sale).

    Attributes:
        stan: The original's trace number.
    """

    stan: int


@dataclass(frozen=True, kw_only=True)
class VoidRequest:
    """A full void (0200, F3 200000) of a sale of the current batch.

    The runtime looks the original up again (it trusts nothing but its journal) and
    refuses it locally for the same reasons as :class:`VoidLookup`, or when the card is
    not the original's.

    Attributes:
        stan: The original's trace number.
        card: The swiped card (must be the original's).
        pin_block: The encrypted PIN block, or ``None`` without PIN.
    """

    stan: int
    card: CardData
    pin_block: bytes | None = field(repr=False)
    amount: int | None = None
    """The amount to cancel in fen: ``None`` (or the original's) for a full void, less
    for a partial void (adjust, B5) that only the host/issuer may allow."""


@dataclass(frozen=True, kw_only=True)
class ReprintRequest:
    """Fetch a transaction's receipts for a reprint (B2/B3); answered locally.

    The runtime answers from the journal's print record (no message is sent):
    ``APPROVED`` with the receipts as first printed, in print order, in
    :attr:`OnlineReply.documents` (without the REPRINT mark: the flow adds it), or
    ``DECLINED`` when there is no such transaction or it printed nothing.

    Attributes:
        stan: The trace number (凭证号) keyed; ``None`` for the last transaction.
    """

    stan: int | None = None


@dataclass(frozen=True, kw_only=True)
class TotalsRequest:
    """The totals of the current batch (B1); answered locally from the journal.

    Attributes:
        domain: ``"x"`` for the X batch only (X4); None for both.
    """

    domain: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderQuery:
    """X2: ask the platform for an order and the amount due now (0100, F3 710000).

    Attributes:
        code: The order number or coupon number keyed or scanned.
    """

    code: str


@dataclass(frozen=True, kw_only=True)
class OrderBankPay:
    """X2: pay an order by bank card: a bank sale, then the order-paid notice.

    The runtime journals the payment before the sale, the sale (with its reversal)
    before it is sent, and sends the notice (journaled, sent again until answered)
    after the sale's approval.

    Attributes:
        order_no: The order number the platform returned.
        amount: The amount due, fen.
        card: The swiped bank card.
        pin_block: The encrypted PIN block, or ``None`` without PIN.
    """

    order_no: str
    amount: int
    card: CardData
    pin_block: bytes | None = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class OrderPartyPay:
    """X2: pay an order by a third-party (member) card: a platform debit, then the notice.

    Journaled like :class:`OrderBankPay`; the debit carries its reversal like a sale.

    Attributes:
        order_no: The order number the platform returned.
        amount: The amount due, fen.
        card: The swiped third-party card.
        pin_block: Its password as a PIN block, or ``None`` when none was keyed.
    """

    order_no: str
    amount: int
    card: CardData
    pin_block: bytes | None = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class OrderComboPay:
    """X2 combined payment: third-party balance first, the rest by bank card.

    Three requests make one payment, by ``leg``:

    * ``party``: journal the payment, debit the third-party card for ``amount`` (the
      amount due) or, when its balance is lower, for its balance (the reply's
      ``amount``); a debit that pays it all completes the payment.
    * ``bank``: the bank sale of the rest (``amount``), then the order-paid notice
      naming both legs; a bank leg not approved undoes the third-party debit.
    * ``undo``: the customer gave up before the bank leg: undo the third-party debit.

    Attributes:
        leg: ``party``, ``bank`` or ``undo``.
        order_no: The order number the platform returned.
        amount: Fen: the amount due (``party``) or the rest (``bank``); 0 for ``undo``.
        card: The swiped card of the leg (``None`` for ``undo``).
        pin_block: Its PIN / password block, or ``None``.
    """

    leg: str
    order_no: str
    amount: int = 0
    card: CardData | None = None
    pin_block: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True, kw_only=True)
class XRecordsRequest:
    """X4: find local X-menu records; answered from the journal, nothing is sent.

    ``APPROVED`` with :attr:`OnlineReply.records` (oldest first) when any match, else
    ``DECLINED``.

    Attributes:
        by: ``"trace"`` (凭证号), ``"order"`` (订单号), ``"code"`` (券号: compared
            masked, as the journal keeps it), ``"date"`` (YYYYMMDD, local) or
            ``"batch"`` (every X record of the current batch).
        value: What was keyed.
    """

    by: str
    value: str = ""


@dataclass(frozen=True, kw_only=True)
class XRecord:
    """One X-menu record as X4 shows and prints it (masked data only).

    Attributes:
        stan: Trace number.
        kind: Journal kind (``voucher``, ``order_pay``, ``third-party debit``).
        status: Journal status (``approved``, ``declined``…).
        amount: Fen.
        ref: The order number or the masked voucher code, or empty.
        when: Local time of the record, or None.
    """

    stan: int
    kind: str
    status: str
    amount: int
    ref: str
    when: datetime | None


@dataclass(frozen=True, kw_only=True)
class SettleStatus:
    """Which batch a settlement would settle, and whether one is unfinished; local.

    ``APPROVED`` with ``batch`` (and ``notice`` = ``SETTLE_PENDING`` when an unfinished
    settlement will be continued), or ``NOT_SIGNED_ON``.
    """


@dataclass(frozen=True, kw_only=True)
class SettleRequest:
    """Settle (结算, B4), or continue the unfinished settlement: pending reversals, 0500,
    batch upload when unbalanced, batch-upload end, the X settlement, a new batch.

    ``APPROVED`` with :attr:`OnlineReply.settlement` once done; otherwise the outcome of
    the step that stopped it (the settlement stays unfinished and continues next time).
    """


@dataclass(frozen=True, kw_only=True)
class SettleReprintRequest:
    """The last settlement slip, as first printed, for 重打结算单; answered locally."""


@dataclass(frozen=True, kw_only=True)
class RefundLookup:
    """Find the sale a refund names, by RRN and date; answered from the journal.

    A refund may be for a sale of an earlier batch or day that the terminal no longer
    holds, so a miss is no refusal: ``APPROVED`` with the original's stan, batch,
    masked_pan, amount and when if the journal has an approved sale with this RRN,
    else ``DECLINED`` (nothing to show; the host decides).

    Attributes:
        rrn: The original's retrieval reference number (12 characters).
        date: The original's date, MMDD.
    """

    rrn: str
    date: str


@dataclass(frozen=True, kw_only=True)
class RefundRequest:
    """A refund (退货, 0220) of ``amount`` fen against the sale with ``rrn`` on ``date``.

    Never reversed: without a usable answer its outcome is unknown (reference §1.6).

    Attributes:
        rrn: The original's RRN (12 characters).
        date: The original's date, MMDD.
        amount: In fen; up to the original's remaining refundable amount (host decides).
        card: The swiped card.
        pin_block: The encrypted PIN block, or ``None`` (no PIN by default).
    """

    rrn: str
    date: str
    amount: int
    card: CardData
    pin_block: bytes | None = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class BalanceRequest:
    """A balance inquiry (查余额, 0200 F3 310000); the balance comes back in
    :attr:`OnlineReply.balance` and is never journaled or printed.

    Attributes:
        card: The swiped card.
        pin_block: The encrypted PIN block (required).
    """

    card: CardData
    pin_block: bytes | None = field(repr=False)
