"""X1 requests of a test terminal (query, redemption of N items, X void), sealed."""

from __future__ import annotations

from xpos.proto.codec import Message
from xpos.proto.voucher import voucher_request
from xpos.proto.voucher_x import VoucherVoidOriginal, voucher_query_request, voucher_void_request

from .terminal import TerminalMessages

GYM = "883300112239"  # 健身次卡: 5 items of 30.00


def query(term: TerminalMessages, code: str = GYM) -> Message:
    return term.seal(voucher_query_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                           batch=term.batch, code=code, method="keyed"))


def redeem(term: TerminalMessages, units: int, code: str = GYM) -> Message:
    return term.seal(voucher_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                     batch=term.batch, code=code, method="keyed", units=units))


def void(term: TerminalMessages, original: Message, original_batch: int) -> Message:
    ref = VoucherVoidOriginal(batch=original_batch, stan=int(original.get(11) or 0))
    return term.seal(voucher_void_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                          batch=term.batch, original=ref))
