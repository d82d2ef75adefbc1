"""Golden byte tables for refund (退货, 0220/0230) and balance inquiry (查余额, 0200/0210).

Written field by field like :mod:`.golden` (same TID, MID, card, PIN block, MAK and host
time); the MACs are CUP ECB under :data:`.golden.MAK` and are recomputed by the tests.
The refund names SALE_0200 of :mod:`.golden` (batch 000001, STAN 000002, RRN
``250115000002``, 15 January).
"""

from __future__ import annotations

from xpos.proto.codec import Message

from .golden import _M, _T, MID, PIN_BLOCK, TID, TRACK2, Golden, _rsp, _wire

_TPDU_REQ = "6000030000"
_TPDU_RSP = "6000000003"
_HEADER = "603100310000"
_CARD_NO_PIN = "37" "6212345678901234567D30121010000000000" "0"   # 35 LL=37 digits, pad 0
_REFUND_60 = "0014" "25000001000500"      # 60 LLL=014: 25 (refund) 000001 000 5 0 0
_BALANCE_60 = "0014" "01000001000500"     # 60 LLL=014: 01 (balance) 000001 000 5 0 0
_CUP = "0003" "435550"                    # 63 LLL=003: "CUP" (card organisation)

REFUND_0220 = Golden(
    name="0220 refund request, no PIN, original known (batch, STAN, RRN, date)",
    message=Message(mti="0220", fields={
        3: "200000", 4: "000000000500", 11: "000009", 14: "3012", 22: "022", 25: "00",
        35: TRACK2, 37: "250115000002", 41: TID, 42: MID, 49: "156", 60: "25000001000500",
        61: "0000010000020115", 63: "CUP", 64: "4339304139363342"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0220",
        "3024048028C0801B",   # bitmap: 3 4 11 14 22 25 35 37 41 42 49 60 61 63 64
        "200000",                         # 3 processing code: refund (as a void)
        "000000000500",                   # 4 the refund amount, 5.00 (partial)
        "000009",                         # 11 the refund's own STAN
        "3012", "0220", "00",             # 14, 22 "022" (no PIN), 25
        _CARD_NO_PIN,                     # 35 track 2
        "323530313135303030303032",       # 37 original RRN "250115000002"
        _T, _M, "313536",                 # 41, 42, 49
        _REFUND_60,                       # 60
        "0016" "0000010000020115",        # 61 LLL=016: batch 000001 STAN 000002 date 0115
        _CUP,                             # 63 "CUP"
        "4339304139363342",               # 64 MAC "C90A963B"
    ),
)

REFUND_0220_EARLIER = Golden(
    name="0220 refund request, original of an earlier day (batch and STAN unknown: zeros)",
    message=Message(mti="0220", fields={
        3: "200000", 4: "000000000500", 11: "000010", 14: "3012", 22: "022", 25: "00",
        35: TRACK2, 37: "250110000042", 41: TID, 42: MID, 49: "156", 60: "25000001000500",
        61: "0000000000000110", 63: "CUP", 64: "3841453043393039"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0220",
        "3024048028C0801B",   # bitmap: 3 4 11 14 22 25 35 37 41 42 49 60 61 63 64
        "200000", "000000000500", "000010", "3012", "0220", "00", _CARD_NO_PIN,
        "323530313130303030303432",       # 37 original RRN "250110000042"
        _T, _M, "313536", _REFUND_60,
        "0016" "0000000000000110",        # 61: batch, STAN unknown (zeros), date 0110
        _CUP,
        "3841453043393039",               # 64 MAC "8AE0C909"
    ),
)

_REFUND_RSP = {3: "200000", 4: "000000000500", 11: "000009", 12: "103045", 13: "0115",
               25: "00", 37: "250115000010", 41: TID, 42: MID, 49: "156",
               60: "25000001000500"}

REFUND_0230 = Golden(
    name="0230 refund response, approved 00",
    message=_rsp("0230", _REFUND_RSP | {38: "654322", 39: "00", 64: "3133443430303435"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0230",
        "303800800EC08011",   # bitmap: 3 4 11 12 13 25 37 38 39 41 42 49 60 64
        "200000", "000000000500", "000009", "103045", "0115", "00",
        "323530313135303030303130",       # 37 the refund's own RRN "250115000010"
        "363534333232",                   # 38 auth code "654322"
        "3030",                           # 39 "00"
        _T, _M, "313536", _REFUND_60,
        "3133443430303435",               # 64 MAC "13D40045"
    ),
)

REFUND_0230_OVER = Golden(
    name="0230 refund response, declined 61 (more than is left to refund)",
    message=_rsp("0230", _REFUND_RSP | {39: "61", 64: "4238454438323738"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0230",
        "303800800AC08011",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 64
        "200000", "000000000500", "000009", "103045", "0115", "00",
        "323530313135303030303130",
        "3631",                           # 39 "61"
        _T, _M, "313536", _REFUND_60,
        "4238454438323738",               # 64 MAC "B8ED8278"
    ),
)

BALANCE_0200 = Golden(
    name="0200 balance inquiry request, swiped with PIN (no field 4)",
    message=Message(mti="0200", fields={
        3: "310000", 11: "000011", 14: "3012", 22: "021", 25: "00", 26: "12", 35: TRACK2,
        41: TID, 42: MID, 49: "156", 52: PIN_BLOCK, 53: "2600000000000000",
        60: "01000001000500", 63: "01 ", 64: "4335343330433344"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "202404C020C09813",   # bitmap: 3 11 14 22 25 26 35 41 42 49 52 53 60 63 64
        "310000",                         # 3 processing code: balance inquiry
        "000011",                         # 11 STAN
        "3012", "0210", "00", "12",       # 14, 22 "021" (PIN), 25, 26
        _CARD_NO_PIN,                     # 35 track 2
        _T, _M, "313536",                 # 41, 42, 49
        PIN_BLOCK,                        # 52 PIN block
        "2600000000000000",               # 53
        _BALANCE_60,                      # 60
        "0003" "303120",                  # 63 operator "01 "
        "4335343330433344",               # 64 MAC "C5430C3D"
    ),
)

_BALANCE_RSP = {3: "310000", 11: "000011", 12: "103045", 13: "0115", 25: "00",
                37: "250115000011", 41: TID, 42: MID, 49: "156", 60: "01000001000500"}

BALANCE_0210 = Golden(
    name="0210 balance response, approved, balance 987.66 in field 54",
    message=_rsp("0210", _BALANCE_RSP | {39: "00", 54: "1002156C000000098766",
                                         64: "4337464439434630"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "203800800AC08411",   # bitmap: 3 11 12 13 25 37 39 41 42 49 54 60 64
        "310000", "000011", "103045", "0115", "00",
        "323530313135303030303131",       # 37 RRN "250115000011"
        "3030",                           # 39 "00"
        _T, _M, "313536",
        "0020" "3130" "3032" "313536" "43" "303030303030303938373636",
        # 54 LLL=020: account 10, amount type 02 (available), 156, C (credit), 98766 fen
        _BALANCE_60,
        "4337464439434630",               # 64 MAC "C7FD9CF0"
    ),
)

BALANCE_0210_PIN = Golden(
    name="0210 balance response, declined 55 (wrong PIN): no field 54",
    message=_rsp("0210", _BALANCE_RSP | {39: "55", 64: "3443433835364434"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "203800800AC08011",   # bitmap: 3 11 12 13 25 37 39 41 42 49 60 64
        "310000", "000011", "103045", "0115", "00",
        "323530313135303030303131",
        "3535",                           # 39 "55"
        _T, _M, "313536", _BALANCE_60,
        "3443433835364434",               # 64 MAC "4CC856D4"
    ),
)

GOLDEN_REFUND: tuple[Golden, ...] = (
    REFUND_0220, REFUND_0220_EARLIER, REFUND_0230, REFUND_0230_OVER,
    BALANCE_0200, BALANCE_0210, BALANCE_0210_PIN,
)
