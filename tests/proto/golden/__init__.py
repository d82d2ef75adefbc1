"""Golden byte tables: every message of the dialect as a Message value and its exact bytes.

Each wire image is written field by field so that it can be checked by hand against
reference §1.2: BCD numbers, BCD lengths (1 byte LL, 2 bytes LLL), odd ``n``/``z`` data
left-aligned with a 0 pad nibble, ASCII text, binary 52/62/64. The bitmap comment lists
the fields whose bits are set. The only values that cannot be derived by hand are the
MACs (CUP ECB MAC under :data:`MAK`, reference §1.7) and the sign-on key block
(:data:`KEYS` under :data:`TMK`, reference §1.5); tests recompute both.

Common values: TID ``12345678`` = ``3132333435363738``; MID ``123456789012345`` =
``313233343536373839303132333435``; host time 2025-01-15 10:30:45.

The tables are kept in one module per message family (``common`` holds the shared
values and helpers); this package re-exports every name, so ``from .golden import X``
and ``golden.X`` work as before.
"""

from __future__ import annotations

from .common import (
    _HEADER,
    _M,
    _T,
    _TPDU_REQ,
    _TPDU_RSP,
    _TPDU_X_REQ,
    _TPDU_X_RSP,
    ACQUIRER,
    KEY_BLOCK,
    MAK,
    MEMBER_PAN,
    MID,
    PAN,
    PIK,
    PIN_BLOCK,
    TDK,
    TID,
    TMK,
    TRACK2,
    VOUCHER_CODE,
    WHEN,
    Golden,
    _req,
    _rsp,
    _wire,
    _xreq,
    _xrsp,
)
from .order import (
    ORDER_PAID_0100,
    ORDER_PAID_0100_PARTY,
    ORDER_PAID_0110,
    ORDER_QUERY_0100,
    ORDER_QUERY_0110,
    ORDER_QUERY_0110_PAID,
    PARTY_DEBIT_0200,
    PARTY_DEBIT_0210_NO_FUNDS,
)
from .sale import (
    REVERSAL_0400,
    REVERSAL_0400_MAC,
    REVERSAL_0410,
    SALE_0200,
    SALE_0200_NO_PIN,
    SALE_0210,
    SALE_0210_DECLINED,
)
from .sign_on import SIGN_ON_0800, SIGN_ON_0810, SIGN_ON_0810_DECLINED
from .void import VOID_0200, VOID_0200_NO_RRN, VOID_0210, VOID_0210_NOT_FOUND, VOID_REVERSAL_0400
from .voucher import (
    VOUCHER_0100,
    VOUCHER_0100_MEMBER,
    VOUCHER_0110,
    VOUCHER_0110_EXPIRED,
    VOUCHER_0110_UNKNOWN,
    VOUCHER_0110_USED,
)

GOLDEN: tuple[Golden, ...] = (
    SIGN_ON_0800, SIGN_ON_0810, SIGN_ON_0810_DECLINED,
    SALE_0200, SALE_0200_NO_PIN, SALE_0210, SALE_0210_DECLINED,
    REVERSAL_0400, REVERSAL_0400_MAC, REVERSAL_0410,
    VOID_0200, VOID_0200_NO_RRN, VOID_0210, VOID_0210_NOT_FOUND, VOID_REVERSAL_0400,
    VOUCHER_0100, VOUCHER_0100_MEMBER,
    VOUCHER_0110, VOUCHER_0110_UNKNOWN, VOUCHER_0110_USED, VOUCHER_0110_EXPIRED,
    ORDER_QUERY_0100, ORDER_QUERY_0110, ORDER_QUERY_0110_PAID, ORDER_PAID_0100, ORDER_PAID_0110,
    PARTY_DEBIT_0200, PARTY_DEBIT_0210_NO_FUNDS, ORDER_PAID_0100_PARTY,
)

__all__ = [
    "ACQUIRER",
    "GOLDEN",
    "KEY_BLOCK",
    "MAK",
    "MEMBER_PAN",
    "MID",
    "ORDER_PAID_0100",
    "ORDER_PAID_0100_PARTY",
    "ORDER_PAID_0110",
    "ORDER_QUERY_0100",
    "ORDER_QUERY_0110",
    "ORDER_QUERY_0110_PAID",
    "PAN",
    "PARTY_DEBIT_0200",
    "PARTY_DEBIT_0210_NO_FUNDS",
    "PIK",
    "PIN_BLOCK",
    "REVERSAL_0400",
    "REVERSAL_0400_MAC",
    "REVERSAL_0410",
    "SALE_0200",
    "SALE_0200_NO_PIN",
    "SALE_0210",
    "SALE_0210_DECLINED",
    "SIGN_ON_0800",
    "SIGN_ON_0810",
    "SIGN_ON_0810_DECLINED",
    "TDK",
    "TID",
    "TMK",
    "TRACK2",
    "VOID_0200",
    "VOID_0200_NO_RRN",
    "VOID_0210",
    "VOID_0210_NOT_FOUND",
    "VOID_REVERSAL_0400",
    "VOUCHER_0100",
    "VOUCHER_0100_MEMBER",
    "VOUCHER_0110",
    "VOUCHER_0110_EXPIRED",
    "VOUCHER_0110_UNKNOWN",
    "VOUCHER_0110_USED",
    "VOUCHER_CODE",
    "WHEN",
    "_HEADER",
    "_M",
    "_T",
    "_TPDU_REQ",
    "_TPDU_RSP",
    "_TPDU_X_REQ",
    "_TPDU_X_RSP",
    "Golden",
    "_req",
    "_rsp",
    "_wire",
    "_xreq",
    "_xrsp",
]
