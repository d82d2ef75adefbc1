"""The reference host as the emulator and the QA runner see it (through ``testing``).

Re-exports what they may use of :mod:`xpos.refhost`: the demo data, the store's row
types and the host itself, so that neither imports the host package directly.
"""

from __future__ import annotations

from xpos.refhost.demo_orders import DEMO_ORDERS, J1_COUPON, MEMBER_UID
from xpos.refhost.orders import OrderRow
from xpos.refhost.redeem_store import set_void_window
from xpos.refhost.rows import CardKind, CardStatus, VoucherStatus
from xpos.refhost.seed import DEMO, DemoData, seed_demo, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.refhost.store import HostStore

__all__ = [
    "DEMO",
    "DEMO_ORDERS",
    "J1_COUPON",
    "MEMBER_UID",
    "CardKind",
    "CardStatus",
    "DemoData",
    "HostStore",
    "OrderRow",
    "ReferenceHost",
    "VoucherStatus",
    "seed_demo",
    "set_void_window",
    "track2_for",
]
