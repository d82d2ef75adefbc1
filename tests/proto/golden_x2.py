"""Golden byte tables of the X2 combined payment: the order-paid notice naming both legs
and the third-party debit's ``51`` answer carrying the card balance (``DF2D``).

Written field by field like :mod:`.golden` (same TID, MID, MAK and host time); the MACs
are CUP ECB under :data:`.golden.MAK` and are recomputed by the tests.
"""

from __future__ import annotations

from .golden import _M, _T, MID, TID, Golden, _wire, _xreq, _xrsp

_TPDU_REQ = "6000030000"
_TPDU_RSP = "6000000003"
_TPDU_X_REQ = "6000080000"   # X-class: the platform's destination
_TPDU_X_RSP = "6000000008"
_HEADER = "603100310000"
_ORDER_P_60 = "0014" "72000001000500"                    # 60: 72 000001 000 5 0 0
_PARTY_60 = "0014" "73000001000500"                      # 60: 73 000001 000 5 0 0

_COMBO_TLV = ("DF25" "0A" "36363030303030303031"                       # order "6600000001"
              "DF27" "18" "303030303031" "303030303134" "323530313135303030303134"
              #             bank leg: batch 000001, STAN 000014, RRN 250115000014
              "DF28" "05" "3430303030"                                 # bank amount 40000
              "DF2B" "0C" "303030303031" "303030303132"                # party: 000001/000012
              "DF2C" "05" "3230303030")                                # party amount 20000

ORDER_PAID_0100_COMBO = Golden(
    name="0100 order-paid notice naming both legs of a combined payment",
    message=_xreq("0100", {3: "720000", 4: "000000060000", 11: "000011", 41: TID, 42: MID,
                          49: "156", 60: "72000001000500", 62: _COMBO_TLV,
                          64: "4530333043323844"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "3020000000C08015",               # bitmap: 3 4 11 41 42 49 60 62 64
        "720000",                         # 3 X2 order paid
        "000000060000",                   # 4 the sum of both legs, 600.00
        "000011", _T, _M, "313536", _ORDER_P_60,
        "0071" + _COMBO_TLV,              # 62 LLL=071 bytes
        "4530333043323844",               # 64 MAC "E030C28D"
    ),
)

_BALANCE_TLV = ("DF26" "0D" "E4BD99E9A29D" "203230302E3030"    # DF26 "余额 200.00"
                "DF2D" "05" "3230303030")                      # DF2D balance 20000 fen

PARTY_DEBIT_0210_BALANCE = Golden(
    name="0210 third-party debit response, 51 with the balance in DF2D",
    message=_xrsp("0210", {3: "730000", 4: "000000060000", 11: "000012", 12: "103045",
                          13: "0115", 25: "00", 37: "250115000012", 39: "51", 41: TID,
                          42: MID, 49: "156", 60: "73000001000500", 62: _BALANCE_TLV,
                          64: "3735464141384139"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0210",
        "303800800AC08015",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 62 64
        "730000", "000000060000", "000012", "103045", "0115", "00",
        "323530313135303030303132",       # 37 RRN
        "3531",                           # 39 "51"
        _T, _M, "313536", _PARTY_60,
        "0024" + _BALANCE_TLV,            # 62 LLL=024 bytes
        "3735464141384139",               # 64 MAC "75FAA8A9"
    ),
)

GOLDEN_X2: tuple[Golden, ...] = (ORDER_PAID_0100_COMBO, PARTY_DEBIT_0210_BALANCE)
