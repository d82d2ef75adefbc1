"""Golden byte tables of X1 redemption in parts (issue 11): the voucher query (0100 /
740000), the redemption of N items (0100 / 700000 + DF33) and the X void of a
redemption (0100 / 740200), with their answers and the void's reversal.

Written field by field like :mod:`.golden` (same TID, MID, MAK and host time); the MACs
are CUP ECB under :data:`.golden.MAK` and are recomputed by the tests. Voucher
``883300112239`` (健身次卡, 5 items of ￥30.00): query at STAN 3, 2 items redeemed at
STAN 4, that redemption voided at STAN 5.
"""

from __future__ import annotations

from xpos.proto.codec import Message

from .golden import _M, _T, MID, TID, Golden, _wire, _xreq, _xrsp

_TPDU_X_REQ = "6000080000"   # X-class: the platform's destination 0008
_TPDU_X_RSP = "6000000008"
_HEADER = "603100310000"
_X_60 = "0014" "70000001000500"          # 60 LLL=014: 70 000001 000 5 0 0
_REQ_BITMAP = "2020000000C00015"          # bitmap: 3 11 41 42 60 62 64
_RSP_BITMAP = "203800000AC00015"          # bitmap: 3 11 12 13 37 39 41 42 60 62 64
_WHEN = ("103045", "0115")                # 12 hhmmss, 13 MMDD
_60 = "70000001000500"

_CODE_TLV = ("DF01" "0C" "383833333030313132323339"   # code "883300112239"
             "DF02" "01" "4B")                        # method "K" keyed
_TITLE = "DF11" "0C" "E581A5E8BAABE6ACA1E58DA1"       # 健身次卡
_PROVIDER = "DF13" "0C" "E59BA2E8B4ADE6BC94E7A4BA"    # 团购演示
_VALUE = "DF30" "04" "33303030"                       # unit value "3000" fen
_EXPIRES = "DF31" "0A" "323039392D31322D3331"         # last valid day "2099-12-31"

# -- query 券查询 (740000): what a redemption would meet; nothing is redeemed ------------

VOUCHER_QUERY_0100 = Golden(
    name="0100 voucher query request, keyed code (740000)",
    message=_xreq("0100", {3: "740000", 11: "000003", 41: TID, 42: MID, 60: _60,
                           62: _CODE_TLV, 64: "3445463744424135"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100", _REQ_BITMAP,
        "740000",                         # 3 X1 voucher query
        "000003", _T, _M, _X_60,          # 11, 41, 42, 60
        "0019" + _CODE_TLV,               # 62 LLL=019 bytes: the request TLV of §4.4
        "3445463744424135",               # 64 MAC "4EF7DBA5"
    ),
)

_QUERY_TLV = (_TITLE, "DF12" "01" "35", _PROVIDER, _VALUE, _EXPIRES)   # 5 items left
VOUCHER_QUERY_0110 = Golden(
    name="0110 voucher query response, 00: 5 left, 30.00 each, valid until 2099-12-31",
    message=_xrsp("0110", {3: "740000", 11: "000003", 12: _WHEN[0], 13: _WHEN[1],
                           37: "250115000003", 39: "00", 41: TID, 42: MID, 60: _60,
                           62: "".join(_QUERY_TLV), 64: "3341464341393533"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110", _RSP_BITMAP,
        "740000", "000003", *_WHEN,
        "323530313135303030303033",       # 37 RRN "250115000003"
        "3030",                           # 39 "00"
        _T, _M, _X_60,
        "0054", *_QUERY_TLV,              # 62 LLL=054: DF11 DF12 DF13 DF30 DF31
        "3341464341393533",               # 64 MAC "3AFCA953"
    ),
)

_V3_TLV = ("DF11" "0C" "E59CA3E8AF9EE5A597E9A490",                     # 圣诞套餐
           "DF12" "01" "31", _PROVIDER,
           "DF14" "13" "323039392D31322D3234E8B5B7E58FAFE794A8",      # 2099-12-24起可用
           _EXPIRES)
VOUCHER_QUERY_0110_V3 = Golden(
    name="0110 voucher query response, V3 not valid yet, with the platform's words",
    message=_xrsp("0110", {3: "740000", 11: "000003", 12: _WHEN[0], 13: _WHEN[1],
                           37: "250115000003", 39: "V3", 41: TID, 42: MID, 60: _60,
                           62: "".join(_V3_TLV), 64: "3330383230453946"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110", _RSP_BITMAP,
        "740000", "000003", *_WHEN, "323530313135303030303033",
        "5633",                           # 39 "V3"
        _T, _M, _X_60,
        "0069", *_V3_TLV,                 # 62 LLL=069: DF11 DF12 DF13 DF14 DF31
        "3330383230453946",               # 64 MAC "30820E9F"
    ),
)

# -- redemption of N items (700000 + DF33) ----------------------------------------------

_REDEEM_TLV = _CODE_TLV + "DF33" "01" "32"                 # DF33 items to redeem "2"
VOUCHER_REDEEM_0100 = Golden(
    name="0100 voucher redemption request, 2 items (DF33)",
    message=_xreq("0100", {3: "700000", 11: "000004", 41: TID, 42: MID, 60: _60,
                           62: _REDEEM_TLV, 64: "3631444432423844"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100", _REQ_BITMAP,
        "700000", "000004", _T, _M, _X_60,
        "0023" + _REDEEM_TLV,             # 62 LLL=023 bytes
        "3631444432423844",               # 64 MAC "61DD2B8D"
    ),
)

_REDEEMED_TLV = (_TITLE, "DF12" "01" "33", _PROVIDER, _VALUE, _EXPIRES,
                 "DF33" "01" "32")        # 3 left, 2 redeemed now
VOUCHER_REDEEM_0110 = Golden(
    name="0110 voucher redemption response, 00: 2 redeemed, 3 left",
    message=_xrsp("0110", {3: "700000", 11: "000004", 12: _WHEN[0], 13: _WHEN[1],
                           37: "250115000004", 39: "00", 41: TID, 42: MID, 60: _60,
                           62: "".join(_REDEEMED_TLV), 64: "3136433843383033"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110", _RSP_BITMAP,
        "700000", "000004", *_WHEN, "323530313135303030303034", "3030",
        _T, _M, _X_60,
        "0058", *_REDEEMED_TLV,           # 62 LLL=058
        "3136433843383033",               # 64 MAC "16C8C803"
    ),
)

# -- X void of a redemption 核销撤销 (740200) --------------------------------------------

_VOID_TLV = ("DF34" "06" "303030303034"   # original trace "000004"
             "DF35" "06" "303030303031")  # original batch "000001"
VOUCHER_VOID_0100 = Golden(
    name="0100 X void of a redemption, original batch 000001 trace 000004 (740200)",
    message=_xreq("0100", {3: "740200", 11: "000005", 41: TID, 42: MID, 60: _60,
                           62: _VOID_TLV, 64: "3646434332434144"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0100", _REQ_BITMAP,
        "740200", "000005", _T, _M, _X_60,
        "0018" + _VOID_TLV,               # 62 LLL=018 bytes
        "3646434332434144",               # 64 MAC "6FCC2CAD"
    ),
)

_RESTORED_TLV = (_TITLE, "DF12" "01" "35", _PROVIDER, "DF33" "01" "32")   # 5 left, 2 back
VOUCHER_VOID_0110 = Golden(
    name="0110 X void response, 00: 2 items back, 5 left",
    message=_xrsp("0110", {3: "740200", 11: "000005", 12: _WHEN[0], 13: _WHEN[1],
                           37: "250115000005", 39: "00", 41: TID, 42: MID, 60: _60,
                           62: "".join(_RESTORED_TLV), 64: "4331373544413544"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110", _RSP_BITMAP,
        "740200", "000005", *_WHEN, "323530313135303030303035", "3030",
        _T, _M, _X_60,
        "0038", *_RESTORED_TLV,           # 62 LLL=038
        "4331373544413544",               # 64 MAC "C175DA5D"
    ),
)

_V7_TLV = (_TITLE, "DF12" "01" "33", _PROVIDER,
           "DF14" "1A" "E8B685E8BF873234E5B08FE697B6E4B88DE883BDE692A4E99480")  # 超过24小时不能撤销
VOUCHER_VOID_0110_V7 = Golden(
    name="0110 X void response, V7 outside the provider's window, with its words",
    message=_xrsp("0110", {3: "740200", 11: "000005", 12: _WHEN[0], 13: _WHEN[1],
                           37: "250115000005", 39: "V7", 41: TID, 42: MID, 60: _60,
                           62: "".join(_V7_TLV), 64: "3436303930324630"}),
    wire=_wire(
        _TPDU_X_RSP, _HEADER, "0110", _RSP_BITMAP,
        "740200", "000005", *_WHEN, "323530313135303030303035",
        "5637",                           # 39 "V7"
        _T, _M, _X_60,
        "0063", *_V7_TLV,                 # 62 LLL=063
        "3436303930324630",               # 64 MAC "460902F0"
    ),
)

VOUCHER_VOID_0400 = Golden(
    name="0400 reversal of an X void, reason 98 (field 62 dropped)",
    message=Message(mti="0400", tpdu=_TPDU_X_REQ, fields={
        3: "740200", 11: "000005", 39: "98", 41: TID, 42: MID, 60: _60,
        64: "3744363630413633"}),
    wire=_wire(
        _TPDU_X_REQ, _HEADER, "0400",
        "2020000002C00011",               # bitmap: 3 11 39 41 42 60 64
        "740200", "000005",
        "3938",                           # 39 reason "98" (no answer)
        _T, _M, _X_60,
        "3744363630413633",               # 64 MAC "7D660A63"
    ),
)

GOLDEN_REDEEM: tuple[Golden, ...] = (
    VOUCHER_QUERY_0100, VOUCHER_QUERY_0110, VOUCHER_QUERY_0110_V3, VOUCHER_REDEEM_0100,
    VOUCHER_REDEEM_0110, VOUCHER_VOID_0100, VOUCHER_VOID_0110, VOUCHER_VOID_0110_V7,
    VOUCHER_VOID_0400)
