"""Golden byte tables of the pre-authorisation family (reference §1.4), field by field.

Same conventions and common values as :mod:`tests.proto.golden`. The family is F25
``06``; 60.1 tells it from sale (22) and void (23): pre-auth 10, pre-auth void 11,
completion 20, completion void 21. Field 61 = original batch 6 + STAN 6 + date MMDD 4
(``000000000000`` + date when the original was keyed from a slip). The pre-auth is
STAN 000009 (auth code 654321, host date 0115); its completion is STAN 000011 (auth
code 112233).
"""

from __future__ import annotations

from .golden import (
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

_TRACK = "37" "6212345678901234567D30121010000000000" "0"   # 35 LL=37, pad 0
_AUTH = "363534333231"                                     # 38 "654321"
_PIN = (PIN_BLOCK, "2600000000000000")                     # 52, 53
_63 = "0003" "303120"                                      # 63 LLL=003 "01 "
_CARD = {14: "3012", 22: "021", 26: "12", 35: TRACK2, 41: TID, 42: MID, 49: "156",
         52: PIN_BLOCK, 53: "2600000000000000", 63: "01 "}
_61_PREAUTH = "0016" "0000010000090115"   # 61 LLL=016: batch 000001 STAN 000009 date 0115

PREAUTH_0100 = Golden(
    name="0100 pre-auth request, swiped with PIN",
    message=_req("0100", _CARD | {3: "030000", 4: "000000005000", 11: "000009", 25: "06",
                                  60: "10000001000500", 64: "3241383639364339"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0100",
        "302404C020C09813",   # bitmap: 3 4 11 14 22 25 26 35 41 42 49 52 53 60 63 64
        "030000",                         # 3 processing code: pre-auth
        "000000005000",                   # 4 amount to hold: 50.00
        "000009", "3012", "0210",         # 11, 14, 22 "021" left-aligned
        "06",                             # 25 pre-auth family
        "12", _TRACK,                     # 26, 35
        _T, _M, "313536", *_PIN,          # 41, 42, 49, 52, 53
        "0014" "10000001000500",          # 60 LLL=014: 10 000001 000 5 0 0
        _63,
        "3241383639364339",               # 64 MAC "2A8696C9"
    ),
)

PREAUTH_0110 = Golden(
    name="0110 pre-auth response, approved 00 with auth code",
    message=_rsp("0110", {3: "030000", 4: "000000005000", 11: "000009", 12: "103045",
                          13: "0115", 25: "06", 37: "250115000009", 38: "654321", 39: "00",
                          41: TID, 42: MID, 49: "156", 60: "10000001000500",
                          64: "3737343939333539"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0110",
        "303800800EC08011",   # bitmap: 3 4 11 12 13 25 37 38 39 41 42 49 60 64
        "030000", "000000005000", "000009",
        "103045", "0115", "06",           # 12, 13 host date (61.3 of later requests), 25
        "323530313135303030303039",       # 37 RRN "250115000009"
        _AUTH,                            # 38 auth code "654321"
        "3030",                           # 39 "00"
        _T, _M, "313536", "0014" "10000001000500",
        "3737343939333539",               # 64 MAC "77499359"
    ),
)

PREAUTH_VOID_0100 = Golden(
    name="0100 pre-auth void request, original from the journal",
    message=_req("0100", _CARD | {3: "200000", 4: "000000005000", 11: "000010", 25: "06",
                                  38: "654321", 60: "11000001000500",
                                  61: "0000010000090115", 64: "3746373934433743"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0100",
        "302404C024C0981B",   # bitmap: 3 4 11 14 22 25 26 35 38 41 42 49 52 53 60 61 63 64
        "200000",                         # 3 processing code: void
        "000000005000",                   # 4 the held amount
        "000010", "3012", "0210", "06", "12", _TRACK,
        _AUTH,                            # 38 the pre-auth's auth code
        _T, _M, "313536", *_PIN,
        "0014" "11000001000500",          # 60.1 = 11
        _61_PREAUTH,                      # 61 the pre-auth: batch, STAN, date
        _63,
        "3746373934433743",               # 64 MAC "7F794C7C"
    ),
)

PREAUTH_VOID_0100_KEYED = Golden(
    name="0100 pre-auth void request, without PIN, original keyed (auth code + date)",
    message=_req("0100", {3: "200000", 4: "000000005000", 11: "000010", 14: "3012",
                          22: "022", 25: "06", 35: TRACK2, 38: "654321", 41: TID, 42: MID,
                          49: "156", 60: "11000001000500", 61: "0000000000000115",
                          63: "01 ", 64: "3839323938353038"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0100",
        "3024048024C0801B",   # bitmap: 3 4 11 14 22 25 35 38 41 42 49 60 61 63 64
        "200000", "000000005000", "000010", "3012",
        "0220",                           # 22 "022": no PIN
        "06", _TRACK, _AUTH, _T, _M, "313536",
        "0014" "11000001000500",
        "0016" "0000000000000115",        # 61 batch and STAN unknown, date 0115
        _63,
        "3839323938353038",               # 64 MAC "89298508"
    ),
)

COMPLETION_0200 = Golden(
    name="0200 completion request, 45.00 of the 50.00 held",
    message=_req("0200", _CARD | {3: "000000", 4: "000000004500", 11: "000011", 25: "06",
                                  38: "654321", 60: "20000001000500",
                                  61: "0000010000090115", 64: "3943433339363636"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "302404C024C0981B",   # bitmap: 3 4 11 14 22 25 26 35 38 41 42 49 52 53 60 61 63 64
        "000000",                         # 3 as a sale; 25 and 60.1 say completion
        "000000004500", "000011", "3012", "0210", "06", "12", _TRACK,
        _AUTH,                            # 38 the pre-auth's auth code
        _T, _M, "313536", *_PIN,
        "0014" "20000001000500",          # 60.1 = 20
        _61_PREAUTH, _63,
        "3943433339363636",               # 64 MAC "9CC39666"
    ),
)

COMPLETION_0210_OVER = Golden(
    name="0210 completion response, declined 61 (above the held amount)",
    message=_rsp("0210", {3: "000000", 4: "000000004500", 11: "000011", 12: "103045",
                          13: "0115", 25: "06", 37: "250115000011", 39: "61", 41: TID,
                          42: MID, 49: "156", 60: "20000001000500",
                          64: "4534464236463336"}),
    wire=_wire(
        _TPDU_RSP, _HEADER, "0210",
        "303800800AC08011",   # bitmap: 3 4 11 12 13 25 37 39 41 42 49 60 64
        "000000", "000000004500", "000011", "103045", "0115", "06",
        "323530313135303030303131",       # 37 "250115000011"
        "3631",                           # 39 "61"
        _T, _M, "313536", "0014" "20000001000500",
        "4534464236463336",               # 64 MAC "E4FB6F36"
    ),
)

COMPLETION_VOID_0200 = Golden(
    name="0200 completion void request, original completion from the journal",
    message=_req("0200", _CARD | {3: "200000", 4: "000000004500", 11: "000012", 25: "06",
                                  38: "112233", 60: "21000001000500",
                                  61: "0000010000110115", 64: "4534414235333033"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0200",
        "302404C024C0981B",   # bitmap: 3 4 11 14 22 25 26 35 38 41 42 49 52 53 60 61 63 64
        "200000", "000000004500", "000012", "3012", "0210", "06", "12", _TRACK,
        "313132323333",                   # 38 the completion's auth code "112233"
        _T, _M, "313536", *_PIN,
        "0014" "21000001000500",          # 60.1 = 21
        "0016" "0000010000110115",        # 61 the completion: batch 1, STAN 11, 0115
        _63,
        "4534414235333033",               # 64 MAC "E4AB5303"
    ),
)

COMPLETION_REVERSAL_0400 = Golden(
    name="0400 reversal of a completion, reason 98, 25 / 38 / 60 / 61 kept",
    message=_req("0400", {3: "000000", 4: "000000004500", 11: "000011", 14: "3012",
                          22: "021", 25: "06", 38: "654321", 39: "98", 41: TID, 42: MID,
                          49: "156", 60: "20000001000500", 61: "0000010000090115",
                          63: "01 ", 64: "4533423234393831"}),
    wire=_wire(
        _TPDU_REQ, _HEADER, "0400",
        "3024048006C0801B",   # bitmap: 3 4 11 14 22 25 38 39 41 42 49 60 61 63 64
        "000000", "000000004500", "000011", "3012", "0210", "06",
        _AUTH,                            # 38 kept
        "3938",                           # 39 reason "98"
        _T, _M, "313536", "0014" "20000001000500", _61_PREAUTH, _63,
        "4533423234393831",               # 64 MAC "E3B24981"
    ),
)

GOLDEN_PREAUTH: tuple[Golden, ...] = (
    PREAUTH_0100, PREAUTH_0110, PREAUTH_VOID_0100, PREAUTH_VOID_0100_KEYED,
    COMPLETION_0200, COMPLETION_0210_OVER, COMPLETION_VOID_0200, COMPLETION_REVERSAL_0400,
)
