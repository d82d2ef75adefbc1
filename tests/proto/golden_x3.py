"""Golden byte tables of the X3 session messages (docs/protocol.md §4.7, §8).

Same conventions as :mod:`.golden` (TID, MID, MAK, host time). Requests go to the
platform's TPDU destination ``0008`` (``6000080000``); answers swap the addresses. The
session id is TID + batch ``000001`` + the open's trace ``000003``.
"""

from __future__ import annotations

from xpos.proto.codec import Message

from .golden import MID, TID, Golden, _wire

_TPDU_REQ = "6000080000"      # 60, destination 0008 (the platform), source 0000
_TPDU_RSP = "6000000008"
_HEADER = "603100310000"
_T = "3132333435363738"
_M = "313233343536373839303132333435"
SESSION = TID + "000001" + "000003"
_SID = "DF42" "14" "3132333435363738303030303031303030303033"     # session, in a request
_SID_RSP = "DF50" "14" "3132333435363738303030303031303030303033"  # session, in an answer

_OPEN_TLV = ("DF40" "05" "62696C6C73"                    # service "bills"
             "DF41" "0B" "44535020494E5020454E44")        # capabilities "DSP INP END"
X3_OPEN = Golden(
    name="0100 X3 session open",
    message=Message(mti="0100", tpdu=_TPDU_REQ, fields={
        3: "780000", 11: "000003", 41: TID, 42: MID, 60: "78000001000500", 62: _OPEN_TLV,
        64: "3433423142304545"}),
    wire=_wire(_TPDU_REQ, _HEADER, "0100", "2020000000C00015", "780000", "000003", _T, _M,
               "0014" "78000001000500", "0022" + _OPEN_TLV, "3433423142304545"),
)

_INPUT_TLV = (_SID_RSP + "DF51" "01" "31"                 # step number 1
              "DF52" "03" "494E50"                        # INP
              "DF53" "06" "E688B7E58FB7"                  # text 户号
              "DF54" "13" "E688B7E58FB7" "1F38" "1F38" "1F" "646967697473" "1F30"
              # field: label 户号 US min 8 US max 8 US digits US not hidden
              "DF57" "02" "3630")                         # timeout 60 s
X3_OPEN_ANSWER = Golden(
    name="0110 X3 open answer: first step, input of one field",
    message=Message(mti="0110", tpdu=_TPDU_RSP, fields={
        3: "780000", 11: "000003", 12: "103045", 13: "0115", 37: "250115000003", 39: "00",
        41: TID, 42: MID, 60: "78000001000500", 62: _INPUT_TLV, 64: "3838414334333946"}),
    wire=_wire(_TPDU_RSP, _HEADER, "0110", "203800000AC00015", "780000", "000003", "103045",
               "0115", "323530313135303030303033", "3030", _T, _M, "0014" "78000001000500",
               "0069" + _INPUT_TLV, "3838414334333946"),
)

_RESULT_TLV = (_SID + "DF43" "01" "31"                    # step 1
               "DF44" "02" "3030"                         # result 00 performed
               "DF45" "08" "3132333435363738")            # value "12345678"
X3_RESULT = Golden(
    name="0100 X3 step result, input values",
    message=Message(mti="0100", tpdu=_TPDU_REQ, fields={
        3: "790000", 11: "000004", 41: TID, 42: MID, 60: "79000001000500", 62: _RESULT_TLV,
        64: "3141303842343235"}),
    wire=_wire(_TPDU_REQ, _HEADER, "0100", "2020000000C00015", "790000", "000004", _T, _M,
               "0014" "79000001000500", "0043" + _RESULT_TLV, "3141303842343235"),
)

_BANK_TLV = (_SID + "DF43" "01" "33"                      # step 3
             "DF44" "02" "3030"                           # result 00
             "DF46" "04" "38363530"                       # amount 8650 fen
             "DF47" "02" "3030"                           # bank rc 00
             "DF48" "06" "303030303034"                   # bank trace 000004
             "DF49" "0C" "323530313135303030303034")      # bank RRN
X3_RESULT_BANK = Golden(
    name="0100 X3 step result, bank-card debit",
    message=Message(mti="0100", tpdu=_TPDU_REQ, fields={
        3: "790000", 11: "000005", 41: TID, 42: MID, 60: "79000001000500", 62: _BANK_TLV,
        64: "3931454441374334"}),
    wire=_wire(_TPDU_REQ, _HEADER, "0100", "2020000000C00015", "790000", "000005", _T, _M,
               "0014" "79000001000500", "0068" + _BANK_TLV, "3931454441374334"),
)

_END_TLV = (_SID_RSP + "DF51" "01" "34" "DF52" "03" "454E44"   # step 4: END
            "DF53" "0C" "E7BCB4E8B4B9E68890E58A9F")             # 缴费成功
X3_END_ANSWER = Golden(
    name="0110 X3 answer: END",
    message=Message(mti="0110", tpdu=_TPDU_RSP, fields={
        3: "790000", 11: "000005", 12: "103045", 13: "0115", 37: "250115000005", 39: "00",
        41: TID, 42: MID, 60: "79000001000500", 62: _END_TLV, 64: "3042433236393833"}),
    wire=_wire(_TPDU_RSP, _HEADER, "0110", "203800000AC00015", "790000", "000005", "103045",
               "0115", "323530313135303030303035", "3030", _T, _M, "0014" "79000001000500",
               "0048" + _END_TLV, "3042433236393833"),
)

_ABANDON_TLV = (_SID + "DF43" "01" "30"                   # number 0
                "DF4D" "01" "50"                          # reason P (restart)
                "DF48" "06" "303030303034")               # bank debit trace 000004
X3_ABANDON = Golden(
    name="0100 X3 abandon after a restart, with its bank debit",
    message=Message(mti="0100", tpdu=_TPDU_REQ, fields={
        3: "790000", 11: "000006", 41: TID, 42: MID, 60: "79000001000500", 62: _ABANDON_TLV,
        64: "3146374542353946"}),
    wire=_wire(_TPDU_REQ, _HEADER, "0100", "2020000000C00015", "790000", "000006", _T, _M,
               "0014" "79000001000500", "0040" + _ABANDON_TLV, "3146374542353946"),
)

# A hidden field (member password "666666", field 2 of step 1) sealed under the golden TDK:
# TDES-CBC, zero IV, of "XV1" US session US "1" US "2" US "666666" + 80 00.. (40 bytes).
SEALED_PASSWORD = ("BE2A0FB2FA5F4BC8E5EAA6D5E254C163E4653786"
                   "E64B1BCEB6EEA900FC1E0CFBBEE4521FC41BFA19")
_HIDDEN_TLV = (_SID + "DF43" "01" "31"                    # step 1
               "DF44" "02" "3030"                         # result 00 performed
               "DF45" "10" "38383638303030303030303030303031"  # field 1: "8868000000000001"
               "DF45" "00"                                # field 2: hidden, empty in place
               "DF4E" "29" "02" + SEALED_PASSWORD)        # field 2 sealed (position 2)
X3_RESULT_HIDDEN = Golden(
    name="0100 X3 step result, a hidden value sealed",
    message=Message(mti="0100", tpdu=_TPDU_REQ, fields={
        3: "790000", 11: "000004", 41: TID, 42: MID, 60: "79000001000500", 62: _HIDDEN_TLV,
        64: "4641393939383339"}),
    wire=_wire(_TPDU_REQ, _HEADER, "0100", "2020000000C00015", "790000", "000004", _T, _M,
               "0014" "79000001000500", "0098" + _HIDDEN_TLV, "4641393939383339"),
)

X3_GOLDEN = (X3_OPEN, X3_OPEN_ANSWER, X3_RESULT, X3_RESULT_BANK, X3_END_ANSWER, X3_ABANDON,
             X3_RESULT_HIDDEN)
