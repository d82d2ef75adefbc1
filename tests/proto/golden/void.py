"""Void 消费撤销 (0200/0210, 3 = 200000) and its reversal."""

from __future__ import annotations

from .common import (
    _HEADER,
    _M,
    _T,
    _TPDU_REQ,
    _TPDU_RSP,
    MID,
    PIN_BLOCK,
    TID,
    TRACK2,
    Golden,
    _req,
    _rsp,
    _wire,
)

# -- void 消费撤销 (0200, 3 = 200000, 60.1 = 23) of SALE_0200 (batch 000001, STAN 000002) --

_ORIGINAL_RRN = "323530313135303030303032"   # "250115000002": the sale's RRN
_ORIGINAL_AUTH = "313233343536"              # "123456": the sale's auth code
_VOID_60 = "0014" "23000001000500"           # 60 LLL=014: 23 000001 000 5 0 0
_VOID_61 = "0012" "000001000002"             # 61 LLL=012: original batch 000001, STAN 000002

VOID_0200 = Golden(
    name="0200 void request, swiped with PIN, original RRN and auth code",
    message=_req("0200", {3: "200000", 4: "000000001234", 11: "000007", 14: "3012",
                          22: "021", 25: "00", 26: "12", 35: TRACK2, 37: "250115000002",
                          38: "123456", 41: TID, 42: MID, 49: "156", 52: PIN_BLOCK,
                          53: "2600000000000000", 60: "23000001000500",
                          61: "000001000002", 63: "01 ", 64: "3232414634333645"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "302404C02CC0981B",   # bitmap: 3 4 11 14 22 25 26 35 37 38 41 42 49 52 53 60 61 63 64
        "200000",                         # 3 processing code: void
        "000000001234",                   # 4 amount: the original's, 12.34
        "000007",                         # 11 the void's own STAN
        "3012", "0210", "00", "12",       # 14, 22 "021", 25, 26
        "37" "6212345678901234567D30121010000000000" "0",   # 35 the same card
        _ORIGINAL_RRN,                    # 37 original RRN
        _ORIGINAL_AUTH,                   # 38 original auth code
        _T, _M, "313536",                 # 41, 42, 49
        PIN_BLOCK,                        # 52
        "2600000000000000",               # 53
        _VOID_60, _VOID_61,               # 60, 61
        "0003" "303120",                  # 63 "01 "
        "3232414634333645",               # 64 MAC "22AF436E"
    ),
)

VOID_0200_NO_RRN = Golden(
    name="0200 void request, without PIN, original without RRN or auth code",
    message=_req("0200", {3: "200000", 4: "000000001234", 11: "000008", 14: "3012",
                          22: "022", 25: "00", 35: TRACK2, 37: "000000000000", 41: TID,
                          42: MID, 49: "156", 60: "23000001000500", 61: "000001000002",
                          63: "01 ", 64: "3435374437373235"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "3024048028C0801B",   # bitmap: 3 4 11 14 22 25 35 37 41 42 49 60 61 63 64
        "200000", "000000001234", "000008", "3012", "0220", "00",
        "37" "6212345678901234567D30121010000000000" "0",
        "303030303030303030303030",       # 37 twelve zeros: no original RRN
        _T, _M, "313536", _VOID_60, _VOID_61, "0003" "303120",
        "3435374437373235",               # 64 MAC "457D7725"
    ),
)

_VOID_RSP = {3: "200000", 4: "000000001234", 11: "000007", 12: "103045", 13: "0115",
             25: "00", 37: "250115000008", 41: TID, 42: MID, 49: "156",
             60: "23000001000500"}

VOID_0210 = Golden(
    name="0210 void response, approved 00",
    message=_rsp("0210", _VOID_RSP | {38: "654321", 39: "00", 64: "3635393931463736"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "303800800EC08011",   # bitmap: 3 4 11 12 13 25 37 38 39 41 42 49 60 64
        "200000", "000000001234", "000007", "103045", "0115", "00",
        "323530313135303030303038",       # 37 the void's own RRN "250115000008"
        "363534333231",                   # 38 the void's auth code "654321"
        "3030",                           # 39 "00"
        _T, _M, "313536", _VOID_60,
        "3635393931463736",               # 64 MAC "65991F76"
    ),
)

VOID_0210_NOT_FOUND = Golden(
    name="0210 void response, declined 25 (no such original)",
    message=_rsp("0210", _VOID_RSP | {39: "25", 64: "4544453239314546"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "303800800AC08011",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 64
        "200000", "000000001234", "000007", "103045", "0115", "00",
        "323530313135303030303038",
        "3235",                           # 39 "25"
        _T, _M, "313536", _VOID_60,
        "4544453239314546",               # 64 MAC "EDE291EF"
    ),
)

VOID_REVERSAL_0400 = Golden(
    name="0400 reversal of a void, reason 98, field 61 kept",
    message=_req("0400", {3: "200000", 4: "000000001234", 11: "000007", 14: "3012",
                          22: "021", 25: "00", 38: "123456", 39: "98", 41: TID, 42: MID,
                          49: "156", 60: "23000001000500", 61: "000001000002", 63: "01 ",
                          64: "4445463330414546"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0400",
        "3024048006C0801B",   # bitmap: 3 4 11 14 22 25 38 39 41 42 49 60 61 63 64
        "200000", "000000001234",
        "000007",                         # 11 the void's STAN
        "3012", "0210", "00",
        _ORIGINAL_AUTH,                   # 38 kept from the void
        "3938",                           # 39 reason "98"
        _T, _M, "313536", _VOID_60,
        _VOID_61,                         # 61 kept: original batch + STAN (reference §1.6)
        "0003" "303120",
        "4445463330414546",               # 64 MAC "DEF30AEF"
    ),
)
