"""Flows: generators that yield steps and online requests (see :mod:`.online`).

:data:`BUILTIN_FLOWS` names the built-in transactions that menus may point at with
``action = "builtin:<name>"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    Notice,
    Online,
    OnlineReply,
    OnlineRequest,
    Outcome,
    ReadinessRequest,
    ReprintRequest,
    SaleRequest,
    SignOnRequest,
    SupervisorCheck,
    TotalsRequest,
    VoidLookup,
    VoidRequest,
    VoucherDetails,
    VoucherQuery,
    VoucherRequest,
    VoucherVoidLookup,
    VoucherVoidRequest,
)
from xpos.core.flows.order_pay import order_pay_flow
from xpos.core.flows.preauth import (
    completion_flow,
    completion_void_flow,
    preauth_flow,
    preauth_void_flow,
)
from xpos.core.flows.refund import balance_flow, refund_flow
from xpos.core.flows.reprint import reprint_last_flow, reprint_trace_flow
from xpos.core.flows.sale import sale_flow
from xpos.core.flows.settle import settle_flow, settle_reprint_flow
from xpos.core.flows.sign_on import sign_on_flow
from xpos.core.flows.totals import totals_flow
from xpos.core.flows.void import void_flow
from xpos.core.flows.voucher import voucher_flow
from xpos.core.flows.voucher_void import voucher_void_flow
from xpos.core.flows.x_records import x_records_flow, x_totals_flow

BUILTIN_FLOWS: Mapping[str, Callable[[FlowContext], Flow]] = MappingProxyType(
    {
        "sign_on": sign_on_flow,
        "sale": sale_flow,
        "voucher_verify": voucher_flow,
        "void": void_flow,
        "reprint_last": reprint_last_flow,
        "reprint_trace": reprint_trace_flow,
        "totals": totals_flow,
        "preauth": preauth_flow,
        "preauth_void": preauth_void_flow,
        "completion": completion_flow,
        "completion_void": completion_void_flow,
        "order_pay": order_pay_flow,
        "x_records": x_records_flow,
        "x_totals": x_totals_flow,
        "settle": settle_flow,
        "settle_reprint": settle_reprint_flow,
        "refund": refund_flow,
        "balance": balance_flow,
        "voucher_void": voucher_void_flow,
    }
)
"""Built-in flows by name."""

__all__ = [
    "BUILTIN_FLOWS",
    "Command",
    "Flow",
    "FlowContext",
    "Notice",
    "Online",
    "OnlineReply",
    "OnlineRequest",
    "Outcome",
    "ReadinessRequest",
    "ReprintRequest",
    "SaleRequest",
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
    "balance_flow",
    "completion_flow",
    "completion_void_flow",
    "order_pay_flow",
    "preauth_flow",
    "preauth_void_flow",
    "refund_flow",
    "reprint_last_flow",
    "reprint_trace_flow",
    "sale_flow",
    "settle_flow",
    "settle_reprint_flow",
    "sign_on_flow",
    "totals_flow",
    "void_flow",
    "voucher_flow",
]
