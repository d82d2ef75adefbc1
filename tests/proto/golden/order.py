"""X2 order payment: order query, order-paid notice, third-party debit."""

from __future__ import annotations

from .common import (
    _HEADER,
    _M,
    _T,
    _TPDU_X_REQ,
    _TPDU_X_RSP,
    MEMBER_PAN,
    MID,
    PIN_BLOCK,
    TID,
    Golden,
    _wire,
    _xreq,
    _xrsp,
)

# -- X2 order payment: order query (0100, 3 = 710000, 60.1 = 71) and order-paid notice
#    (0100, 3 = 720000, 60.1 = 72), TLV DF20-DF28 in field 62 (docs/protocol.md §4.7) --

_ORDER_Q_TLV = "DF20" "0A" "36363838303030303230"        # DF20 keyed: coupon "6688000020"
_ORDER_Q_60 = "0014" "71000001000500"                    # 60: 71 000001 000 5 0 0
_ORDER_P_60 = "0014" "72000001000500"                    # 60: 72 000001 000 5 0 0

ORDER_QUERY_0100 = Golden(
    name="0100 order query, coupon number keyed (J1)",
    message=_xreq("0100", {3: "710000", 11: "000008", 41: TID, 42: MID,
                          60: "71000001000500", 62: _ORDER_Q_TLV, 64: "4133333739453942"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "2020000000C00015",               # bitmap: 3 11 41 42 60 62 64
        "710000",                         # 3 X2 order query
        "000008", _T, _M, _ORDER_Q_60,
        "0013" + _ORDER_Q_TLV,            # 62 LLL=013 bytes of BER-TLV
        "4133333739453942",               # 64 MAC "A3379E9B"
    ),
)

_ORDER_INFO_TLV = (
    "DF25" "0A" "36363030303030303032"                          # order no. "6600000002"
    "DF21" "0D" "535556" "E7A79F" "E8B581" "32" "E5A4A9"          # title "SUV租赁2天"
    "DF22" "05" "3530303030"                                    # total "50000" fen
    "DF23" "05" "3430303030"                                    # due "40000" fen
    "DF24" "15" "E4BC98E683A0E588B8" "38" "E68A98" "202D3130302E3030")  # "优惠券8折 -100.00"
_ORDER_Q_RSP = {3: "710000", 11: "000008", 12: "103045", 13: "0115", 37: "250115000008",
                41: TID, 42: MID, 60: "71000001000500"}

ORDER_QUERY_0110 = Golden(
    name="0110 order query response, 00 with the order: 20 % off by coupon",
    message=_xrsp("0110", _ORDER_Q_RSP | {39: "00", 62: _ORDER_INFO_TLV,
                                         64: "4543433236463836"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110",
        "203800000AC00015",               # bitmap: 3 11 12 13 37 39 41 42 60 62 64
        "710000", "000008", "103045", "0115", "323530313135303030303038",
        "3030",                           # 39 "00"
        _T, _M, _ORDER_Q_60,
        "0069" + _ORDER_INFO_TLV,         # 62 LLL=069 bytes
        "4543433236463836",               # 64 MAC "ECC26F86"
    ),
)

# DF26 "已于2024-05-01支付" (already paid on 2024-05-01)
_PAID_MSG_TLV = "DF26" "16" "E5B7B2E4BA8E" "323032342D30352D3031" "E694AFE4BB98"

ORDER_QUERY_0110_PAID = Golden(
    name="0110 order query response, P1 already paid, with the platform's words (DF26)",
    message=_xrsp("0110", _ORDER_Q_RSP | {39: "P1", 62: _PAID_MSG_TLV, 64: "3042314642453633"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110",
        "203800000AC00015",               # bitmap: 3 11 12 13 37 39 41 42 60 62 64
        "710000", "000008", "103045", "0115", "323530313135303030303038",
        "5031",                           # 39 "P1"
        _T, _M, _ORDER_Q_60,
        "0025" + _PAID_MSG_TLV,           # 62 LLL=025 bytes
        "3042314642453633",               # 64 MAC "0B1FBE63"
    ),
)

_ORDER_PAID_TLV = (
    "DF25" "0A" "36363030303030303032"                          # order no. "6600000002"
    "DF27" "18" "303030303031" "303030303130" "323530313135303030303130"  # batch 000001,
                                                                # STAN 000010, RRN 250115000010
    "DF28" "05" "3430303030")                                   # bank leg amount "40000" fen

ORDER_PAID_0100 = Golden(
    name="0100 order-paid notice naming the bank leg",
    message=_xreq("0100", {3: "720000", 4: "000000040000", 11: "000009", 41: TID, 42: MID,
                          49: "156", 60: "72000001000500", 62: _ORDER_PAID_TLV,
                          64: "4235394644313236"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "3020000000C08015",               # bitmap: 3 4 11 41 42 49 60 62 64
        "720000",                         # 3 X2 order paid
        "000000040000",                   # 4 amount 400.00
        "000009", _T, _M, "313536", _ORDER_P_60,
        "0048" + _ORDER_PAID_TLV,         # 62 LLL=048 bytes
        "4235394644313236",               # 64 MAC "B59FD126"
    ),
)

ORDER_PAID_0110 = Golden(
    name="0110 order-paid response, 00 order marked paid",
    message=_xrsp("0110", {3: "720000", 4: "000000040000", 11: "000009", 12: "103045",
                          13: "0115", 37: "250115000011", 39: "00", 41: TID, 42: MID,
                          60: "72000001000500", 64: "3638303846414443"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110",
        "303800000AC00011",               # bitmap: 3 4 11 12 13 37 39 41 42 60 64
        "720000", "000000040000", "000009", "103045", "0115", "323530313135303030303131",
        "3030", _T, _M, _ORDER_P_60,
        "3638303846414443",               # 64 MAC "6808FADC"
    ),
)


# -- X2 third-party debit (0200, 3 = 730000, 60.1 = 73) of member card MEMBER_PAN with
#    its password (PIN block), and the order-paid notice naming that leg --------------

_PARTY_TLV = "DF25" "0A" "36363030303030303037"          # DF25 order no. "6600000007"
_PARTY_60 = "0014" "73000001000500"                      # 60: 73 000001 000 5 0 0

PARTY_DEBIT_0200 = Golden(
    name="0200 third-party debit, member card with its password",
    message=_xreq("0200", {2: MEMBER_PAN, 3: "730000", 4: "000000015000", 11: "000011",
                          22: "021", 25: "00", 26: "12", 41: TID, 42: MID, 49: "156",
                          52: PIN_BLOCK, 60: "73000001000500", 62: _PARTY_TLV,
                          64: "3633344445364146"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0200",
        "702004C000C09015",   # bitmap: 2 3 4 11 22 25 26 41 42 49 52 60 62 64
        "19" "6222021234567890123" "0",   # 2 LL=19: the third-party card (field 2 only)
        "730000",                         # 3 X2 third-party debit
        "000000015000",                   # 4 amount 150.00
        "000011", "0210", "00", "12",     # 11 STAN, 22 021 (PIN), 25, 26
        _T, _M, "313536",
        PIN_BLOCK,                        # 52 the card's password as a PIN block
        _PARTY_60,
        "0013" + _PARTY_TLV,              # 62 LLL=013 bytes
        "3633344445364146",               # 64 MAC "634DE6AF"
    ),
)

_PARTY_MSG_TLV = "DF26" "0D" "E4BD99E9A29D" "203130302E3030"   # DF26 "余额 100.00"

PARTY_DEBIT_0210_NO_FUNDS = Golden(
    name="0210 third-party debit response, 51 with the balance in the platform's words",
    message=_xrsp("0210", {3: "730000", 4: "000000015000", 11: "000011", 12: "103045",
                          13: "0115", 25: "00", 37: "250115000011", 39: "51", 41: TID,
                          42: MID, 49: "156", 60: "73000001000500", 62: _PARTY_MSG_TLV,
                          64: "3445323435453841"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0210",
        "303800800AC08015",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 62 64
        "730000", "000000015000", "000011", "103045", "0115", "00",
        "323530313135303030303131",       # 37 RRN
        "3531",                           # 39 "51"
        _T, _M, "313536", _PARTY_60,
        "0016" + _PARTY_MSG_TLV,          # 62 LLL=016 bytes
        "3445323435453841",               # 64 MAC "4E245E8A"
    ),
)

_PAID_PARTY_TLV = ("DF25" "0A" "36363030303030303037"              # order no. "6600000007"
                   "DF2B" "0C" "303030303031" "303030303131"       # batch 000001, STAN 000011
                   "DF2C" "05" "3135303030")                       # third-party amount 15000

ORDER_PAID_0100_PARTY = Golden(
    name="0100 order-paid notice naming the third-party leg",
    message=_xreq("0100", {3: "720000", 4: "000000015000", 11: "000012", 41: TID, 42: MID,
                          49: "156", 60: "72000001000500", 62: _PAID_PARTY_TLV,
                          64: "4337373737433746"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "3020000000C08015",               # bitmap: 3 4 11 41 42 49 60 62 64
        "720000", "000000015000", "000012", _T, _M, "313536", _ORDER_P_60,
        "0036" + _PAID_PARTY_TLV,         # 62 LLL=036 bytes
        "4337373737433746",               # 64 MAC "C7777C7F"
    ),
)
