"""Golden byte tables of the settlement messages (reference §1.4): 0500/0510 bank and X,
0320/0330 batch upload and batch-upload end. None carries a MAC.

Same conventions as :mod:`.golden` (TID, MID, host time, TPDU, header). The batch is
000001; field 60 = ``00`` + batch + 60.3 (``201`` settlement and upload, ``202`` end),
11 digits sent as 6 BCD bytes with a 0 pad nibble.
"""

from __future__ import annotations

from .golden import MID, TID, Golden, _req, _rsp, _wire, _xreq, _xrsp

_TPDU_REQ = "6000030000"
_TPDU_RSP = "6000000003"
_TPDU_X_REQ = "6000080000"   # X-class: the platform's destination
_TPDU_X_RSP = "6000000008"
_HEADER = "603100310000"
_T = "3132333435363738"
_M = "313233343536373839303132333435"
_60_SETTLE = "0011" "000000012010"      # 60 LLL=011: 00 + 000001 + 201, pad 0
_60_END = "0011" "000000012020"         # 60 LLL=011: 00 + 000001 + 202, pad 0
_F48_REQ = ("000000001734" "002"        # domestic debits: 17.34 in 2
            "000000000500" "001" "0"    # domestic credits: 5.00 in 1, then 0
            "000000000000" "000" "000000000000" "000" "0")   # foreign: none
_F48_OK = _F48_REQ[:30] + "1" + _F48_REQ[31:61] + "1"       # results at 31 and 62
_F48_UNBALANCED = _F48_REQ[:30] + "2" + _F48_REQ[31:61] + "1"
_ITEMS = ("02"                                               # NN = 2 items
          "00" "000002" + "0" * 20 + "000000001234"          # domestic, STAN, PAN, amount
          + "00" "000003" + "0" * 20 + "000000000500")
_X48 = "000000000000" "001" "000000000000" "000" "0"       # X: 1 voucher, amount 0

SETTLE_0500 = Golden(
    name="0500 settlement request, field 48 totals",
    message=_req("0500", {11: "000010", 41: TID, 42: MID, 48: _F48_REQ, 49: "156",
                          60: "00000001201", 63: "01 "}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0500",
        "0020000000C18012",               # bitmap: 11 41 42 48 49 60 63
        "000010",                         # 11 STAN
        _T, _M,
        "0062" + _F48_REQ,                # 48 LLL=062 digits, 31 bytes BCD
        "313536",                         # 49 "156"
        _60_SETTLE,
        "0003" "303120",                  # 63 operator "01 "
    ),
)

SETTLE_0510 = Golden(
    name="0510 settlement response, balanced (1 at characters 31 and 62)",
    message=_rsp("0510", {11: "000010", 12: "103045", 13: "0115", 39: "00", 41: TID,
                          42: MID, 48: _F48_OK, 49: "156", 60: "00000001201"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0510",
        "0038000002C18010",               # bitmap: 11 12 13 39 41 42 48 49 60
        "000010", "103045", "0115",
        "3030",                           # 39 "00"
        _T, _M,
        "0062" + _F48_OK,                 # 48: domestic result 1, foreign result 1
        "313536", _60_SETTLE,
    ),
)

SETTLE_0510_UNBALANCED = Golden(
    name="0510 settlement response, domestic unbalanced (2 at character 31)",
    message=_rsp("0510", {11: "000010", 12: "103045", 13: "0115", 39: "00", 41: TID,
                          42: MID, 48: _F48_UNBALANCED, 49: "156", 60: "00000001201"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0510",
        "0038000002C18010",
        "000010", "103045", "0115", "3030", _T, _M,
        "0062" + _F48_UNBALANCED,         # 48: domestic result 2: batch upload follows
        "313536", _60_SETTLE,
    ),
)

BATCH_UPLOAD_0320 = Golden(
    name="0320 batch upload, two items",
    message=_req("0320", {11: "000011", 41: TID, 42: MID, 48: _ITEMS, 60: "00000001201"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0320",
        "0020000000C10010",               # bitmap: 11 41 42 48 60
        "000011", _T, _M,
        "0082" + _ITEMS,                  # 48 LLL=082: NN + 2 x 40 digits
        _60_SETTLE,
    ),
)

BATCH_UPLOAD_0330 = Golden(
    name="0330 batch upload response, 00",
    message=_rsp("0330", {11: "000011", 12: "103045", 13: "0115", 39: "00", 41: TID,
                          42: MID, 60: "00000001201"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0330",
        "0038000002C00010",               # bitmap: 11 12 13 39 41 42 60
        "000011", "103045", "0115", "3030", _T, _M, _60_SETTLE,
    ),
)

BATCH_END_0320 = Golden(
    name="0320 batch upload end, total count",
    message=_req("0320", {11: "000012", 41: TID, 42: MID, 48: "0002", 60: "00000001202"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0320",
        "0020000000C10010",               # bitmap: 11 41 42 48 60
        "000012", _T, _M,
        "0004" "0002",                    # 48 LLL=004: 2 items uploaded
        _60_END,                          # 60.3 = 202: the end
    ),
)

BATCH_END_0330 = Golden(
    name="0330 batch upload end response, 00",
    message=_rsp("0330", {11: "000012", 12: "103045", 13: "0115", 39: "00", 41: TID,
                          42: MID, 60: "00000001202"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0330",
        "0038000002C00010",
        "000012", "103045", "0115", "3030", _T, _M, _60_END,
    ),
)

X_SETTLE_0500 = Golden(
    name="0500 X-menu settlement request, field 3 = 700000",
    message=_xreq("0500", {3: "700000", 11: "000013", 41: TID, 42: MID, 48: _X48,
                          49: "156", 60: "00000001201", 63: "01 "}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0500",
        "2020000000C18012",               # bitmap: 3 11 41 42 48 49 60 63
        "700000",                         # 3: the X platform
        "000013", _T, _M,
        "0031" + _X48 + "0",              # 48 LLL=031 digits, pad 0
        "313536", _60_SETTLE, "0003" "303120",
    ),
)

X_SETTLE_0510 = Golden(
    name="0510 X-menu settlement response, balanced",
    message=_xrsp("0510", {3: "700000", 11: "000013", 12: "103045", 13: "0115", 39: "00",
                          41: TID, 42: MID, 48: _X48[:30] + "1", 49: "156",
                          60: "00000001201"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0510",
        "2038000002C18010",               # bitmap: 3 11 12 13 39 41 42 48 49 60
        "700000", "000013", "103045", "0115", "3030", _T, _M,
        "0031" + _X48[:30] + "1" + "0",   # 48: result 1 at character 31, pad 0
        "313536", _60_SETTLE,
    ),
)

SETTLE_GOLDEN: tuple[Golden, ...] = (
    SETTLE_0500, SETTLE_0510, SETTLE_0510_UNBALANCED, BATCH_UPLOAD_0320, BATCH_UPLOAD_0330,
    BATCH_END_0320, BATCH_END_0330, X_SETTLE_0500, X_SETTLE_0510,
)
