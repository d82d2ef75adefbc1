"""X1 voucher verification 订单验证 (0100/0110, TLV in field 62)."""

from __future__ import annotations

from .common import (
    _HEADER,
    _M,
    _T,
    _TPDU_X_REQ,
    _TPDU_X_RSP,
    MEMBER_PAN,
    MID,
    TID,
    Golden,
    _wire,
    _xreq,
    _xrsp,
)

_VOUCHER_TLV = ("DF01" "10" "38383838363636363737373734343434"   # code "8888666677774444"
                "DF02" "01" "4B")                                 # method "K" keyed

VOUCHER_0100 = Golden(
    name="0100 voucher verification request, keyed code",
    message=_xreq("0100", {3: "700000", 11: "000003", 41: TID, 42: MID,
                          60: "70000001000500", 62: _VOUCHER_TLV, 64: "3841384344434246"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "2020000000C00015",               # bitmap: 3 11 41 42 60 62 64
        "700000",                         # 3 X-menu verification
        "000003", _T, _M,
        "0014" "70000001000500",          # 60: 60.1 = 70, batch 000001, 000 5 0 0
        "0023" + _VOUCHER_TLV,            # 62 LLL=023 bytes of BER-TLV
        "3841384344434246",               # 64 MAC "8A8CDCBF"
    ),
)

_MEMBER_TLV = ("DF02" "01" "4D"                                   # method "M" member
               "DF03" "0E" "4F52443230323530313135303031"         # order "ORD20250115001"
               "DF04" "13" "3632323230322A2A2A2A2A2A2A2A2A30313233")  # "622202*********0123"

VOUCHER_0100_MEMBER = Golden(
    name="0100 voucher verification request, member card + order number",
    message=_xreq("0100", {2: MEMBER_PAN, 3: "700000", 11: "000004", 41: TID, 42: MID,
                          60: "70000001000500", 62: _MEMBER_TLV, 64: "4439373346324337"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100",
        "6020000000C00015",               # bitmap: 2 3 11 41 42 60 62 64
        "19" "6222021234567890123" "0",   # 2 LL=19 digits, pad 0: the only full PAN
        "700000", "000004", _T, _M,
        "0014" "70000001000500",
        "0043" + _MEMBER_TLV,             # 62 LLL=043 bytes
        "4439373346324337",               # 64 MAC "D973F2C7"
    ),
)

_INFO_TLV = ("DF11" "14" "E7949FE697A5E89B8BE7B395E588B8" "2038" "E5AFB8"  # 生日蛋糕券 8寸
             "DF12" "01" "31"                                              # quantity "1"
             "DF13" "0C" "E7949CE5BF83E78398E78499"                        # 甜心烘焙
             "DF14" "0F" "E587ADE6ADA4E58D95E58F96E8B4A7")                 # 凭此单取货
_VOUCHER_RSP = {3: "700000", 11: "000003", 12: "103045", 13: "0115", 37: "250115000003",
                41: TID, 42: MID, 60: "70000001000500"}
_VOUCHER_RSP_HEAD = ("000003", "103045", "0115", "323530313135303030303033")


def _voucher_decline(rc: str, rc_hex: str, mac: str, meaning: str) -> Golden:
    return Golden(
        name=f"0110 voucher response, {rc} {meaning}",
        message=_xrsp("0110", _VOUCHER_RSP | {39: rc, 64: mac}),
        wire=_wire(
            _TPDU_X_RSP, _HEADER, "0110",
            "203800000AC00011",           # bitmap: 3 11 12 13 37 39 41 42 60 64
            "700000", *_VOUCHER_RSP_HEAD, rc_hex, _T, _M, "0014" "70000001000500", mac,
        ),
    )


VOUCHER_0110 = Golden(
    name="0110 voucher response, 00 valid (redeemed now)",
    message=_xrsp("0110", _VOUCHER_RSP | {39: "00", 62: _INFO_TLV, 64: "3938304431444641"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110",
        "203800000AC00015",               # bitmap: 3 11 12 13 37 39 41 42 60 62 64
        "700000", *_VOUCHER_RSP_HEAD,
        "3030",                           # 39 "00"
        _T, _M, "0014" "70000001000500",
        "0060" + _INFO_TLV,               # 62 LLL=060 bytes
        "3938304431444641",               # 64 MAC "980D1DFA"
    ),
)
VOUCHER_0110_UNKNOWN = _voucher_decline("25", "3235", "3536424643424638", "unknown voucher")
VOUCHER_0110_USED = _voucher_decline("V1", "5631", "4337444339414438", "already used")
VOUCHER_0110_EXPIRED = _voucher_decline("V2", "5632", "4645423644464235", "expired")
