"""The cash-register (ECR) port's wire format: frames and the request/response body.

A till and the terminal exchange frames (docs/drivers.md, "Cash register (ECR)")::

    STX (02) | LEN (2 bytes BCD, length of DATA) | DATA | ETX (03) | LRC

``LRC`` is the XOR of every byte after STX up to and including ETX. A receiver answers
a good frame with ACK (06) and a bad one (wrong ETX, wrong LRC, a length that is not BCD
or above :data:`MAX_DATA`) with NAK (15).

``DATA`` is a list of fields, each ``TAG`` (2 ASCII upper-case letters) + ``LLL`` (3 ASCII
digits, the value's length in bytes) + the value (UTF-8). The request and response
fields are :class:`EcrRequest` and :class:`EcrResponse`; unknown tags are skipped so
that a till may send more than this terminal reads. Everything here is pure: bytes in,
values out, every bad input one :class:`~xpos.errors.DecodeError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xpos.errors import DecodeError

STX = 0x02
ETX = 0x03
ACK = 0x06
NAK = 0x15
MAX_DATA = 1024
"""Longest DATA this terminal accepts (a longer LEN is answered NAK)."""

_TAG = re.compile(rb"[A-Z]{2}")
_COMMAND = re.compile(r"[A-Z]{1,8}")
_DIGITS = re.compile(r"[0-9]+")
_PRINTABLE = re.compile(r"[\x20-\x7e]*")


class Result:
    """The ``RC`` values of a response (two ASCII characters)."""

    APPROVED = "00"
    DECLINED = "DC"
    CANCELLED = "CN"
    TIMEOUT = "TO"
    BUSY = "BY"
    NOT_SUPPORTED = "NS"
    BAD_REQUEST = "BR"
    ERROR = "ER"

    ALL = (APPROVED, DECLINED, CANCELLED, TIMEOUT, BUSY, NOT_SUPPORTED, BAD_REQUEST, ERROR)


@dataclass(frozen=True, kw_only=True)
class EcrRequest:
    """What the till asks for.

    Attributes:
        command: ``CM``: ``SALE``, ``VOID``, … (1-8 upper-case letters).
        reference: ``RF``: the till's own reference, echoed in the response (1-20
            printable ASCII characters).
        amount: ``AM``: the amount in fen (1-12 digits; 0 when absent).
        original_trace: ``OT``: the trace (STAN) of the transaction to void (1-6 digits;
            None when absent).
        original_rrn: ``OR``: the RRN of the sale to refund (12 digits; "" when absent).
        original_date: ``OD``: the date of the sale to refund, ``MMDD`` (4 digits; ""
            when absent).
        order_no: ``ON``: the X order (or coupon) number to pay (1-32 printable ASCII;
            "" when absent).
    """

    command: str
    reference: str
    amount: int = 0
    original_trace: int | None = None
    original_rrn: str = ""
    original_date: str = ""
    order_no: str = ""


@dataclass(frozen=True, kw_only=True)
class EcrResponse:
    """The terminal's answer.

    Attributes:
        command: ``CM``, echoed (empty when the request could not be read).
        reference: ``RF``, echoed (empty when the request could not be read).
        result: ``RC``, one of :class:`Result`.
        host_rc: ``HR``: the host's response code (field 39) when the host answered.
        amount: ``AM``: the amount in fen (0: field left out).
        masked_pan: ``PN``: the card number, first 6 and last 4 digits only.
        auth_code: ``AC``: the authorisation code.
        trace: ``TR``: the terminal's trace (STAN) of the transaction (0: left out).
        rrn: ``RR``: the retrieval reference number.
        text: ``TX``: the outcome as the terminal shows it (UTF-8).
        party_amount: ``XA``: X2 combined payment, the third-party leg's amount in fen
            (0: field left out; the bank leg is ``AM`` minus this).
        party_trace: ``XT``: the third-party leg's trace (STAN) (0: left out).
        party_masked_pan: ``XC``: the third-party card, first 6 and last 4 digits only.
    """

    command: str
    reference: str
    result: str
    host_rc: str = ""
    amount: int = 0
    masked_pan: str = ""
    auth_code: str = ""
    trace: int = 0
    rrn: str = ""
    text: str = ""
    party_amount: int = 0
    party_trace: int = 0
    party_masked_pan: str = ""


def _error(message: str, position: int = 0) -> DecodeError:
    return DecodeError(message, field="ecr", position=position)


# -- frames ---------------------------------------------------------------------------


def lrc(data: bytes) -> int:
    """XOR of ``data`` (LEN + DATA + ETX of a frame)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(data: bytes) -> bytes:
    """Wrap DATA in STX, LEN, ETX and LRC.

    Raises:
        ValueError: DATA longer than :data:`MAX_DATA` bytes.
    """
    if len(data) > MAX_DATA:
        raise ValueError(f"ECR data of {len(data)} bytes; at most {MAX_DATA}")
    length = bytes.fromhex(f"{len(data):04d}")
    body = length + data + bytes([ETX])
    return bytes([STX]) + body + bytes([lrc(body)])


def frame_length(header: bytes) -> int:
    """DATA length from the two LEN bytes.

    Raises:
        DecodeError: not BCD, or above :data:`MAX_DATA`.
    """
    text = header.hex()
    if len(header) != 2 or not text.isdigit():
        raise _error(f"ECR frame length {text!r} is not 2 bytes of BCD")
    if int(text) > MAX_DATA:
        raise _error(f"ECR frame length {int(text)} above {MAX_DATA}")
    return int(text)


def decode_frame(frame: bytes) -> bytes:
    """DATA of one whole frame.

    Raises:
        DecodeError: no STX, bad length, no ETX where the length says, or a wrong LRC.
    """
    if len(frame) < 5 or frame[0] != STX:
        raise _error("ECR frame does not start with STX or is shorter than 5 bytes")
    size = frame_length(frame[1:3])
    if len(frame) != size + 5:
        raise _error(f"ECR frame of {len(frame)} bytes; its length says {size + 5}")
    if frame[3 + size] != ETX:
        raise _error("ECR frame has no ETX where its length says")
    if lrc(frame[1:-1]) != frame[-1]:
        raise _error("ECR frame LRC does not match")
    return frame[3:3 + size]


# -- fields ---------------------------------------------------------------------------


def encode_fields(fields: list[tuple[str, str]]) -> bytes:
    """``TAG LLL value`` for each (tag, value); empty values are left out."""
    out = bytearray()
    for tag, value in fields:
        raw = value.encode("utf-8")
        if raw:
            out += tag.encode("ascii") + f"{len(raw):03d}".encode("ascii") + raw
    return bytes(out)


def decode_fields(data: bytes) -> dict[str, str]:
    """The fields of DATA by tag.

    Raises:
        DecodeError: a malformed tag or length, a value cut short, a repeated tag or
            a value that is not UTF-8.
    """
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        tag, size = data[pos:pos + 2], data[pos + 2:pos + 5]
        if not _TAG.fullmatch(tag) or not size.isdigit() or len(size) != 3:
            raise _error("ECR field is not TAG + 3 digits", pos)
        end = pos + 5 + int(size)
        if end > len(data):
            raise _error(f"ECR field {tag.decode()} is cut short")
        name = tag.decode("ascii")
        if name in fields:
            raise _error(f"ECR field {name} appears twice")
        try:
            fields[name] = data[pos + 5:end].decode("utf-8")
        except UnicodeDecodeError:
            raise _error(f"ECR field {name} is not UTF-8") from None
        pos = end
    return fields


# -- request and response -------------------------------------------------------------


def encode_request(request: EcrRequest) -> bytes:
    """DATA of a request (what a till sends)."""
    trace = "" if request.original_trace is None else f"{request.original_trace:06d}"
    return encode_fields([("CM", request.command), ("RF", request.reference),
                          ("AM", f"{request.amount:012d}" if request.amount else ""),
                          ("OT", trace), ("OR", request.original_rrn),
                          ("OD", request.original_date), ("ON", request.order_no)])


def decode_request(data: bytes) -> EcrRequest:
    """A request from DATA.

    Raises:
        DecodeError: malformed fields, no ``CM`` or ``RF``, or a value out of its form.
    """
    fields = decode_fields(data)
    command = fields.get("CM", "")
    reference = fields.get("RF", "")
    if not _COMMAND.fullmatch(command):
        raise _error("ECR request: CM must be 1-8 upper-case letters")
    if not (0 < len(reference) <= 20 and _PRINTABLE.fullmatch(reference)):
        raise _error("ECR request: RF must be 1-20 printable ASCII characters")
    amount = _number(fields, "AM", 12)
    trace = _number(fields, "OT", 6)
    rrn = _exact_digits(fields, "OR", 12)
    date = _exact_digits(fields, "OD", 4)
    order_no = fields.get("ON", "")
    if order_no and not (len(order_no) <= 32 and _PRINTABLE.fullmatch(order_no)):
        raise _error("ECR request: ON must be 1-32 printable ASCII characters")
    return EcrRequest(command=command, reference=reference, amount=amount or 0,
                      original_trace=trace, original_rrn=rrn, original_date=date,
                      order_no=order_no)


def _exact_digits(fields: dict[str, str], tag: str, width: int) -> str:
    value = fields.get(tag, "")
    if value and not (_DIGITS.fullmatch(value) and len(value) == width):
        raise _error(f"ECR request: {tag} must be {width} digits")
    return value


def _number(fields: dict[str, str], tag: str, width: int) -> int | None:
    value = fields.get(tag)
    if value is None:
        return None
    if not (_DIGITS.fullmatch(value) and len(value) <= width):
        raise _error(f"ECR request: {tag} must be 1-{width} digits")
    return int(value)


def encode_response(response: EcrResponse) -> bytes:
    """DATA of a response (what the terminal sends)."""
    return encode_fields([
        ("CM", response.command), ("RF", response.reference), ("RC", response.result),
        ("HR", response.host_rc),
        ("AM", f"{response.amount:012d}" if response.amount else ""),
        ("PN", response.masked_pan), ("AC", response.auth_code),
        ("TR", f"{response.trace:06d}" if response.trace else ""),
        ("RR", response.rrn), ("TX", response.text),
        ("XA", f"{response.party_amount:012d}" if response.party_amount else ""),
        ("XT", f"{response.party_trace:06d}" if response.party_trace else ""),
        ("XC", response.party_masked_pan),
    ])


def decode_response(data: bytes) -> EcrResponse:
    """A response from DATA (what a till reads; the emulator's till console and tests).

    Raises:
        DecodeError: malformed fields, or an ``RC`` that is not a :class:`Result`.
    """
    fields = decode_fields(data)
    result = fields.get("RC", "")
    if result not in Result.ALL:
        raise _error(f"ECR response: unknown RC {result!r}")
    amount = _number(fields, "AM", 12)
    trace = _number(fields, "TR", 6)
    party_amount = _number(fields, "XA", 12)
    party_trace = _number(fields, "XT", 6)
    return EcrResponse(command=fields.get("CM", ""), reference=fields.get("RF", ""),
                       result=result, host_rc=fields.get("HR", ""), amount=amount or 0,
                       masked_pan=fields.get("PN", ""), auth_code=fields.get("AC", ""),
                       trace=trace or 0, rrn=fields.get("RR", ""), text=fields.get("TX", ""),
                       party_amount=party_amount or 0, party_trace=party_trace or 0,
                       party_masked_pan=fields.get("XC", ""))
