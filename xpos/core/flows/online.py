"""What flows ask of the host, what they get back, and the flow type itself.

A flow is a generator (a sans-IO coroutine). It yields a *command*: a step (run on the
terminal, answered with a :class:`~xpos.core.steps.StepResult`) or :class:`Online`
(run by the runtime's transaction service against the host, answered with an
:class:`OnlineReply`). The runtime ``send()``\\ s the answer back and the flow goes on;
when the generator returns, the flow is over.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime

from xpos.core.batch import SettleSummary
from xpos.core.flows.notices import Notice, Outcome
from xpos.core.flows.preauth_requests import PreauthLookup, PreauthRequest
from xpos.core.flows.redeem_requests import VoucherQuery, VoucherVoidLookup, VoucherVoidRequest
from xpos.core.flows.remote import HostStep, SessionOpen, SessionResult
from xpos.core.flows.requests import (
    BalanceRequest,
    OrderBankPay,
    OrderComboPay,
    OrderPartyPay,
    OrderQuery,
    ReadinessRequest,
    RefundLookup,
    RefundRequest,
    ReprintRequest,
    SaleRequest,
    SettleReprintRequest,
    SettleRequest,
    SettleStatus,
    SignOnRequest,
    SupervisorCheck,
    TotalsRequest,
    VoidLookup,
    VoidRequest,
    VoucherRequest,
    XRecord,
    XRecordsRequest,
)
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry
from xpos.core.slips import TotalsLine
from xpos.core.steps import Step
from xpos.model import Document

__all__ = [
    "BalanceRequest",
    "Command",
    "Flow",
    "FlowContext",
    "HostStep",
    "Notice",
    "Online",
    "OnlineReply",
    "OnlineRequest",
    "OrderBankPay",
    "OrderComboPay",
    "OrderDetails",
    "OrderPartyPay",
    "OrderQuery",
    "Outcome",
    "PreauthLookup",
    "PreauthRequest",
    "ReadinessRequest",
    "RefundLookup",
    "RefundRequest",
    "ReprintRequest",
    "SaleRequest",
    "SessionOpen",
    "SessionResult",
    "SettleReprintRequest",
    "SettleRequest",
    "SettleStatus",
    "SignOnRequest",
    "SupervisorCheck",
    "TotalsRequest",
    "VoidLookup",
    "VoidRequest",
    "VoucherDetails",
    "VoucherQuery",
    "VoucherRequest",
    "VoucherVoidLookup",
    "VoucherVoidRequest",
    "XRecord",
    "XRecordsRequest",
]
"""Requests (:mod:`xpos.core.flows.requests`) and outcomes (:mod:`xpos.core.flows.notices`)
are re-exported from here."""

OnlineRequest = (SignOnRequest | ReadinessRequest | SaleRequest | VoucherRequest
                 | ReprintRequest | TotalsRequest | SupervisorCheck | VoidLookup
                 | VoidRequest | PreauthLookup | PreauthRequest | SessionOpen
                 | SessionResult | OrderQuery | OrderBankPay | OrderPartyPay
                 | XRecordsRequest | SettleStatus | SettleRequest | SettleReprintRequest
                 | RefundLookup | RefundRequest | BalanceRequest | OrderComboPay
                 | VoucherQuery | VoucherVoidLookup | VoucherVoidRequest)
"""Every request a flow may send online."""


@dataclass(frozen=True, kw_only=True)
class Online:
    """Command: run ``request`` against the host; the answer is an :class:`OnlineReply`."""

    request: OnlineRequest


@dataclass(frozen=True, kw_only=True)
class VoucherDetails:
    """What the platform said about a verified voucher."""

    title: str
    quantity: int
    provider: str
    code_masked: str
    value: int = 0
    """Unit value in fen (0 = the platform did not say)."""
    expires: str = ""
    """Last valid day, ``YYYY-MM-DD`` (empty = the platform did not say)."""
    units: int = 0
    """Items redeemed (or, by an X void, restored) now; ``quantity`` is what is left."""


@dataclass(frozen=True, kw_only=True)
class OrderDetails:
    """X2: what the platform said about an order.

    Attributes:
        order_no: The order number.
        title: What was ordered (outside text: shown and printed as text only).
        total: Order total, fen.
        due: Amount to pay now, fen.
        reason: Why ``due`` differs from ``total`` (coupon, deposit…), or empty.
    """

    order_no: str
    title: str
    total: int
    due: int
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class OnlineReply:
    """The runtime's answer to :class:`Online`.

    Attributes:
        outcome: How it ended.
        rc: Field 39, when the host answered.
        notice: Why, when the outcome alone does not say; its text is shown instead
            of the generic outcome text.
        stan, batch, auth_code, rrn, when: From the exchange, for the receipt.
        masked_pan: The card, masked.
        amount: In fen.
        voucher: The voucher details of an approved verification.
        documents: The receipts found for a :class:`ReprintRequest`.
        totals: The lines of a :class:`TotalsRequest` (domain, then kind order).
        step: The platform's next step (X3 :class:`SessionOpen` / :class:`SessionResult`).
        message: The platform's own words for its answer (e.g. 已于2024-05-01使用):
            outside text, shown only through :func:`xpos.core.flows.common.host_lines`.
        order: The order of an approved :class:`OrderQuery` or :class:`OrderBankPay`.
        records: The X records an :class:`XRecordsRequest` found.
        settlement: What a finished :class:`SettleRequest` settled.
    """

    outcome: Outcome
    rc: str | None = None
    notice: Notice | None = None
    stan: int = 0
    batch: int = 0
    auth_code: str = ""
    rrn: str = ""
    when: datetime | None = None
    masked_pan: str = ""
    amount: int = 0
    voucher: VoucherDetails | None = None
    documents: tuple[Document, ...] = ()
    totals: tuple[TotalsLine, ...] = ()
    step: HostStep | None = None
    message: str = ""
    order: OrderDetails | None = None
    records: tuple[XRecord, ...] = ()
    settlement: SettleSummary | None = None
    balance: int | None = field(default=None, repr=False)
    """The balance in fen of an approved :class:`BalanceRequest` (screen only)."""


@dataclass(frozen=True, kw_only=True)
class FlowContext:
    """What every flow may know about the terminal (read-only).

    Attributes:
        merchant_name: For receipts.
        tid: Terminal id (field 41).
        mid: Merchant id (field 42).
        operator: Operator number.
        lang: ``"zh"`` (default) or ``"en"``.
        pin_timeout_s: How long a PIN entry may take before the sale ends.
        refund_pin: Whether a refund asks for the PIN (config ``refund_pin``).
        geometry: The display's rows and columns (lists that flows page themselves,
            e.g. totals, page by it); the shell reads it from the display driver.
    """

    merchant_name: str
    tid: str
    mid: str
    operator: str = "01"
    lang: str = "zh"
    pin_timeout_s: float = 60.0
    refund_pin: bool = False
    geometry: Geometry = DEFAULT_GEOMETRY


Command = Step | Online
"""What a flow yields."""

Flow = Generator[Command, object, None]
"""A flow: yields commands, is sent StepResult / OnlineReply, returns nothing."""
