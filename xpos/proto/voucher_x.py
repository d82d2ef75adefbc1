"""X1 voucher query (0100 / 740000) and X void of a redemption (0100 / 740200).

Theory of operation
-------------------
Redemption the way group-buy platforms do it takes three messages, all 0100/0110 on
the platform TPDU (F3 ``7xxxxx``, :mod:`xpos.proto.routing`), MAC'd both ways, with
the X-menu data as BER-TLV in field 62 (:mod:`xpos.proto.voucher` has the tags):

=========  ========  ==========================================================
message    F3        what
=========  ========  ==========================================================
query      740000    same request TLV as a redemption (DF01–DF04, DF29); the
                     answer tells title (DF11), items left (DF12), provider
                     (DF13), unit value in fen (DF30), last valid day (DF31);
                     nothing is redeemed, nothing journaled
redeem     700000    the request adds DF33 = items to redeem (absent: all); the
                     answer's DF12 = items left afterwards, DF33 = items redeemed
void       740200    DF34 original trace, DF35 original batch (6 digits each):
                     the platform puts the redeemed items back; the answer's DF12
                     = items left afterwards, DF33 = items restored
=========  ========  ==========================================================

0100 (not 0200) keeps the X1 family in one message class: none of the three moves
money on a card. Redeem and void are journaled with their reversal (0400) before they
are sent; the query, which changes nothing, is not. A refusal's reason in words travels
in DF14 (:data:`xpos.proto.voucher.VOUCHER_RESPONSE_CODES` lists the codes).
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.errors import DecodeError, EncodeError
from xpos.proto._build import FINANCIAL_60_TAIL, field60, stan_field
from xpos.proto.codec import Message
from xpos.proto.routing import PLATFORM_TPDU
from xpos.proto.tlv import decode_tlv, encode_tlv
from xpos.proto.voucher import VOUCHER_60_1, voucher_request

__all__ = [
    "TAG_ORIGINAL_BATCH",
    "TAG_ORIGINAL_STAN",
    "VOUCHER_QUERY_CODE",
    "VOUCHER_VOID_CODE",
    "VoucherVoidOriginal",
    "parse_voucher_void_request",
    "voucher_query_request",
    "voucher_void_request",
]

VOUCHER_QUERY_CODE = "740000"
VOUCHER_VOID_CODE = "740200"
TAG_ORIGINAL_STAN, TAG_ORIGINAL_BATCH = 0xDF34, 0xDF35


def voucher_query_request(*, stan: int, tid: str, mid: str, batch: int, code: str,
                          method: str, order_no: str | None = None,
                          member_pan: str | None = None,
                          member_uid: str | None = None) -> Message:
    """Build a 0100 voucher query (F3 ``740000``, without MAC).

    The arguments are those of :func:`xpos.proto.voucher.voucher_request`.

    Raises:
        EncodeError: missing or invalid data for the method.
    """
    return voucher_request(stan=stan, tid=tid, mid=mid, batch=batch, code=code, method=method,
                           order_no=order_no, member_pan=member_pan, member_uid=member_uid,
                           processing_code=VOUCHER_QUERY_CODE)


@dataclass(frozen=True, kw_only=True)
class VoucherVoidOriginal:
    """The redemption an X void undoes: its batch and trace number at this terminal."""

    batch: int
    stan: int


def voucher_void_request(*, stan: int, tid: str, mid: str, batch: int,
                         original: VoucherVoidOriginal) -> Message:
    """Build a 0100 X void of a redemption (F3 ``740200``, without MAC).

    Raises:
        EncodeError: the original's batch or trace is out of range.
    """
    if not (1 <= original.stan <= 999_999 and 0 <= original.batch <= 999_999):
        raise EncodeError("original batch/trace out of range", field="62")
    tlv = encode_tlv([(TAG_ORIGINAL_STAN, f"{original.stan:06d}".encode("ascii")),
                      (TAG_ORIGINAL_BATCH, f"{original.batch:06d}".encode("ascii"))])
    fields = {3: VOUCHER_VOID_CODE, 11: stan_field(stan), 41: tid, 42: mid,
              60: field60(VOUCHER_60_1, batch, FINANCIAL_60_TAIL), 62: tlv.hex().upper()}
    return Message(mti="0100", fields=fields, tpdu=PLATFORM_TPDU)


def parse_voucher_void_request(msg: Message) -> VoucherVoidOriginal:
    """The original named by an X void (host side).

    Raises:
        DecodeError: (field ``"62"``) missing, malformed, or a tag not 6 digits.
    """
    raw = msg.get(62)
    if raw is None:
        raise DecodeError("X void without field 62", field="62", position=0)
    try:
        items = {item.tag: item.value for item in decode_tlv(bytes.fromhex(raw))}
    except (DecodeError, ValueError) as exc:
        raise DecodeError(f"bad TLV: {exc}", field="62", position=0) from exc
    values = []
    for tag in (TAG_ORIGINAL_STAN, TAG_ORIGINAL_BATCH):
        value = items.get(tag, b"")
        if len(value) != 6 or not value.isdigit():
            raise DecodeError(f"tag {tag:X} must be 6 digits", field="62", position=0)
        values.append(int(value))
    return VoucherVoidOriginal(stan=values[0], batch=values[1])
