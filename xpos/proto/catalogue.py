"""The message catalogue: which messages exist, how they are told apart, MAC and checks.

Theory of operation
-------------------
A message is identified by its MTI with the response digit cleared (``0210`` -> ``0200``)
and, where one MTI carries several kinds, by field 3 (processing code). The catalogue is
a table (:data:`CATALOGUE`); :func:`classify` is a lookup in it, and a miss is the
peer's mistake (:class:`~xpos.errors.RemoteProtocolError`).

MAC: the table says which kinds carry field 64 (both directions). The MAC function is
injected as a callable ``mac(data) -> 8 bytes`` so that this package does no key
handling; the bytes it covers are :func:`xpos.proto.codec.mac_input`.

Response validation (:func:`response_check`) is the terminal's consistency check of
reference §1.4 ([LY] ``ProcRspPacket``): MTI = request + 10; fields 3, 11 and 41 equal;
42 equal when 39 = ``00``; 4 equal unless 39 = ``10`` (partial approval); and a
response must carry a response code.
"""

from __future__ import annotations

import enum
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from xpos.errors import RemoteProtocolError
from xpos.proto.codec import Message, mac_input, with_mac_field

__all__ = [
    "CATALOGUE",
    "MacFunction",
    "MessageKind",
    "MessageType",
    "add_mac",
    "classify",
    "is_response",
    "message_type",
    "needs_mac",
    "request_mti",
    "response_check",
    "response_mti",
    "swap_tpdu",
    "verify_mac",
]

MacFunction = Callable[[bytes], bytes]
"""``mac(data) -> 8 bytes``: the field-64 content for ``data`` (e.g. CUP ECB MAC)."""


class MessageKind(enum.Enum):
    """The kinds of exchange this dialect carries."""

    SIGN_ON = "sign_on"
    SALE = "sale"
    VOID = "void"
    REVERSAL = "reversal"
    VOUCHER_VERIFY = "voucher_verify"
    PREAUTH = "preauth"
    PREAUTH_VOID = "preauth_void"
    COMPLETION = "completion"
    COMPLETION_VOID = "completion_void"
    SESSION_OPEN = "session_open"
    SESSION_STEP = "session_step"
    ORDER_QUERY = "order_query"
    ORDER_PAID = "order_paid"
    PARTY_DEBIT = "party_debit"
    SETTLE = "settle"
    X_SETTLE = "x_settle"
    BATCH_UPLOAD = "batch_upload"
    BATCH_END = "batch_end"
    REFUND = "refund"
    BALANCE = "balance"
    VOUCHER_QUERY = "voucher_query"
    VOUCHER_VOID = "voucher_void"


@dataclass(frozen=True, kw_only=True)
class MessageType:
    """One catalogue row.

    Attributes:
        kind: The kind.
        mti: The request MTI (the response is this + 10).
        processing_code: Required field 3, or ``None`` when field 3 does not decide.
        mac: Whether field 64 is carried (request and response).
        description: What it is, for docs and transcripts.
        type_code: Required 60.1 (the first two characters of field 60), or ``None``
            when 60.1 does not decide. A row with a type code is preferred to one
            without (a completion 0200/000000/20 is not a sale 0200/000000/22).
        function: Required 60.3 (network management code), or ``None`` when 60.3 does
            not decide (it tells the batch-upload detail from its end, both 0320).
    """

    kind: MessageKind
    mti: str
    processing_code: str | None
    mac: bool
    description: str
    type_code: str | None = None
    function: str | None = None


CATALOGUE: tuple[MessageType, ...] = (
    MessageType(kind=MessageKind.SIGN_ON, mti="0800", processing_code=None, mac=False,
                description="sign-on 签到"),
    MessageType(kind=MessageKind.SALE, mti="0200", processing_code="000000", mac=True,
                description="sale 消费"),
    MessageType(kind=MessageKind.VOID, mti="0200", processing_code="200000", mac=True,
                description="void of a sale 消费撤销"),
    MessageType(kind=MessageKind.REVERSAL, mti="0400", processing_code=None, mac=True,
                description="reversal 冲正"),
    MessageType(kind=MessageKind.VOUCHER_VERIFY, mti="0100", processing_code="700000",
                mac=True, description="X-menu voucher verification 订单验证"),
    # the pre-authorisation family (F25 06): 60.1 tells them from sale and void
    MessageType(kind=MessageKind.PREAUTH, mti="0100", processing_code="030000", mac=True,
                description="pre-authorisation 预授权", type_code="10"),
    MessageType(kind=MessageKind.PREAUTH_VOID, mti="0100", processing_code="200000",
                mac=True, description="pre-authorisation void 预授权撤销", type_code="11"),
    MessageType(kind=MessageKind.COMPLETION, mti="0200", processing_code="000000", mac=True,
                description="pre-authorisation completion 预授权完成", type_code="20"),
    MessageType(kind=MessageKind.COMPLETION_VOID, mti="0200", processing_code="200000",
                mac=True, description="completion void 预授权完成撤销", type_code="21"),
    MessageType(kind=MessageKind.SESSION_OPEN, mti="0100", processing_code="780000",
                mac=True, description="X3 interactive session open 互动业务"),
    MessageType(kind=MessageKind.SESSION_STEP, mti="0100", processing_code="790000",
                mac=True, description="X3 interactive step result 互动业务"),
    MessageType(kind=MessageKind.ORDER_QUERY, mti="0100", processing_code="710000",
                mac=True, description="X-menu order query 订单查询"),
    MessageType(kind=MessageKind.ORDER_PAID, mti="0100", processing_code="720000",
                mac=True, description="X-menu order-paid notice 订单支付通知"),
    MessageType(kind=MessageKind.PARTY_DEBIT, mti="0200", processing_code="730000",
                mac=True, description="X-menu third-party card debit 第三方卡扣款"),
    # Settlement (issue 10): no MAC (reference §1.4). The X settlement comes before the
    # bank one: a row whose processing code is None matches any field 3.
    MessageType(kind=MessageKind.X_SETTLE, mti="0500", processing_code="700000", mac=False,
                description="X-menu settlement X结算"),
    MessageType(kind=MessageKind.SETTLE, mti="0500", processing_code=None, mac=False,
                description="settlement 结算"),
    MessageType(kind=MessageKind.BATCH_UPLOAD, mti="0320", processing_code=None, mac=False,
                description="batch upload 批上送", function="201"),
    MessageType(kind=MessageKind.BATCH_END, mti="0320", processing_code=None, mac=False,
                description="batch upload end 批上送结束", function="202"),
    MessageType(kind=MessageKind.REFUND, mti="0220", processing_code="200000", mac=True,
                description="refund 退货"),
    MessageType(kind=MessageKind.BALANCE, mti="0200", processing_code="310000", mac=True,
                description="balance inquiry 查余额"),
    # X1 redemption (xpos.proto.voucher_x): the query before, the X void after
    MessageType(kind=MessageKind.VOUCHER_QUERY, mti="0100", processing_code="740000",
                mac=True, description="X-menu voucher query 券查询"),
    MessageType(kind=MessageKind.VOUCHER_VOID, mti="0100", processing_code="740200",
                mac=True, description="X-menu void of a redemption 核销撤销"),
)


def is_response(mti: str) -> bool:
    """True for a response or advice-response MTI (third digit odd)."""
    return len(mti) == 4 and mti[2].isdigit() and int(mti[2]) % 2 == 1


def response_mti(mti: str) -> str:
    """The response MTI for a request MTI (``0200`` -> ``0210``)."""
    return f"{mti[:2]}{int(mti[2]) + 1}{mti[3]}"


def request_mti(mti: str) -> str:
    """The request MTI of any MTI (``0210`` -> ``0200``; requests map to themselves)."""
    return f"{mti[:2]}{int(mti[2]) - 1}{mti[3]}" if is_response(mti) else mti


def swap_tpdu(tpdu: str) -> str:
    """Swap destination and source addresses (``6000030000`` -> ``6000000003``)."""
    return tpdu[:2] + tpdu[6:10] + tpdu[2:6]


def message_type(msg: Message) -> MessageType | None:
    """The catalogue row for ``msg`` (request or response), or ``None``."""
    if not msg.mti.isdigit() or len(msg.mti) != 4:
        return None
    base = request_mti(msg.mti)
    type_code = (msg.get(60) or "")[:2]
    found: MessageType | None = None
    for row in CATALOGUE:
        if row.mti != base or row.processing_code not in (None, msg.get(3)):
            continue
        if row.function not in (None, (msg.get(60) or "")[8:11]):
            continue
        if row.type_code is not None:
            if row.type_code == type_code:
                return row
        elif found is None:
            found = row
    return found


def classify(msg: Message) -> MessageKind:
    """The kind of ``msg`` (request or response).

    Raises:
        RemoteProtocolError: the MTI / processing code is not in the catalogue.
    """
    row = message_type(msg)
    if row is None:
        raise RemoteProtocolError(
            f"unknown message: MTI {msg.mti}, processing code {msg.get(3)}")
    return row.kind


def needs_mac(msg: Message) -> bool:
    """Whether ``msg`` must carry a MAC in field 64 (unknown messages: no)."""
    row = message_type(msg)
    return row is not None and row.mac


def add_mac(msg: Message, mac: MacFunction) -> Message:
    """Return ``msg`` with field 64 set to ``mac(mac_input(msg))``.

    Raises:
        EncodeError: (field ``"64"``) the MAC function did not return 8 bytes.
    """
    return with_mac_field(msg, mac)


def verify_mac(msg: Message, mac: MacFunction) -> bool:
    """True if field 64 is present and equals ``mac(mac_input(msg))`` (constant time)."""
    carried = msg.get(64)
    if carried is None:
        return False
    return hmac.compare_digest(bytes.fromhex(carried), mac(mac_input(msg)))


def response_check(req: Message, resp: Message) -> str | None:
    """Check that ``resp`` is a consistent answer to ``req`` (reference §1.4).

    Returns:
        ``None`` if consistent, else a short English reason.
    """
    if resp.mti != response_mti(req.mti):
        return f"MTI {resp.mti} does not answer {req.mti}"
    rc = resp.get(39)
    if rc is None:
        return "response code (field 39) missing"
    must_match = [3, 11, 41]
    if rc == "00":
        must_match.append(42)
    if rc != "10":
        must_match.append(4)
    for number in sorted(must_match):
        if resp.get(number) != req.get(number):
            return f"field {number} differs: sent {req.get(number)!r}, got {resp.get(number)!r}"
    return None
