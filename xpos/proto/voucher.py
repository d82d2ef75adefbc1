"""X-menu voucher / order verification (X1) on the CUP link.

Theory of operation
-------------------
Voucher verification rides the bank link with its own message class: MTI ``0100`` /
``0110``, processing code (3) ``700000``, 60.1 = ``70``. The platform behind the
acquirer front end routes on 3 + 60.1. The X-menu data travels as BER-TLV in field 62,
with private-class tags (``DFxx``):

request (terminal -> host)            response (host -> terminal)
  DF01 voucher code, ASCII              DF11 title, UTF-8
  DF02 method: K keyed / S scanned /    DF12 quantity, ASCII decimal digits
       M member card + order number     DF13 provider, UTF-8
  DF03 order number, ASCII              DF14 message to show, UTF-8 (optional)
  DF04 member card, masked 6/4, ASCII
  DF29 member card RFID UID, hex ASCII
       (a tapped member card: no PAN)

The member card's full PAN travels only in field 2 (where every party already expects a
PAN and masks it); the TLV, which the platform forwards to the application provider,
carries only the masked form. Response codes (39): ``00`` valid and redeemed now,
``25`` unknown voucher, ``V1`` already used, ``V2`` expired. The exchange is MAC'd both
ways like a financial message, and a redemption without a valid answer is reversed
(0400, see :func:`xpos.proto.messages.reversal_request`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from xpos.errors import DecodeError, EncodeError
from xpos.model import mask_code, mask_pan
from xpos.proto._build import FINANCIAL_60_TAIL, field60, response_to, stan_field
from xpos.proto.codec import Message
from xpos.proto.routing import PLATFORM_TPDU
from xpos.proto.tlv import TlvItem, decode_tlv, encode_tlv

__all__ = [
    "METHODS",
    "TAG_CODE",
    "TAG_EXPIRES",
    "TAG_MEMBER",
    "TAG_MESSAGE",
    "TAG_METHOD",
    "TAG_ORDER",
    "TAG_PROVIDER",
    "TAG_QUANTITY",
    "TAG_TITLE",
    "TAG_UNITS",
    "TAG_VALUE",
    "VOUCHER_PROCESSING_CODE",
    "VOUCHER_RESPONSE_CODES",
    "VoucherInfo",
    "VoucherRequest",
    "mask_voucher_code",
    "parse_voucher_request",
    "parse_voucher_response",
    "voucher_request",
    "voucher_response",
]

VOUCHER_PROCESSING_CODE = "700000"
VOUCHER_60_1 = "70"
TAG_CODE, TAG_METHOD, TAG_ORDER, TAG_MEMBER = 0xDF01, 0xDF02, 0xDF03, 0xDF04
TAG_TITLE, TAG_QUANTITY, TAG_PROVIDER, TAG_MESSAGE = 0xDF11, 0xDF12, 0xDF13, 0xDF14
TAG_MEMBER_UID = 0xDF29
"""A tapped member card's RFID UID (X2's tag range, used by X1's member method)."""
TAG_VALUE, TAG_EXPIRES, TAG_UNITS = 0xDF30, 0xDF31, 0xDF33
"""X1 redemption (docs/protocol.md §4.10): unit value in fen, last valid day
(``YYYY-MM-DD``) and the number of items to redeem (request) / redeemed or restored
(response), each ASCII."""
METHODS: Mapping[str, bytes] = MappingProxyType(
    {"keyed": b"K", "scanned": b"S", "member": b"M"})
VOUCHER_RESPONSE_CODES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "00": ("有效，已核销", "valid, redeemed now"),
    "25": ("无此券", "unknown voucher"),
    "V1": ("券已使用", "already used"),
    "V2": ("券已过期", "expired"),
    "V3": ("券未到使用日期", "not valid yet"),
    "V4": ("非本商户券", "another merchant's"),
    "V5": ("剩余份数不足", "not that many left"),
    "V6": ("已撤销", "already voided"),
    "V7": ("已超过撤销时限", "void window passed"),
})
"""Response code -> (Chinese text, English text)."""
_ECHO = (3, 11, 41, 42, 60)


@dataclass(frozen=True, kw_only=True)
class VoucherInfo:
    """What the provider says about a voucher (response TLV)."""

    title: str
    quantity: int
    provider: str
    message: str = ""
    value: int = 0
    """Unit value in fen (DF30; 0 = not sent)."""
    expires: str = ""
    """Last valid day, ``YYYY-MM-DD`` (DF31; empty = not sent)."""
    units: int = 0
    """Items redeemed (or, for a void, restored) by this message (DF33; 0 = not sent)."""


@dataclass(frozen=True, kw_only=True)
class VoucherRequest:
    """A decoded voucher request, host side.

    Attributes:
        method: ``"keyed"``, ``"scanned"`` or ``"member"``.
        code: Voucher code (empty for the member method).
        order_no: Order number, if sent.
        member_pan: Full member card number from field 2 (hidden in ``repr``).
        member_masked: The masked member card number from the TLV.
        member_uid: The RFID UID of a tapped member card (DF29), if sent.
    """

    method: str
    code: str
    order_no: str | None
    member_pan: str | None
    member_masked: str | None
    member_uid: str | None = None
    units: int | None = None
    """Items to redeem (DF33); ``None`` = all that are left."""

    def __repr__(self) -> str:
        """Show the request with the voucher code and member PAN masked."""
        return (f"VoucherRequest(method={self.method!r}, code={mask_voucher_code(self.code)!r}, "
                f"order_no={self.order_no!r}, member_masked={self.member_masked!r})")


def mask_voucher_code(code: str) -> str:
    """Mask a voucher code for display: only the last 4 characters stay."""
    return mask_code(code)


def _request_tlv(code: str, method: str, order_no: str | None,
                 member_pan: str | None, member_uid: str | None = None,
                 units: int | None = None) -> bytes:
    if method not in METHODS:
        raise EncodeError(f"unknown presentation method {method!r}", field="62")
    if method == "member" and not ((member_pan or member_uid) and order_no):
        raise EncodeError("member method needs member_pan (or member_uid) and order_no",
                          field="62")
    if method != "member" and not code:
        raise EncodeError(f"{method} method needs a voucher code", field="62")
    items = [(TAG_CODE, code.encode("ascii"))] if code else []
    items.append((TAG_METHOD, METHODS[method]))
    if order_no:
        items.append((TAG_ORDER, order_no.encode("ascii")))
    if member_pan:
        items.append((TAG_MEMBER, mask_pan(member_pan).encode("ascii")))
    if member_uid:
        items.append((TAG_MEMBER_UID, member_uid.encode("ascii")))
    if units is not None:
        if not 1 <= units <= 999_999:
            raise EncodeError(f"units {units} out of range", field="62")
        items.append((TAG_UNITS, str(units).encode("ascii")))
    return encode_tlv(items)


def voucher_request(*, stan: int, tid: str, mid: str, batch: int, code: str, method: str,
                    order_no: str | None = None, member_pan: str | None = None,
                    member_uid: str | None = None, units: int | None = None,
                    processing_code: str = VOUCHER_PROCESSING_CODE) -> Message:
    """Build a 0100 voucher redemption (or, F3 ``740000``, query) request (without MAC).

    Args:
        stan: Trace number.
        tid: Terminal ID (8).
        mid: Merchant ID (15).
        batch: Current batch number.
        code: The voucher code (may be empty for the member method).
        method: ``"keyed"``, ``"scanned"`` or ``"member"``.
        order_no: Order number (member method).
        member_pan: Member card number (member method); sent in field 2 only.
        member_uid: A tapped member card's RFID UID instead of ``member_pan``.
        units: Items to redeem (DF33); ``None`` = all that are left.
        processing_code: ``700000`` redeem, ``740000`` query
            (:func:`xpos.proto.voucher_x.voucher_query_request`).

    Raises:
        EncodeError: missing or invalid data for the method.
    """
    try:
        tlv = _request_tlv(code, method, order_no, member_pan, member_uid, units)
    except UnicodeEncodeError as exc:
        raise EncodeError("voucher code and order number must be ASCII", field="62") from exc
    fields = {3: processing_code, 11: stan_field(stan), 41: tid, 42: mid,
              60: field60(VOUCHER_60_1, batch, FINANCIAL_60_TAIL), 62: tlv.hex().upper()}
    if member_pan:
        fields[2] = member_pan
    return Message(mti="0100", fields=fields, tpdu=PLATFORM_TPDU)



def voucher_response(req: Message, *, rc: str, info: VoucherInfo | None, when: datetime,
                     rrn: str) -> Message:
    """Build the host's 0110 answer (without MAC); ``info`` goes into field 62 as TLV."""
    extra = {37: rrn}
    if info is not None:
        extra[62] = _info_tlv(info).hex().upper()
    return response_to(req, echo=_ECHO, rc=rc, when=when, extra=extra)


def _info_tlv(info: VoucherInfo) -> bytes:
    if not 0 <= info.quantity <= 999_999:
        raise EncodeError(f"quantity {info.quantity} out of range", field="62")
    items = [(TAG_TITLE, info.title.encode("utf-8")),
             (TAG_QUANTITY, str(info.quantity).encode("ascii")),
             (TAG_PROVIDER, info.provider.encode("utf-8"))]
    if info.message:
        items.append((TAG_MESSAGE, info.message.encode("utf-8")))
    if info.value:
        items.append((TAG_VALUE, str(info.value).encode("ascii")))
    if info.expires:
        items.append((TAG_EXPIRES, info.expires.encode("ascii")))
    if info.units:
        items.append((TAG_UNITS, str(info.units).encode("ascii")))
    return encode_tlv(items)


def _tlv_map(msg: Message) -> dict[int, bytes] | None:
    raw = msg.get(62)
    if raw is None:
        return None
    try:
        items: list[TlvItem] = decode_tlv(bytes.fromhex(raw))
    except DecodeError as exc:
        raise DecodeError(f"bad TLV: {exc}", field="62", position=exc.position) from exc
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


def parse_voucher_response(msg: Message) -> VoucherInfo | None:
    """The :class:`VoucherInfo` in a 0110's field 62, or ``None`` if there is none.

    Raises:
        DecodeError: (field ``"62"``) malformed TLV or a required tag missing/invalid.
    """
    tlv = _tlv_map(msg)
    if tlv is None:
        return None
    quantity = _text(tlv, TAG_QUANTITY, "ascii")
    if not quantity.isdigit():
        raise DecodeError("quantity is not decimal digits", field="62", position=0)
    message = _text(tlv, TAG_MESSAGE) if TAG_MESSAGE in tlv else ""
    return VoucherInfo(title=_text(tlv, TAG_TITLE), quantity=int(quantity),
                       provider=_text(tlv, TAG_PROVIDER), message=message,
                       value=_number(tlv, TAG_VALUE), expires=_expires(tlv),
                       units=_number(tlv, TAG_UNITS))


def _number(tlv: Mapping[int, bytes], tag: int) -> int:
    """An optional ASCII decimal tag (0 when absent)."""
    if tag not in tlv:
        return 0
    text = _text(tlv, tag, "ascii")
    if not text.isdigit() or len(text) > 12:
        raise DecodeError(f"tag {tag:X} is not decimal digits", field="62", position=0)
    return int(text)


def _expires(tlv: Mapping[int, bytes]) -> str:
    if TAG_EXPIRES not in tlv:
        return ""
    text = _text(tlv, TAG_EXPIRES, "ascii")
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise DecodeError("DF31 is not a date YYYY-MM-DD", field="62", position=0) from None
    return text


def parse_voucher_request(msg: Message) -> VoucherRequest:
    """Decode the X-menu data of a 0100 voucher request (host side).

    Raises:
        DecodeError: (field ``"62"``) field 62 missing, malformed, or an unknown method.
    """
    tlv = _tlv_map(msg)
    if tlv is None:
        raise DecodeError("voucher request without field 62", field="62", position=0)
    by_code = {v: k for k, v in METHODS.items()}
    method = by_code.get(tlv.get(TAG_METHOD, b""))
    if method is None:
        raise DecodeError("missing or unknown method (DF02)", field="62", position=0)
    return VoucherRequest(
        method=method,
        code=_text(tlv, TAG_CODE, "ascii") if TAG_CODE in tlv else "",
        order_no=_text(tlv, TAG_ORDER, "ascii") if TAG_ORDER in tlv else None,
        member_pan=msg.get(2),
        member_masked=_text(tlv, TAG_MEMBER, "ascii") if TAG_MEMBER in tlv else None,
        member_uid=_text(tlv, TAG_MEMBER_UID, "ascii") if TAG_MEMBER_UID in tlv else None,
        units=_units(tlv))


def _units(tlv: Mapping[int, bytes]) -> int | None:
    """DF33 of a request: ``None`` when absent (all that are left); never 0."""
    if TAG_UNITS not in tlv:
        return None
    units = _number(tlv, TAG_UNITS)
    if units == 0:
        raise DecodeError("DF33 must be at least 1", field="62", position=0)
    return units
