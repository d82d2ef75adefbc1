"""The demo orders of the reference host (X2 order payment, journey J1).

Shown in the README demo table. Amounts in fen. The coupon ``6688000020`` keyed at the
car-rental desk finds order ``6600000002`` at 20 % off (journey J1).
"""

from __future__ import annotations

from xpos.refhost.orders import OrderRow

MEMBER_UID = "04A1B2C3"
"""The RFID UID of the demo member card (8868000000000001): taps where a member card is asked."""
J1_COUPON = "6688000020"
"""The car-rental coupon of journey J1 (20 % off order 6600000002)."""

DEMO_ORDERS: tuple[OrderRow, ...] = (
    OrderRow(order_no="6600000001", title="经济型轿车租赁3天", total=60_000, due=60_000),
    OrderRow(order_no="6600000002", title="SUV租赁2天", total=50_000, due=50_000,
             coupon=J1_COUPON, coupon_percent=20),
    OrderRow(order_no="6600000003", title="婚宴套餐", total=1_000_000, due=200_000,
             reason="定金 20%"),
    OrderRow(order_no="6600000004", title="家电分期", total=300_000, due=100_000,
             reason="分期 第2期/共3期"),
    OrderRow(order_no="6600000005", title="年卡会员", total=50_000, due=45_000,
             reason="积分抵扣 50.00"),
    OrderRow(order_no="6600000006", title="机场接送", total=20_000, due=20_000,
             status="paid", paid_ref="000001000001240501000001", paid_amount=20_000,
             paid_at="2024-05-01T10:00:00+08:00"),
    OrderRow(order_no="6600000007", title="洗车年卡", total=15_000, due=15_000),
)
"""Full, coupon (J1), deposit, partial, points, already paid, one the member card can pay."""
