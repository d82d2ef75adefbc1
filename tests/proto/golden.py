"""Golden byte tables: every message of the dialect as a Message value and its exact bytes.

Each wire image is written field by field so that it can be checked by hand against
reference §1.2: BCD numbers, BCD lengths (1 byte LL, 2 bytes LLL), odd ``n``/``z`` data
left-aligned with a 0 pad nibble, ASCII text, binary 52/62/64. The bitmap comment lists
the fields whose bits are set. The only values that cannot be derived by hand are the
MACs (CUP ECB MAC under :data:`MAK`, reference §1.7) and the sign-on key block
(:data:`KEYS` under :data:`TMK`, reference §1.5); tests recompute both.

Common values: TID ``12345678`` = ``3132333435363738``; MID ``123456789012345`` =
``313233343536373839303132333435``; host time 2025-01-15 10:30:45.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.proto.codec import Message

TMK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
MAK = bytes.fromhex("5CBE7E38A146FD5C0123456789ABCDEF")   # MAK[:8] = reference MAC key
PIK = bytes.fromhex("1111111111111111" "2222222222222222")
TDK = bytes.fromhex("3333333333333333" "4444444444444444")
TID = "12345678"
MID = "123456789012345"
WHEN = datetime(2025, 1, 15, 10, 30, 45)
PAN = "6212345678901234567"                      # reference PIN-block vector PAN
TRACK2 = PAN + "D" + "30121010000000000"          # 37 digits, D separator
PIN_BLOCK = "84615C0FB761528E"                    # reference: PIN 123456 under TMK
MEMBER_PAN = "6222021234567890123"
VOUCHER_CODE = "8888666677774444"
KEY_BLOCK = ("9B3A7B883A100F73B4ABA2BB791C50E7" "D2B91CC5"      # PIK under TMK, KCV
             "5FD85224E20BF4A41A4D672DCA6CB335" "4BA3F8C9"      # MAK under TMK, KCV
             "5ADC39F46164960E17B9F1B1A1B2D33C" "E18DE25E")     # TDK under TMK, KCV

_TPDU_REQ = "6000030000"      # 60, destination 0003, source 0000
_TPDU_RSP = "6000000003"      # addresses swapped by the host
_TPDU_X_REQ = "6000080000"    # X-class (field 3 = 7xxxxx): the platform's destination 0008
_TPDU_X_RSP = "6000000008"    # ... swapped by the host (xpos.proto.routing)
_HEADER = "603100310000"
_T = "3132333435363738"                   # 41 TID
_M = "313233343536373839303132333435"     # 42 MID


@dataclass(frozen=True, kw_only=True)
class Golden:
    """One golden pair."""

    name: str
    message: Message
    wire: bytes


def _wire(*parts: str) -> bytes:
    return bytes.fromhex("".join(parts))


def _req(mti: str, fields: dict[int, str]) -> Message:
    return Message(mti=mti, fields=fields)


ACQUIRER = "48020000"


def _rsp(mti: str, fields: dict[int, str]) -> Message:
    return Message(mti=mti, fields=fields, tpdu=_TPDU_RSP)


def _xreq(mti: str, fields: dict[int, str]) -> Message:
    """An X-class request: addressed to the platform (xpos.proto.routing)."""
    return Message(mti=mti, fields=fields, tpdu=_TPDU_X_REQ)


def _xrsp(mti: str, fields: dict[int, str]) -> Message:
    """The platform's answer to an X-class request."""
    return Message(mti=mti, fields=fields, tpdu=_TPDU_X_RSP)


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

_SALE_FIELDS = {3: "000000", 4: "000000001234", 11: "000002", 14: "3012", 22: "021",
                25: "00", 26: "12", 35: TRACK2, 41: TID, 42: MID, 49: "156",
                52: PIN_BLOCK, 53: "2600000000000000", 60: "22000001000500", 63: "01 "}

SALE_0200 = Golden(
    name="0200 sale request, swiped with PIN",
    message=_req("0200", _SALE_FIELDS | {64: "3738464231393734"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "302404C020C09813",   # bitmap: 3 4 11 14 22 25 26 35 41 42 49 52 53 60 63 64
        "000000",                         # 3 processing code
        "000000001234",                   # 4 amount 12.34
        "000002",                         # 11 STAN
        "3012",                           # 14 expiry YYMM
        "0210",                           # 22 "021" left-aligned, pad 0
        "00", "12",                       # 25, 26
        "37" "6212345678901234567D30121010000000000" "0",   # 35 LL=37 digits, pad 0
        _T, _M,
        "313536",                         # 49 "156" in ASCII
        PIN_BLOCK,                        # 52
        "2600000000000000",               # 53: ISO-0, double-length, track clear
        "0014" "22000001000500",          # 60 LLL=014: 22 000001 000 5 0 0
        "0003" "303120",                  # 63 "01 "
        "3738464231393734",               # 64 MAC "78FB1974"
    ),
)

SALE_0200_NO_PIN = Golden(
    name="0200 sale request, swiped without PIN",
    message=_req("0200", {3: "000000", 4: "000000000100", 11: "000005", 14: "3012",
                          22: "022", 25: "00", 35: TRACK2, 41: TID, 42: MID, 49: "156",
                          60: "22000001000500", 63: "01 ", 64: "3431333244334638"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "3024048020C08013",   # bitmap: 3 4 11 14 22 25 35 41 42 49 60 63 64
        "000000", "000000000100", "000005", "3012",
        "0220",                           # 22 "022": no PIN
        "00",
        "37" "6212345678901234567D30121010000000000" "0",
        _T, _M, "313536",
        "0014" "22000001000500", "0003" "303120",
        "3431333244334638",               # 64 MAC "4132D3F8"
    ),
)

_SALE_RSP = {3: "000000", 4: "000000001234", 11: "000002", 12: "103045", 13: "0115",
             25: "00", 37: "250115000002", 41: TID, 42: MID, 49: "156",
             60: "22000001000500"}

SALE_0210 = Golden(
    name="0210 sale response, approved 00",
    message=_rsp("0210", _SALE_RSP | {38: "123456", 39: "00", 64: "3831344130373032"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "303800800EC08011",   # bitmap: 3 4 11 12 13 25 37 38 39 41 42 49 60 64
        "000000", "000000001234", "000002", "103045", "0115", "00",
        "323530313135303030303032",       # 37 "250115000002"
        "313233343536",                   # 38 auth code "123456"
        "3030",                           # 39 "00"
        _T, _M, "313536", "0014" "22000001000500",
        "3831344130373032",               # 64 MAC "814A0702"
    ),
)

SALE_0210_DECLINED = Golden(
    name="0210 sale response, declined 51",
    message=_rsp("0210", _SALE_RSP | {39: "51", 64: "4544464635454233"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "303800800AC08011",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 64
        "000000", "000000001234", "000002", "103045", "0115", "00",
        "323530313135303030303032",
        "3531",                           # 39 "51" insufficient funds
        _T, _M, "313536", "0014" "22000001000500",
        "4544464635454233",               # 64 MAC "EDFF5EB3"
    ),
)

_REVERSAL = {3: "000000", 4: "000000001234", 11: "000002", 14: "3012", 22: "021",
             25: "00", 41: TID, 42: MID, 49: "156", 60: "22000001000500", 63: "01 "}

REVERSAL_0400 = Golden(
    name="0400 reversal request, reason 98 (timeout)",
    message=_req("0400", _REVERSAL | {39: "98", 64: "4241314639413741"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0400",
        "3024048002C08013",   # bitmap: 3 4 11 14 22 25 39 41 42 49 60 63 64
        "000000", "000000001234",
        "000002",                         # 11: the original STAN
        "3012", "0210", "00",
        "3938",                           # 39 reason "98"
        _T, _M, "313536", "0014" "22000001000500", "0003" "303120",
        "4241314639413741",               # 64 MAC "BA1F9A7A"
    ),
)

REVERSAL_0400_MAC = Golden(
    name="0400 reversal request, reason A0 (bad response MAC) with auth code",
    message=_req("0400", _REVERSAL | {38: "123456", 39: "A0", 64: "4446303446343738"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0400",
        "3024048006C08013",   # bitmap: 3 4 11 14 22 25 38 39 41 42 49 60 63 64
        "000000", "000000001234", "000002", "3012", "0210", "00",
        "313233343536",                   # 38 auth code of the original
        "4130",                           # 39 reason "A0"
        _T, _M, "313536", "0014" "22000001000500", "0003" "303120",
        "4446303446343738",               # 64 MAC "DF04F478"
    ),
)

REVERSAL_0410 = Golden(
    name="0410 reversal response, accepted 00",
    message=_rsp("0410", {3: "000000", 4: "000000001234", 11: "000002", 12: "103045",
                          13: "0115", 25: "00", 39: "00", 41: TID, 42: MID, 49: "156",
                          60: "22000001000500", 64: "4239423332394536"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0410",
        "3038008002C08011",   # bitmap: 3 4 11 12 13 25 39 41 42 49 60 64
        "000000", "000000001234", "000002", "103045", "0115", "00",
        "3030",                           # 39 "00"
        _T, _M, "313536", "0014" "22000001000500",
        "4239423332394536",               # 64 MAC "B9B329E6"
    ),
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
