"""Sign-on 签到: 0800 and its 0810 answers."""

from __future__ import annotations

from .common import (
    _HEADER,
    _M,
    _T,
    _TPDU_REQ,
    _TPDU_RSP,
    ACQUIRER,
    KEY_BLOCK,
    MID,
    TID,
    Golden,
    _req,
    _rsp,
    _wire,
)

SIGN_ON_0800 = Golden(
    name="0800 sign-on request",
    message=_req("0800", {11: "000001", 41: TID, 42: MID, 60: "00000001004", 63: "01 "}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0800",
        "0020000000C00012",               # bitmap: 11 41 42 60 63
        "000001",                         # 11 STAN
        _T, _M,                           # 41, 42
        "0011" "000000010040",            # 60 LLL=011: 00 + batch 000001 + 004, pad 0
        "0003" "303120",                  # 63 LLL=003: "01 "
    ),
)

SIGN_ON_0810 = Golden(
    name="0810 sign-on response, approved with keys",
    message=_rsp("0810", {11: "000001", 12: "103045", 13: "0115", 32: ACQUIRER,
                          37: "250115000001", 39: "00", 41: TID, 42: MID, 60: "00000001004",
                          62: KEY_BLOCK}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0810",
        "003800010AC00014",               # bitmap: 11 12 13 32 37 39 41 42 60 62
        "000001", "103045", "0115",       # 11, 12 hhmmss, 13 MMDD
        "08" "48020000",                  # 32 LL=08 digits: acquirer ID
        "323530313135303030303031",       # 37 RRN "250115000001"
        "3030",                           # 39 "00"
        _T, _M,
        "0011" "000000010040",            # 60: new batch 000001, mode 004
        "0060" + KEY_BLOCK,               # 62 LLL=060 bytes: PIK KCV MAK KCV TDK KCV
    ),
)

SIGN_ON_0810_DECLINED = Golden(
    name="0810 sign-on response, declined 03",
    message=_rsp("0810", {11: "000001", 12: "103045", 13: "0115", 37: "250115000001",
                          39: "03", 41: TID, 42: MID, 60: "00000001004"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0810",
        "003800000AC00010",               # bitmap: 11 12 13 37 39 41 42 60
        "000001", "103045", "0115", "323530313135303030303031",
        "3033",                           # 39 "03"
        _T, _M, "0011" "000000010040",
    ),
)
