"""X2 orders at the reference host: order query (710000) and order-paid notice (720000).

The host plays the platform and the demo providers. Orders live in the ``orders`` table
(schema v3); each has a total, the amount due now and why (full, partial, deposit,
points…), and optionally a coupon number that, keyed instead of the order number, gives
``coupon_percent`` % off the total (journey J1: 20 % off a car rental).

Order query, checks in order (the first failing one answers; every answer is in the
ledger, kind ``order_query``, ``ref`` = the order number):

====  ==================================================================
rc    condition
====  ==================================================================
03    unknown TID / TID not under this MID             (terminal gate)
77    terminal not signed on                            (terminal gate)
A0    MAC missing or wrong                              (terminal gate)
30    field 62 missing or malformed TLV
25    no order with that number and no coupon with that number
P1    the order is already paid (DF26 says when)
00    the order, its total and the amount due now (DF21-DF25)
====  ==================================================================

Third-party debit (0200/730000, ledger kind ``x_debit``, the card row as account):
gate, ``30`` bad TLV, ``14`` not a member card, ``62`` blocked, ``25`` unknown order,
``P1`` order paid, ``55`` password missing or wrong (cards with a password), ``99``
unreadable password block, ``94`` the STAN already approved, ``51`` balance too low,
``00`` debited (conditional on the balance, one transaction with the ledger row). Its
reversal (0400) credits the card back once (:func:`xpos.refhost.bank.handle_reversal`).

Order-paid notice: after the gate and the TLV check, ``25`` unknown order; ``P2`` the
paying leg is not an approved, unreversed sale (or third-party debit) of this terminal
with that amount (and RRN) in the ledger; ``P1`` the order was paid by another bank leg; ``00`` the
order is marked paid by this bank leg, in one transaction with the ledger row (kind
``order_paid``). The same notice again (same bank leg) is answered ``00`` again and
changes nothing, so the terminal may repeat it after a crash.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from xpos.errors import DecodeError
from xpos.model import format_fen, mask_code
from xpos.proto.codec import Message
from xpos.proto.order import (
    OrderInfo,
    OrderPaid,
    order_paid_response,
    order_query_response,
    parse_order_paid_request,
    parse_order_query_request,
    parse_party_debit_request,
    party_debit_response,
)
from xpos.refhost.bank import pin_refusal
from xpos.refhost.common import Refused, open_x_request, pass_gate
from xpos.refhost.context import (
    RC_APPROVED,
    RC_DUPLICATE,
    RC_FORMAT_ERROR,
    HostContext,
    RequestKey,
    amount_of,
    request_key,
)
from xpos.refhost.rows import CardKind, CardStatus, LedgerDraft, LedgerEntry
from xpos.refhost.schema import insert_ledger
from xpos.refhost.store import HostStore

RC_UNKNOWN_ORDER = "25"
RC_PAID = "P1"
RC_BAD_LEG = "P2"
_COLUMNS = ("order_no, title, total, due, reason, coupon, coupon_percent, status, paid_ref,"
            " paid_amount, paid_at")


@dataclass(frozen=True, kw_only=True)
class OrderRow:
    """One order of the platform (amounts in fen)."""

    order_no: str
    title: str
    total: int
    due: int
    reason: str = ""
    coupon: str | None = None
    coupon_percent: int | None = None
    status: str = "open"
    paid_ref: str | None = None
    paid_amount: int | None = None
    paid_at: str | None = None


# -- store ------------------------------------------------------------------------------


def put_order(store: HostStore, order: OrderRow) -> None:
    """Add an order, or overwrite the one with that number (seed, QA fixtures)."""
    with store._tx() as db:
        db.execute(f"INSERT OR REPLACE INTO orders ({_COLUMNS}) VALUES"
                   " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (order.order_no, order.title, order.total, order.due, order.reason,
                    order.coupon, order.coupon_percent, order.status, order.paid_ref,
                    order.paid_amount, order.paid_at))


def add_order(store: HostStore, order: OrderRow) -> None:
    """Add an order unless one with that number exists."""
    if get_order(store, order.order_no) is None:
        put_order(store, order)


def get_order(store: HostStore, order_no: str) -> OrderRow | None:
    """The order with this number, or None."""
    return _order(store._one(f"SELECT {_COLUMNS} FROM orders WHERE order_no = ?", order_no))


def _by_coupon(store: HostStore, coupon: str) -> OrderRow | None:
    return _order(store._one(f"SELECT {_COLUMNS} FROM orders WHERE coupon = ?", coupon))


def orders(store: HostStore) -> list[OrderRow]:
    """Every order, by number."""
    rows = store._db.execute(f"SELECT {_COLUMNS} FROM orders ORDER BY order_no").fetchall()
    return [o for o in map(_order, rows) if o is not None]


def _order(row: tuple[object, ...] | None) -> OrderRow | None:
    if row is None:
        return None
    return OrderRow(order_no=str(row[0]), title=str(row[1]), total=int(str(row[2])),
                    due=int(str(row[3])), reason=str(row[4]),
                    coupon=None if row[5] is None else str(row[5]),
                    coupon_percent=None if row[6] is None else int(str(row[6])),
                    status=str(row[7]), paid_ref=None if row[8] is None else str(row[8]),
                    paid_amount=None if row[9] is None else int(str(row[9])),
                    paid_at=None if row[10] is None else str(row[10]))


# -- order query --------------------------------------------------------------------------


def handle_order_query(ctx: HostContext, request: Message) -> Message:
    """Answer a 0100/710000 order query (checks in the order of the module table)."""
    when = ctx.now()
    opened = open_x_request(ctx, request, "order_query", parse_order_query_request)
    if isinstance(opened, Refused):
        return ctx.seal(opened.terminal, order_query_response(
            request, rc=opened.entry.rc, info=None, message="", when=when,
            rrn=opened.entry.rrn))
    code = opened.wanted
    rc, info, message = _query(ctx.store, code)
    entry = ctx.record(opened.key, kind="order_query", rc=rc, amount=info.due if info else 0,
                       ref=info.order_no if info else mask_code(code))
    return ctx.seal(opened.terminal, order_query_response(
        request, rc=rc, info=info, message=message, when=when, rrn=entry.rrn))


def _query(store: HostStore, code: str) -> tuple[str, OrderInfo | None, str]:
    order = get_order(store, code)
    info: OrderInfo | None = None
    if order is not None:
        info = OrderInfo(order_no=order.order_no, title=order.title, total=order.total,
                         due=order.due, reason=order.reason)
    else:
        order = _by_coupon(store, code)
        if order is None:
            return RC_UNKNOWN_ORDER, None, ""
        info = coupon_info(order)
    if order.status == "paid":
        when = (order.paid_at or "")[:10]
        return RC_PAID, None, f"已于{when}支付\npaid on {when}"
    return RC_APPROVED, info, ""


def coupon_info(order: OrderRow) -> OrderInfo:
    """The order as a coupon prices it: ``coupon_percent`` % off the total, rounded down."""
    percent = order.coupon_percent or 0
    due = order.total * (100 - percent) // 100
    tenths = (100 - percent) // 10
    reason = (f"优惠券{tenths}折 -{format_fen(order.total - due)}" if percent % 10 == 0
              else f"优惠券 -{format_fen(order.total - due)}")
    return OrderInfo(order_no=order.order_no, title=order.title, total=order.total, due=due,
                     reason=reason)


# -- order-paid notice ----------------------------------------------------------------------


def handle_order_paid(ctx: HostContext, request: Message) -> Message:
    """Answer a 0100/720000 order-paid notice (see the module text)."""
    when = ctx.now()
    opened = open_x_request(ctx, request, "order_paid", parse_order_paid_request)
    if isinstance(opened, Refused):
        return ctx.seal(opened.terminal, order_paid_response(
            request, rc=opened.entry.rc, message="", when=when, rrn=opened.entry.rrn))
    key, paid = opened.key, opened.wanted
    rc, message = _refusal(ctx, key.tid, paid)
    if rc is None:
        rc = _mark_paid(ctx.store, paid, ctx.draft(key, kind="order_paid", rc=RC_APPROVED,
                                                   amount=paid.amount, ref=paid.order_no))
        if rc != RC_APPROVED:
            message = "已由其他交易支付\npaid by another txn"
    if rc != RC_APPROVED:
        ctx.record(key, kind="order_paid", rc=rc, amount=paid.amount, ref=paid.order_no)
    found = ctx.store.find(key.tid, key.batch, key.stan, ("order_paid",))
    if found is None:  # the same leg again under a new STAN: a row that moves nothing
        found = ctx.record(key, kind="order_paid", rc=rc, ref=paid.order_no)
    rrn = found.rrn
    return ctx.seal(opened.terminal, order_paid_response(
        request, rc=rc, message=message, when=when, rrn=rrn))


def leg_ref(paid: OrderPaid) -> str:
    """How the orders table names the paying leg: batch 6 + STAN 6 + RRN 12 of the bank
    sale, or ``X`` + batch 6 + STAN 6 of the third-party debit, or (combined) both."""
    party = paid.party
    third = "" if party is None else f"X{party.batch:06d}{party.stan:06d}"
    if paid.bank is not None:
        return f"{paid.bank.batch:06d}{paid.bank.stan:06d}{paid.bank.rrn}{third}"
    return third


def _leg_ok(ctx: HostContext, tid: str, paid: OrderPaid) -> bool:
    """Every leg the notice names is approved, not reversed, of its amount (and RRN)."""
    if paid.bank is None and paid.party is None:
        return False
    if paid.bank is not None:
        bank = ctx.store.find(tid, paid.bank.batch, paid.bank.stan, ("sale",))
        if (bank is None or not bank.approved or bank.reversed
                or bank.amount != paid.bank.amount or bank.rrn != paid.bank.rrn):
            return False
    if paid.party is not None:
        party = ctx.store.find(tid, paid.party.batch, paid.party.stan, ("x_debit",))
        if (party is None or not party.approved or party.reversed
                or party.amount != paid.party.amount):
            return False
    return True


def _refusal(ctx: HostContext, tid: str, paid: OrderPaid) -> tuple[str | None, str]:
    order = get_order(ctx.store, paid.order_no)
    if order is None:
        return RC_UNKNOWN_ORDER, ""
    if not _leg_ok(ctx, tid, paid):
        return RC_BAD_LEG, "银行卡交易不符\nbank leg not found"
    if order.status == "paid":
        if order.paid_ref == leg_ref(paid):
            return RC_APPROVED, ""  # the same notice again: already done
        return RC_PAID, "已由其他交易支付\npaid by another txn"
    return None, ""


def _mark_paid(store: HostStore, paid: OrderPaid, draft: LedgerDraft) -> str:
    """Mark the order paid and write the ledger row, in one transaction."""
    try:
        with store._tx() as db:
            cur = db.execute("UPDATE orders SET status = 'paid', paid_ref = ?, paid_amount = ?,"
                             " paid_at = ? WHERE order_no = ? AND status = 'open'",
                             (leg_ref(paid), paid.amount, draft.when.isoformat(), paid.order_no))
            if cur.rowcount != 1:
                return RC_PAID
            insert_ledger(db, draft)
    except sqlite3.IntegrityError:
        return RC_PAID
    return RC_APPROVED


def put_card_uid(store: HostStore, uid: str, pan: str) -> None:
    """Say that the RFID card ``uid`` (hex, any case) is card ``pan``."""
    with store._tx() as db:
        db.execute("INSERT OR REPLACE INTO card_uids VALUES (?, ?)", (uid.upper(), pan))


def card_of_uid(store: HostStore, uid: str) -> str | None:
    """The PAN of the card with RFID UID ``uid``, or None."""
    row = store._one("SELECT pan FROM card_uids WHERE uid = ?", uid.upper())
    return None if row is None else str(row[0])


def seed_orders(store: HostStore, rows: tuple[OrderRow, ...], *, reset: bool = False) -> None:
    """Add (or with ``reset`` overwrite) the demo orders."""
    for row in rows:
        (put_order if reset else add_order)(store, row)


# -- third-party debit ------------------------------------------------------------------


def handle_party_debit(ctx: HostContext, request: Message) -> Message:
    """Answer a 0200/730000 third-party debit (checks in the order of the module text)."""
    key, amount = request_key(request), amount_of(request)
    when = ctx.now()
    terminal = pass_gate(ctx, request, key, "x_debit", amount=amount, pan=request.get(2) or "")
    if isinstance(terminal, Refused):
        rc = terminal.entry.rc
        return ctx.seal(terminal.terminal, party_debit_response(
            request, rc=rc, auth_code=None, message="", when=when, rrn=terminal.entry.rrn))
    try:
        order_no = parse_party_debit_request(request)
    except DecodeError:
        order_no = ""
    rc, message, entry = _party_debit(ctx, key, request, order_no, amount)
    return ctx.seal(terminal, party_debit_response(
        request, rc=rc, auth_code=entry.auth_code, message=message, when=when, rrn=entry.rrn,
        balance=_balance(ctx, request, rc)))


def _party_debit(ctx: HostContext, key: RequestKey, request: Message, order_no: str,
                 amount: int) -> tuple[str, str, LedgerEntry]:
    pan = request.get(2) or ""
    prior = ctx.store.find(key.tid, key.batch, key.stan, ("x_debit",))
    if prior is not None and prior.approved:
        return RC_DUPLICATE, "", ctx.record(key, kind="x_debit", rc=RC_DUPLICATE,
                                            amount=amount, pan=pan)
    rc, message = _party_refusal(ctx, request, order_no)
    card = ctx.store.card(pan)
    if rc is None and card is not None:
        draft = ctx.draft(key, kind="x_debit", rc=RC_APPROVED, amount=amount, pan=pan,
                          auth_code=ctx.auth_code(), account=card.id, ref=order_no)
        entry = ctx.store.debit(draft)
        if entry is not None:
            return RC_APPROVED, "", entry
        rc, message = "51", f"余额 {format_fen(card.balance)}\nbalance {format_fen(card.balance)}"
    rc = rc or "14"
    return rc, message, ctx.record(key, kind="x_debit", rc=rc, amount=amount, pan=pan,
                                   ref=order_no)


def _balance(ctx: HostContext, request: Message, rc: str) -> int | None:
    """The balance a ``51`` answer carries (DF2D), for a combined payment."""
    card = ctx.store.card(request.get(2) or "") if rc == "51" else None
    return None if card is None else card.balance


def _party_refusal(ctx: HostContext, request: Message, order_no: str) -> tuple[str | None, str]:
    if not order_no:
        return RC_FORMAT_ERROR, ""
    card = ctx.store.card(request.get(2) or "")
    if card is None or card.kind is not CardKind.MEMBER:
        return "14", ""
    if card.status is CardStatus.BLOCKED:
        return "62", ""
    order = get_order(ctx.store, order_no)
    if order is None:
        return RC_UNKNOWN_ORDER, ""
    if order.status == "paid":
        return RC_PAID, ""
    terminal = ctx.store.terminal(request.get(41) or "")
    pik = terminal.pik if terminal is not None else None
    if pik is None:
        return "99", ""
    refused = pin_refusal(request, card, pik)
    return (refused, "第三方卡密码错误\nwrong card password") if refused else (None, "")
