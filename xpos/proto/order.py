"""X-menu order payment (X2, journey J1) on the CUP link: order query and order-paid notice.

Theory of operation
-------------------
Order payment rides the bank link like voucher verification (:mod:`xpos.proto.voucher`):
the platform behind the acquirer front end routes on field 3 + 60.1, and the X data
travels as BER-TLV (private tags ``DF20``-``DF3F``) in field 62. Two messages:

* **order query** -- MTI ``0100``/``0110``, 3 = ``710000``, 60.1 = ``71``. The terminal
  sends what was keyed (an order number or a coupon number); the platform (with the
  provider, for a coupon) answers with the order and the amount due now.
* **third-party debit** -- MTI ``0200``/``0210``, 3 = ``730000``, 60.1 = ``73``: the
  platform debits a third-party (member) card, field 2 its number, field 4 the amount,
  field 52 its password as a PIN block under the PIK when the cardholder keyed one;
  ``DF25`` names the order. Journaled with its reversal like a sale, and reversed
  (0400) like a sale when no usable answer came.
* **order paid** -- MTI ``0100``/``0110``, 3 = ``720000``, 60.1 = ``72``, field 4 = the
  amount paid. Sent after the paying leg was approved; names it -- the bank leg (batch,
  STAN, RRN) or the third-party leg (batch, STAN) -- so the platform can reconcile it
  against its ledger. It is idempotent: sent again with the same leg it is answered
  ``00`` again.

================  ==========================================  =========================
tag               meaning                                     in
================  ==========================================  =========================
DF20              order number or coupon number keyed, ASCII  query request
DF21              order title, UTF-8                          query response
DF22              order total, fen, ASCII digits              query response
DF23              amount due now, fen, ASCII digits           query response
DF24              why the amount due differs, UTF-8           query response (optional)
DF25              the order number, ASCII                     query response, paid request
DF26              message to show, UTF-8                      any response (optional)
DF27              bank leg: batch 6 + STAN 6 + RRN 12, ASCII   paid request
DF28              amount paid by the bank leg, fen, ASCII     paid request
DF2B              third-party leg: batch 6 + STAN 6, ASCII    paid request
DF2C              amount paid by the third-party leg, fen     paid request
DF2D              the card's balance, fen, ASCII digits       debit response 51
================  ==========================================  =========================

A **combined payment** (third-party balance first, the rest by bank card) names both
legs in one notice: ``DF27``/``DF28`` and ``DF2B``/``DF2C``, field 4 = their sum.

================  ==========================================  =========================
================  ==========================================  =========================

Response codes (39): ``00`` found / marked paid, ``25`` unknown order or coupon, ``P1``
already paid, ``P2`` the bank leg does not match the acquirer's ledger, ``30`` format
error. Both exchanges are MAC'd both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from xpos.errors import DecodeError, EncodeError
from xpos.proto._build import FINANCIAL_60_TAIL, digits, field60, response_to, stan_field
from xpos.proto.codec import Message
from xpos.proto.routing import PLATFORM_TPDU
from xpos.proto.tlv import decode_tlv, encode_tlv

__all__ = [
    "ORDER_PAID_CODE",
    "ORDER_QUERY_CODE",
    "ORDER_RESPONSE_CODES",
    "PARTY_DEBIT_CODE",
    "BankLeg",
    "OrderInfo",
    "OrderPaid",
    "PartyLeg",
    "order_paid_request",
    "order_paid_response",
    "order_query_request",
    "order_query_response",
    "parse_order_message",
    "parse_order_paid_request",
    "parse_order_query_request",
    "parse_order_query_response",
    "parse_party_balance",
    "parse_party_debit_request",
    "party_debit_request",
    "party_debit_response",
]

ORDER_QUERY_CODE, ORDER_QUERY_60_1 = "710000", "71"
ORDER_PAID_CODE, ORDER_PAID_60_1 = "720000", "72"
PARTY_DEBIT_CODE, PARTY_DEBIT_60_1 = "730000", "73"
TAG_KEYED, TAG_TITLE, TAG_TOTAL, TAG_DUE = 0xDF20, 0xDF21, 0xDF22, 0xDF23
TAG_REASON, TAG_ORDER_NO, TAG_MESSAGE = 0xDF24, 0xDF25, 0xDF26
TAG_BANK_LEG, TAG_BANK_AMOUNT = 0xDF27, 0xDF28
TAG_PARTY_LEG, TAG_PARTY_AMOUNT = 0xDF2B, 0xDF2C
TAG_BALANCE = 0xDF2D
CODE_MAX_LEN = 32
ORDER_RESPONSE_CODES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "00": ("订单有效 / 已支付", "order found / marked paid"),
    "25": ("无此订单", "unknown order or coupon"),
    "P1": ("订单已支付", "order already paid"),
    "P2": ("银行卡交易不符", "bank leg does not match the acquirer's ledger"),
})
"""Response code -> (Chinese text, English text)."""
_ECHO = (3, 4, 11, 41, 42, 60)


@dataclass(frozen=True, kw_only=True)
class OrderInfo:
    """What the platform says about an order (query response TLV).

    Attributes:
        order_no: The order number (also when a coupon number was keyed).
        title: What was ordered.
        total: The order total, fen.
        due: The amount to pay now, fen.
        reason: Why ``due`` differs from ``total`` (coupon, deposit…), or empty.
    """

    order_no: str
    title: str
    total: int
    due: int
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class BankLeg:
    """The bank sale that paid (part of) an order.

    Attributes:
        batch: Its batch (60.2).
        stan: Its trace number (11).
        rrn: Its retrieval reference (37), 12 characters.
        amount: What it debited, fen.
    """

    batch: int
    stan: int
    rrn: str
    amount: int


@dataclass(frozen=True, kw_only=True)
class PartyLeg:
    """The third-party debit that paid an order.

    Attributes:
        batch: Its batch (60.2).
        stan: Its trace number (11).
        amount: What it debited, fen.
    """

    batch: int
    stan: int
    amount: int


@dataclass(frozen=True, kw_only=True)
class OrderPaid:
    """A decoded order-paid notice (host side): ``bank``, ``party`` or (combined) both.

    ``amount`` is the sum of the legs."""

    order_no: str
    amount: int
    bank: BankLeg | None
    party: PartyLeg | None = None


def _ascii(value: str, what: str) -> bytes:
    try:
        return value.encode("ascii")
    except UnicodeEncodeError as exc:
        raise EncodeError(f"{what} must be ASCII", field="62") from exc


def _fen(value: int, what: str) -> bytes:
    if not 0 <= value <= 999_999_999_999:
        raise EncodeError(f"{what} {value} out of range", field="62")
    return str(value).encode("ascii")


def order_query_request(*, stan: int, tid: str, mid: str, batch: int, code: str) -> Message:
    """Build a 0100 order query (without MAC).

    Args:
        stan: Trace number.
        tid: Terminal ID (8).
        mid: Merchant ID (15).
        batch: Current batch number.
        code: The order number or coupon number keyed (1..32 ASCII characters).

    Raises:
        EncodeError: empty, too long or not ASCII.
    """
    if not 0 < len(code) <= CODE_MAX_LEN:
        raise EncodeError("order/coupon number must have 1..32 characters", field="62")
    tlv = encode_tlv([(TAG_KEYED, _ascii(code, "order/coupon number"))])
    return Message(mti="0100", tpdu=PLATFORM_TPDU, fields={
        3: ORDER_QUERY_CODE, 11: stan_field(stan), 41: tid, 42: mid,
        60: field60(ORDER_QUERY_60_1, batch, FINANCIAL_60_TAIL), 62: tlv.hex().upper()})


def order_query_response(req: Message, *, rc: str, info: OrderInfo | None, message: str,
                         when: datetime, rrn: str) -> Message:
    """Build the host's 0110 answer to an order query (without MAC)."""
    items: list[tuple[int, bytes]] = []
    if info is not None:
        items += [(TAG_ORDER_NO, _ascii(info.order_no, "order number")),
                  (TAG_TITLE, info.title.encode("utf-8")),
                  (TAG_TOTAL, _fen(info.total, "total")), (TAG_DUE, _fen(info.due, "due"))]
        if info.reason:
            items.append((TAG_REASON, info.reason.encode("utf-8")))
    if message:
        items.append((TAG_MESSAGE, message.encode("utf-8")))
    extra = {37: rrn} | ({62: encode_tlv(items).hex().upper()} if items else {})
    return response_to(req, echo=_ECHO, rc=rc, when=when, extra=extra)


def order_paid_request(*, stan: int, tid: str, mid: str, batch: int, order_no: str,
                       bank: BankLeg | PartyLeg, party: PartyLeg | None = None) -> Message:
    """Build a 0100 order-paid notice (without MAC); field 4 = the amount paid.

    Args:
        bank: The paying leg: a bank sale (:class:`BankLeg`) or a third-party debit
            (:class:`PartyLeg`).
        party: With a :class:`BankLeg`, the third-party leg of a combined payment
            (field 4 is then the sum of both legs).

    Raises:
        EncodeError: a bad order number, RRN or amount.
    """
    if not 0 < len(order_no) <= CODE_MAX_LEN:
        raise EncodeError("order number must have 1..32 characters", field="62")
    items = [(TAG_ORDER_NO, _ascii(order_no, "order number"))]
    leg = digits(bank.batch, 6, "62") + digits(bank.stan, 6, "62")
    if isinstance(bank, BankLeg):
        if len(bank.rrn) != 12:
            raise EncodeError("the bank leg's RRN must have 12 characters", field="62")
        items += [(TAG_BANK_LEG, _ascii(leg + bank.rrn, "bank leg")),
                  (TAG_BANK_AMOUNT, _fen(bank.amount, "bank amount"))]
    else:
        items += [(TAG_PARTY_LEG, leg.encode("ascii")),
                  (TAG_PARTY_AMOUNT, _fen(bank.amount, "third-party amount"))]
    total = bank.amount
    if party is not None and isinstance(bank, BankLeg):
        part = digits(party.batch, 6, "62") + digits(party.stan, 6, "62")
        items += [(TAG_PARTY_LEG, part.encode("ascii")),
                  (TAG_PARTY_AMOUNT, _fen(party.amount, "third-party amount"))]
        total += party.amount
    tlv = encode_tlv(items)
    return Message(mti="0100", tpdu=PLATFORM_TPDU, fields={
        3: ORDER_PAID_CODE, 4: digits(total, 12, "4"), 11: stan_field(stan),
        41: tid, 42: mid, 49: "156", 60: field60(ORDER_PAID_60_1, batch, FINANCIAL_60_TAIL),
        62: tlv.hex().upper()})


def order_paid_response(req: Message, *, rc: str, message: str, when: datetime,
                        rrn: str) -> Message:
    """Build the host's 0110 answer to an order-paid notice (without MAC)."""
    extra = {37: rrn}
    if message:
        extra[62] = encode_tlv([(TAG_MESSAGE, message.encode("utf-8"))]).hex().upper()
    return response_to(req, echo=_ECHO, rc=rc, when=when, extra=extra)


# -- parsing -------------------------------------------------------------------------


def _tlv(msg: Message, *, required: bool) -> dict[int, bytes] | None:
    raw = msg.get(62)
    if raw is None:
        if required:
            raise DecodeError("field 62 missing", field="62", position=0)
        return None
    try:
        items = decode_tlv(bytes.fromhex(raw))
    except (DecodeError, ValueError) as exc:
        raise DecodeError(f"bad TLV: {exc}", field="62", position=0) from exc
    found: dict[int, bytes] = {}
    for item in items:
        if item.tag in found:
            raise DecodeError(f"duplicate tag {item.tag:X}", field="62", position=0)
        found[item.tag] = item.value
    return found


def _text(tlv: Mapping[int, bytes], tag: int, encoding: str = "utf-8") -> str:
    try:
        return tlv[tag].decode(encoding)
    except KeyError:
        raise DecodeError(f"tag {tag:X} missing", field="62", position=0) from None
    except UnicodeDecodeError as exc:
        raise DecodeError(f"tag {tag:X} is not {encoding}", field="62", position=0) from exc


def _number(tlv: Mapping[int, bytes], tag: int) -> int:
    text = _text(tlv, tag, "ascii")
    if not text.isdigit() or len(text) > 12:
        raise DecodeError(f"tag {tag:X} is not an amount in fen", field="62", position=0)
    return int(text)


def parse_order_query_request(msg: Message) -> str:
    """The order or coupon number keyed (host side).

    Raises:
        DecodeError: field 62 missing or malformed, or DF20 missing, empty or too long.
    """
    tlv = _tlv(msg, required=True) or {}
    code = _text(tlv, TAG_KEYED, "ascii")
    if not 0 < len(code) <= CODE_MAX_LEN:
        raise DecodeError("DF20 must have 1..32 characters", field="62", position=0)
    return code


def parse_order_query_response(msg: Message) -> OrderInfo | None:
    """The :class:`OrderInfo` of a 0110, or ``None`` when it carries none.

    Raises:
        DecodeError: malformed TLV, or an order without title, total or due.
    """
    tlv = _tlv(msg, required=False)
    if tlv is None or TAG_ORDER_NO not in tlv:
        return None
    return OrderInfo(order_no=_text(tlv, TAG_ORDER_NO, "ascii"), title=_text(tlv, TAG_TITLE),
                     total=_number(tlv, TAG_TOTAL), due=_number(tlv, TAG_DUE),
                     reason=_text(tlv, TAG_REASON) if TAG_REASON in tlv else "")


def parse_order_message(msg: Message) -> str:
    """The platform's message to show (DF26) in any order or voucher answer, or ``""``.

    Raises:
        DecodeError: malformed TLV or a message that is not UTF-8.
    """
    tlv = _tlv(msg, required=False)
    return _text(tlv, TAG_MESSAGE) if tlv and TAG_MESSAGE in tlv else ""


def parse_order_paid_request(msg: Message) -> OrderPaid:
    """Decode an order-paid notice (host side).

    Raises:
        DecodeError: field 62 missing or malformed, or a bad bank leg.
    """
    tlv = _tlv(msg, required=True) or {}
    order_no = _text(tlv, TAG_ORDER_NO, "ascii")
    if TAG_PARTY_LEG in tlv and TAG_BANK_LEG not in tlv:
        party = _text(tlv, TAG_PARTY_LEG, "ascii")
        if len(party) != 12 or not party.isdigit():
            raise DecodeError("DF2B must be batch 6 + STAN 6", field="62", position=0)
        amount = _number(tlv, TAG_PARTY_AMOUNT)
        return OrderPaid(order_no=order_no, amount=amount, bank=None,
                         party=PartyLeg(batch=int(party[:6]), stan=int(party[6:]),
                                        amount=amount))
    leg = _text(tlv, TAG_BANK_LEG, "ascii")
    if len(leg) != 24 or not leg[:12].isdigit():
        raise DecodeError("DF27 must be batch 6 + STAN 6 + RRN 12", field="62", position=0)
    amount = _number(tlv, TAG_BANK_AMOUNT)
    bank = BankLeg(batch=int(leg[:6]), stan=int(leg[6:12]), rrn=leg[12:], amount=amount)
    party_leg = None
    if TAG_PARTY_LEG in tlv:  # a combined payment: both legs
        party = _text(tlv, TAG_PARTY_LEG, "ascii")
        if len(party) != 12 or not party.isdigit():
            raise DecodeError("DF2B must be batch 6 + STAN 6", field="62", position=0)
        party_leg = PartyLeg(batch=int(party[:6]), stan=int(party[6:]),
                             amount=_number(tlv, TAG_PARTY_AMOUNT))
        amount += party_leg.amount
    return OrderPaid(order_no=order_no, amount=amount, bank=bank, party=party_leg)


def party_debit_request(*, stan: int, tid: str, mid: str, batch: int, order_no: str,
                        amount: int, pan: str, pin_block: bytes | None) -> Message:
    """Build a 0200 third-party debit (without MAC).

    Args:
        stan: Trace number.
        tid: Terminal ID (8).
        mid: Merchant ID (15).
        batch: Current batch number.
        order_no: The order it pays (DF25).
        amount: Fen, at least 1.
        pan: The third-party card's number (field 2 only).
        pin_block: Its password as a PIN block under the PIK, or None without one.

    Raises:
        EncodeError: a bad order number, amount or card number.
    """
    if not 0 < len(order_no) <= CODE_MAX_LEN:
        raise EncodeError("order number must have 1..32 characters", field="62")
    if not (pan.isdigit() and 12 <= len(pan) <= 19):
        raise EncodeError("a third-party card number has 12..19 digits", field="2")
    tlv = encode_tlv([(TAG_ORDER_NO, _ascii(order_no, "order number"))])
    fields = {2: pan, 3: PARTY_DEBIT_CODE, 4: digits(amount, 12, "4", minimum=1),
              11: stan_field(stan), 22: "021" if pin_block else "022", 25: "00", 41: tid,
              42: mid, 49: "156", 60: field60(PARTY_DEBIT_60_1, batch, FINANCIAL_60_TAIL),
              62: tlv.hex().upper()}
    if pin_block:
        fields |= {26: "12", 52: pin_block.hex().upper()}
    return Message(mti="0200", fields=fields, tpdu=PLATFORM_TPDU)


def party_debit_response(req: Message, *, rc: str, auth_code: str | None, message: str,
                         when: datetime, rrn: str, balance: int | None = None) -> Message:
    """Build the host's 0210 answer to a third-party debit (without MAC).

    Args:
        balance: With ``51``, the card's balance in fen (``DF2D``): a combined payment
            debits that much and takes the rest by bank card.
    """
    extra = {37: rrn}
    if auth_code:
        extra[38] = auth_code
    items = [(TAG_MESSAGE, message.encode("utf-8"))] if message else []
    if balance is not None:
        items.append((TAG_BALANCE, _fen(balance, "balance")))
    if items:
        extra[62] = encode_tlv(items).hex().upper()
    return response_to(req, echo=(3, 4, 11, 25, 41, 42, 49, 60), rc=rc, when=when,
                       extra=extra)


def parse_party_balance(msg: Message) -> int | None:
    """The card balance (``DF2D``) a ``51`` third-party debit answer gives, if any.

    Raises:
        DecodeError: field 62 malformed or ``DF2D`` not digits.
    """
    tlv = _tlv(msg, required=False)
    if tlv is None or TAG_BALANCE not in tlv:
        return None
    return _number(tlv, TAG_BALANCE)


def parse_party_debit_request(msg: Message) -> str:
    """The order number a third-party debit pays (host side).

    Raises:
        DecodeError: field 62 missing or malformed, or DF25 missing.
    """
    tlv = _tlv(msg, required=True) or {}
    return _text(tlv, TAG_ORDER_NO, "ascii")
