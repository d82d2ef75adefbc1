"""X3 host-driven interactive business: the session messages on the CUP link.

Theory of operation
-------------------
A platform service drives the terminal one step at a time. Every exchange is a request
from the terminal answered by the platform with the next step:

=========  ======  ====  =====================================================
message    MTI     F3    field 62 (BER-TLV, tags DF40-DF7F)
=========  ======  ====  =====================================================
open       0100    780000  DF40 service id, DF41 capabilities
answer     0110    780000  DF50 session, DF51 step number (1), DF52.. the step
result     0100    790000  DF42 session, DF43 step number, DF44 result code, data
answer     0110    790000  DF50 session, DF51 next step number, DF52.. the step
abandon    0100    790000  DF42 session, DF43 0, DF4D reason, DF48 bank trace(s)
=========  ======  ====  =====================================================

60.1 is ``78`` (open) or ``79`` (result/abandon). Every message is MAC'd both ways like
a financial message. The terminal sends X-class messages to the platform's TPDU
destination (a working parameter); the acquirer's front end routes on it.

The session id and the step number make a result idempotent: the platform answers a
repeated result (same session, same step number) with the same next step. A result's
data depends on the step: input values (DF45, one per field, in order), the amount
(DF46), a bank debit's response code, trace and RRN (DF47, DF48, DF49), a card as its
masked PAN (DF4A) with the whole track 2 encrypted under the TDK (DF4B), a PIN only as the PIN
block (DF4C), a hidden input value sealed under the TDK (DF4E, an empty DF45 in its place).
Never a clear track, PIN or hidden value.

Steps (DF52, three ASCII letters): ``DSP`` display, ``INP`` input, ``SEL`` select,
``CNF`` confirm, ``CRD`` read card, ``AMT`` amount (keyed, or host-set with DF56),
``PRT`` print, ``BEP`` beep, ``BNK`` bank-card debit of DF56, ``TPD`` third-party debit
of DF56, ``END`` end. Step data: DF53 text (UTF-8, lines split by LF), DF54 input field
(repeated: ``label US min US max US kind US hidden``), DF55 select item (repeated:
``id US label``), DF56 amount in fen (ASCII digits), DF57 timeout in seconds. A step
type the terminal does not know is kept as text: the terminal answers ``30`` (beyond
capability).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from xpos.errors import DecodeError, EncodeError
from xpos.proto._build import FINANCIAL_60_TAIL, field60, response_to, stan_field
from xpos.proto.codec import Message
from xpos.proto.routing import PLATFORM_TPDU
from xpos.proto.tlv import decode_tlv, encode_tlv
from xpos.proto.x3_values import TAG_SEALED, parse_sealed, sealed_items
from xpos.proto.x3_values import number_of as _number
from xpos.proto.x3_values import optional as _optional
from xpos.proto.x3_values import single as _single
from xpos.proto.x3_values import text_of as _text

__all__ = [
    "ABANDON_REASONS",
    "OPEN_PROCESSING_CODE",
    "RESULT_CODES",
    "STEP_PROCESSING_CODE",
    "STEP_TYPES",
    "TAG_PIN",
    "TAG_SEALED",
    "TAG_TRACK",
    "X3_TAG_NAMES",
    "PlatformStep",
    "SessionRequest",
    "StepField",
    "StepReport",
    "is_platform_message",
    "open_request",
    "parse_session_request",
    "parse_step",
    "result_request",
    "step_items",
    "step_response",
]

OPEN_PROCESSING_CODE = "780000"
STEP_PROCESSING_CODE = "790000"
OPEN_60_1, STEP_60_1 = "78", "79"
TAG_SERVICE, TAG_CAPS, TAG_SESSION, TAG_NUMBER, TAG_RESULT = 0xDF40, 0xDF41, 0xDF42, 0xDF43, 0xDF44
TAG_VALUE, TAG_AMOUNT, TAG_BANK_RC, TAG_BANK_STAN, TAG_BANK_RRN = (
    0xDF45, 0xDF46, 0xDF47, 0xDF48, 0xDF49)
TAG_CARD, TAG_TRACK, TAG_PIN, TAG_ABANDON = 0xDF4A, 0xDF4B, 0xDF4C, 0xDF4D
S_SESSION, S_NUMBER, S_TYPE, S_TEXT, S_FIELD, S_ITEM, S_AMOUNT, S_TIMEOUT = range(0xDF50, 0xDF58)
_SEP = "\x1f"
X3_TAG_NAMES: Mapping[int, str] = MappingProxyType({
    TAG_SERVICE: "service", TAG_CAPS: "caps", TAG_SESSION: "session", TAG_NUMBER: "step",
    TAG_RESULT: "result", TAG_VALUE: "value", TAG_AMOUNT: "amount", TAG_BANK_RC: "bank_rc",
    TAG_BANK_STAN: "bank_trace", TAG_BANK_RRN: "bank_rrn", TAG_CARD: "card",
    TAG_ABANDON: "abandon", S_SESSION: "session", S_NUMBER: "step", S_TYPE: "type",
    S_TEXT: "text", S_FIELD: "field", S_ITEM: "item", S_AMOUNT: "amount",
    S_TIMEOUT: "timeout"})
"""Tag -> name, for transcripts (the encrypted track and PIN block are left out)."""

STEP_TYPES: Mapping[str, str] = MappingProxyType({
    "DSP": "display", "INP": "input", "SEL": "select", "CNF": "confirm", "CRD": "read_card",
    "AMT": "amount", "PRT": "print", "BEP": "beep", "BNK": "bank_debit",
    "TPD": "third_party_debit", "END": "end",
})
"""Wire code -> step name (the capability names the terminal announces)."""

RESULT_CODES: Mapping[str, str] = MappingProxyType({
    "00": "ok", "10": "cancelled", "11": "back", "12": "timeout", "20": "unable",
    "30": "beyond_capability", "31": "not_understood", "36": "missing_values",
})
"""SAT-style result code -> :class:`xpos.core.steps.ResultCode` value."""

ABANDON_REASONS: Mapping[str, str] = MappingProxyType({"P": "restart", "N": "network"})
"""DF4D: why the terminal abandoned a session (power loss/restart, network)."""


@dataclass(frozen=True, kw_only=True)
class StepField:
    """One input field of an ``INP`` step (see :class:`xpos.core.steps.InputField`)."""

    label: str
    min_len: int = 1
    max_len: int = 20
    kind: str = "digits"
    hidden: bool = False


@dataclass(frozen=True, kw_only=True)
class PlatformStep:
    """One step sent by the platform.

    Attributes:
        session: The session id.
        number: The step number (1 for the first).
        code: The three-letter step type as sent (may be one the terminal does not know).
        text: Display text / prompt / document (lines split by LF).
        fields: Input fields (``INP``).
        items: ``(id, label)`` pairs (``SEL``).
        amount: Amount in fen (``AMT`` preset, ``BNK``, ``TPD``), or None.
        timeout_s: Step timeout, or None.
    """

    session: str
    number: int
    code: str
    text: str = ""
    fields: tuple[StepField, ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    amount: int | None = None
    timeout_s: int | None = None


@dataclass(frozen=True, kw_only=True, repr=False)
class StepReport:
    """What the terminal reports about a step (the data of a result message).

    Attributes:
        result: SAT-style result code (a key of :data:`RESULT_CODES`).
        values: Input values / select id / confirm ``1``/``0``.
        amount: Amount in fen, if any.
        bank_rc, bank_stan, bank_rrn: A bank debit's outcome.
        masked_pan: A card read, masked.
        track_cipher: The whole track 2 encrypted under the TDK (hex of the bytes,
            :mod:`xpos.security.platform_track`), never clear.
        pin_block: A PIN block (8 bytes), never a clear PIN.
        sealed: ``(position, cipher)`` of each hidden input value (``DF4E``,
            :mod:`xpos.proto.x3_values`); its ``values`` entry is empty.
    """

    result: str
    values: tuple[str, ...] = ()
    amount: int | None = None
    bank_rc: str = ""
    bank_stan: int = 0
    bank_rrn: str = ""
    masked_pan: str = ""
    track_cipher: str = field(default="")
    pin_block: bytes | None = None
    sealed: tuple[tuple[int, bytes], ...] = ()

    def __repr__(self) -> str:
        """Without the encrypted track and PIN block."""
        return (f"StepReport(result={self.result!r}, values={self.values!r}, "
                f"amount={self.amount!r}, bank_rc={self.bank_rc!r}, "
                f"bank_stan={self.bank_stan!r}, masked_pan={self.masked_pan!r})")


@dataclass(frozen=True, kw_only=True)
class SessionRequest:
    """A decoded open / result / abandon request (host side)."""

    service: str = ""
    capabilities: tuple[str, ...] = ()
    session: str = ""
    number: int = 0
    report: StepReport | None = None
    abandon: str = ""
    bank_stans: tuple[int, ...] = ()

    @property
    def is_open(self) -> bool:
        """True for an open request."""
        return bool(self.service) and not self.session


def is_platform_message(msg: Message) -> bool:
    """True for an X-class message of this module (F3 78xxxx/79xxxx)."""
    return (msg.get(3) or "")[:2] in (OPEN_60_1, STEP_60_1)


def _base(code: str, type_code: str, *, stan: int, tid: str, mid: str, batch: int,
          tlv: bytes) -> Message:
    fields = {3: code, 11: stan_field(stan), 41: tid, 42: mid,
              60: field60(type_code, batch, FINANCIAL_60_TAIL), 62: tlv.hex().upper()}
    return Message(mti="0100", fields=fields, tpdu=PLATFORM_TPDU)


def open_request(*, stan: int, tid: str, mid: str, batch: int, service: str,
                 capabilities: Sequence[str]) -> Message:
    """Build the 0100 session open (without MAC).

    Raises:
        EncodeError: (field ``"62"``) a non-ASCII or empty service id.
    """
    if not service or not service.isascii():
        raise EncodeError("service id must be non-empty ASCII", field="62")
    tlv = encode_tlv([(TAG_SERVICE, service.encode("ascii")),
                      (TAG_CAPS, " ".join(capabilities).encode("ascii"))])
    return _base(OPEN_PROCESSING_CODE, OPEN_60_1, stan=stan, tid=tid, mid=mid, batch=batch,
                 tlv=tlv)


def result_request(*, stan: int, tid: str, mid: str, batch: int, session: str, number: int,
                   report: StepReport | None = None, abandon: str = "",
                   bank_stans: Sequence[int] = ()) -> Message:
    """Build the 0100 step result, or (``abandon`` set, ``number`` 0) the abandon notice.

    Raises:
        EncodeError: (field ``"62"``) bad session id, result code or reason.
    """
    if not session or not session.isascii():
        raise EncodeError("session id must be non-empty ASCII", field="62")
    items = [(TAG_SESSION, session.encode("ascii")), (TAG_NUMBER, str(number).encode())]
    if abandon:
        if abandon not in ABANDON_REASONS:
            raise EncodeError(f"unknown abandon reason {abandon!r}", field="62")
        items.append((TAG_ABANDON, abandon.encode("ascii")))
        items += [(TAG_BANK_STAN, f"{s:06d}".encode()) for s in bank_stans]
    if report is not None:
        items += _report_items(report)
    return _base(STEP_PROCESSING_CODE, STEP_60_1, stan=stan, tid=tid, mid=mid, batch=batch,
                 tlv=encode_tlv(items))


def _report_items(report: StepReport) -> list[tuple[int, bytes]]:
    if report.result not in RESULT_CODES:
        raise EncodeError(f"unknown result code {report.result!r}", field="62")
    items = [(TAG_RESULT, report.result.encode("ascii"))]
    items += [(TAG_VALUE, v.encode("utf-8")) for v in report.values]
    if report.amount is not None:
        items.append((TAG_AMOUNT, str(report.amount).encode("ascii")))
    if report.bank_rc:
        items += [(TAG_BANK_RC, report.bank_rc.encode("ascii")),
                  (TAG_BANK_STAN, f"{report.bank_stan:06d}".encode()),
                  (TAG_BANK_RRN, report.bank_rrn.encode("ascii"))]
    if report.masked_pan:
        items.append((TAG_CARD, report.masked_pan.encode("ascii")))
    if report.track_cipher:
        items.append((TAG_TRACK, bytes.fromhex(report.track_cipher)))
    if report.pin_block is not None:
        items.append((TAG_PIN, report.pin_block))
    return items + sealed_items(report.sealed)


def step_response(req: Message, *, rc: str, when: datetime, rrn: str,
                  step: PlatformStep | None) -> Message:
    """Build the platform's 0110 answer carrying ``step`` (without MAC)."""
    extra = {37: rrn}
    if step is not None:
        extra[62] = encode_tlv(step_items(step)).hex().upper()
    return response_to(req, echo=(3, 11, 41, 42, 60), rc=rc, when=when, extra=extra)


def step_items(step: PlatformStep) -> list[tuple[int, bytes]]:
    """The TLV items of a step (the field-62 content of a platform answer)."""
    items = [(S_SESSION, step.session.encode("ascii")), (S_NUMBER, str(step.number).encode()),
             (S_TYPE, step.code.encode("ascii"))]
    if step.text:
        items.append((S_TEXT, step.text.encode("utf-8")))
    for f in step.fields:
        spec = _SEP.join((f.label, str(f.min_len), str(f.max_len), f.kind, "1" if f.hidden
                          else "0"))
        items.append((S_FIELD, spec.encode("utf-8")))
    items += [(S_ITEM, f"{i}{_SEP}{label}".encode()) for i, label in step.items]
    if step.amount is not None:
        items.append((S_AMOUNT, str(step.amount).encode("ascii")))
    if step.timeout_s is not None:
        items.append((S_TIMEOUT, str(step.timeout_s).encode("ascii")))
    return items


def _items(msg: Message) -> list[tuple[int, bytes]]:
    raw = msg.get(62)
    if raw is None:
        raise DecodeError("field 62 missing", field="62", position=0)
    try:
        return [(item.tag, item.value) for item in decode_tlv(bytes.fromhex(raw))]
    except (DecodeError, ValueError) as exc:
        raise DecodeError(f"bad TLV: {exc}", field="62", position=0) from exc


def parse_step(msg: Message) -> PlatformStep:
    """The step in a 0110's field 62 (terminal side).

    Raises:
        DecodeError: (field ``"62"``) malformed TLV, a required tag missing, bad values.
    """
    items = _items(msg)
    amount, timeout = _optional(items, S_AMOUNT), _optional(items, S_TIMEOUT)
    text = _optional(items, S_TEXT)
    return PlatformStep(
        session=_text(_single(items, S_SESSION, "session"), "session", "ascii"),
        number=_number(_single(items, S_NUMBER, "step number"), "step number"),
        code=_text(_single(items, S_TYPE, "step type"), "step type", "ascii"),
        text=_text(text, "text") if text is not None else "",
        fields=tuple(_field(v) for t, v in items if t == S_FIELD),
        items=tuple(_item(v) for t, v in items if t == S_ITEM),
        amount=_number(amount, "amount") if amount is not None else None,
        timeout_s=_number(timeout, "timeout") if timeout is not None else None)


def _field(value: bytes) -> StepField:
    parts = _text(value, "field").split(_SEP)
    if len(parts) != 5 or not (parts[1].isdigit() and parts[2].isdigit()):
        raise DecodeError("input field spec is malformed", field="62", position=0)
    return StepField(label=parts[0], min_len=int(parts[1]), max_len=int(parts[2]),
                     kind=parts[3], hidden=parts[4] == "1")


def _item(value: bytes) -> tuple[str, str]:
    ident, sep, label = _text(value, "item").partition(_SEP)
    if not sep or not ident:
        raise DecodeError("select item is malformed", field="62", position=0)
    return ident, label


def parse_session_request(msg: Message) -> SessionRequest:
    """Decode an open / result / abandon request (host side).

    Raises:
        DecodeError: (field ``"62"``) malformed TLV or missing/bad tags.
    """
    items = _items(msg)
    if msg.get(3) == OPEN_PROCESSING_CODE:
        caps = _optional(items, TAG_CAPS) or b""
        return SessionRequest(service=_text(_single(items, TAG_SERVICE, "service"), "service",
                                            "ascii"),
                              capabilities=tuple(_text(caps, "capabilities").split()))
    session = _text(_single(items, TAG_SESSION, "session"), "session", "ascii")
    number = _number(_single(items, TAG_NUMBER, "step number"), "step number")
    abandon = _optional(items, TAG_ABANDON)
    if abandon is not None:
        stans = tuple(_number(v, "trace") for t, v in items if t == TAG_BANK_STAN)
        return SessionRequest(session=session, number=number,
                              abandon=_text(abandon, "reason", "ascii"), bank_stans=stans)
    return SessionRequest(session=session, number=number, report=_report(items))


def _report(items: list[tuple[int, bytes]]) -> StepReport:
    result = _text(_single(items, TAG_RESULT, "result"), "result", "ascii")
    if result not in RESULT_CODES:
        raise DecodeError(f"unknown result code {result!r}", field="62", position=0)
    amount, stan = _optional(items, TAG_AMOUNT), _optional(items, TAG_BANK_STAN)
    track, pin = _optional(items, TAG_TRACK), _optional(items, TAG_PIN)
    return StepReport(
        result=result,
        values=tuple(_text(v, "value") for t, v in items if t == TAG_VALUE),
        amount=_number(amount, "amount") if amount is not None else None,
        bank_rc=_text(_optional(items, TAG_BANK_RC) or b"", "bank rc", "ascii"),
        bank_stan=_number(stan, "trace") if stan is not None else 0,
        bank_rrn=_text(_optional(items, TAG_BANK_RRN) or b"", "rrn", "ascii"),
        masked_pan=_text(_optional(items, TAG_CARD) or b"", "card", "ascii"),
        track_cipher=track.hex().upper() if track is not None else "",
        pin_block=pin, sealed=parse_sealed(items))
