"""Common values and helpers of the golden tables (keys, ids, TPDU, header)."""

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
