"""The CUP POS ISO 8583 codec: :class:`Message` values to bytes and back.

Theory of operation
-------------------
A body on the wire is ``TPDU 5B | HEADER 6B BCD | MTI 2B BCD | BITMAP 8B | fields``
(reference §1.1; the 2-byte length prefix is :mod:`xpos.proto.framing`'s job).

* The TPDU is handled here, outside pyiso8583; the header is pyiso8583's ``h`` field
  (6 binary bytes) and is checked to be 12 digits.
* Fields are encoded by pyiso8583 with the table in :mod:`xpos.proto.spec`. pyiso8583
  happily puts hex letters into BCD fields, so every value is checked here first on
  encode, and every decoded value is checked again on decode, with the byte position of
  the field's data.
* Only the primary bitmap exists in this dialect. A set bit 1 (secondary bitmap) or a bit
  for a field the dialect does not define is a :class:`~xpos.errors.DecodeError` before
  pyiso8583 sees the bytes.
* pyiso8583's own errors are mapped at the boundary (``raise ... from exc``), keeping the
  field and turning its position into an offset in the whole body (TPDU included).

Positions in :class:`~xpos.errors.DecodeError` are byte offsets in the body passed to
:func:`decode_message`. Field names: ``"tpdu"``, ``"h"``, ``"t"`` (MTI), ``"p"``
(bitmap) or the field number as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import iso8583

from xpos.errors import DecodeError, EncodeError
from xpos.proto.framing import DEFAULT_MAX_FRAME, FrameReader, frame
from xpos.proto.spec import FIELDS, HEADER_BYTES, PYISO_SPEC, TPDU_BYTES, FieldKind, FieldSpec

__all__ = [
    "DEFAULT_HEADER",
    "DEFAULT_MAX_FRAME",
    "DEFAULT_TPDU",
    "HEADER_PROCESSING_DIGIT",
    "HEADER_SIGN_ON_AGAIN",
    "HEADER_STATUS_NORMAL",
    "HEADER_STATUS_TEST",
    "FrameReader",
    "Message",
    "asking_sign_on",
    "asks_sign_on",
    "decode_message",
    "encode_message",
    "frame",
    "mac_input",
    "make_header",
    "with_mac_field",
]

DEFAULT_TPDU = "6000030000"
DEFAULT_HEADER = "603100310000"
#: Header digit 5: the terminal's status (reference §1.1).
HEADER_STATUS_NORMAL, HEADER_STATUS_TEST = "0", "1"
HEADER_PROCESSING_DIGIT = 5
"""Index of header digit 6, the host's processing requirement (reference §1.1)."""
HEADER_SIGN_ON_AGAIN = "3"
"""Digit 6 = 3: the host asks the terminal to sign on again."""


def asks_sign_on(header: str) -> bool:
    """True when a response header asks for a new sign-on (digit 6 = ``3``)."""
    return header[HEADER_PROCESSING_DIGIT:HEADER_PROCESSING_DIGIT + 1] == HEADER_SIGN_ON_AGAIN


def asking_sign_on(header: str) -> str:
    """``header`` with digit 6 set to ask for a new sign-on (the host side)."""
    i = HEADER_PROCESSING_DIGIT
    return header[:i] + HEADER_SIGN_ON_AGAIN + header[i + 1:]
_FIXED_PART = TPDU_BYTES + HEADER_BYTES + 2 + 8   # up to the first field
_BITMAP_POS = TPDU_BYTES + HEADER_BYTES + 2
_DIALECT_BITS = sum(1 << (64 - n) for n in FIELDS if 2 <= n <= 64)  # bit 1 never allowed
_SENSITIVE = {2: "<PAN>", 35: "<track>", 36: "<track>", 52: "<PIN block>"}

_DIGITS = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-F]*")
_ASCII_PRINTABLE = re.compile(r"[\x20-\x7e]*")


@dataclass(frozen=True, kw_only=True, repr=False)
class Message:
    """One ISO 8583 message of the CUP dialect, as plain text values.

    Attributes:
        mti: Message type, 4 digits (``"0200"``).
        fields: Field number to value. ``n``/``z``/``an``/``ans`` values are the text
            (``z`` uses ``D`` as track separator); ``b`` fields (52, 55, 62, 64) are
            upper-case hex text. Stored read-only, ordered by field number.
        tpdu: 10 hex digits: ``60`` + destination (4) + source (4).
        header: 12 digits (reference §1.1).
    """

    mti: str
    fields: Mapping[int, str]
    tpdu: str = DEFAULT_TPDU
    header: str = DEFAULT_HEADER

    def __post_init__(self) -> None:
        """Freeze ``fields`` into a read-only mapping ordered by field number."""
        object.__setattr__(self, "fields", MappingProxyType(dict(sorted(self.fields.items()))))

    def __hash__(self) -> int:
        """Hash by value."""
        return hash((self.mti, tuple(self.fields.items()), self.tpdu, self.header))

    def __repr__(self) -> str:
        """Show the message without PAN, track or PIN block data."""
        shown = {n: _SENSITIVE.get(n, v) for n, v in self.fields.items()}
        return (f"Message(mti={self.mti!r}, fields={shown!r}, tpdu={self.tpdu!r}, "
                f"header={self.header!r})")

    def get(self, n: int) -> str | None:
        """The value of field ``n``, or ``None`` if absent."""
        return self.fields.get(n)

    def replace(self, *, mti: str | None = None, set: Mapping[int, str] | None = None,
                drop: Iterable[int] = (), tpdu: str | None = None,
                header: str | None = None) -> Message:
        """A copy with some parts changed.

        Args:
            mti: New MTI.
            set: Fields to add or overwrite.
            drop: Fields to remove (absent ones are ignored); applied before ``set``.
            tpdu: New TPDU.
            header: New header.
        """
        dropped = frozenset(drop)
        fields = {n: v for n, v in self.fields.items() if n not in dropped}
        fields.update(set or {})
        return Message(mti=self.mti if mti is None else mti, fields=fields,
                       tpdu=self.tpdu if tpdu is None else tpdu,
                       header=self.header if header is None else header)


def _value_problem(spec: FieldSpec, value: str) -> str | None:
    """Why ``value`` is not valid text for ``spec``'s kind, or ``None`` if it is.

    Lengths are not checked here (pyiso8583 checks them against the table).
    """
    if spec.kind is FieldKind.N:
        return None if _DIGITS.fullmatch(value) else "numeric field holds a non-digit"
    if spec.kind is FieldKind.Z:
        return None if _HEX.fullmatch(value) else "track data must be digits/hex, 'D' for '='"
    if spec.kind is FieldKind.B:
        if not _HEX.fullmatch(value):
            return "binary field must be upper-case hex text"
        return "binary field hex has an odd length" if len(value) % 2 else None
    return _text_problem(spec, value)


def _text_problem(spec: FieldSpec, value: str) -> str | None:
    if spec.encoding == "ascii":
        return None if _ASCII_PRINTABLE.fullmatch(value) else "text is not printable ASCII"
    return None if value.isprintable() else "text holds control characters"


def _wire(msg: Message) -> bytes | None:
    """The exact body ``msg`` was decoded from or last encoded to, if known."""
    cached: bytes | None = msg.__dict__.get("_wire")
    return cached


def _remember(msg: Message, body: bytes) -> None:
    """Cache ``body`` as the wire form of the (immutable) ``msg``."""
    object.__setattr__(msg, "_wire", body)


def encode_message(msg: Message) -> bytes:
    """Encode a message body: TPDU + header + MTI + bitmap + fields (no length prefix).

    A message is immutable, so its body is computed once and cached; a decoded message
    encodes to exactly the bytes it was decoded from.

    Raises:
        EncodeError: with the field at fault.
    """
    cached = _wire(msg)
    if cached is not None:
        return cached
    body = _encode(msg)
    _remember(msg, body)
    return body


def with_mac_field(msg: Message, mac: Callable[[bytes], bytes]) -> Message:
    """``msg`` with field 64 = ``mac(mac_input)``, encoding the message only once.

    Raises:
        EncodeError: the message cannot be encoded, or ``mac`` did not return 8 bytes.
    """
    body = encode_message(msg.replace(set={64: "00" * 8}))
    value = mac(body[TPDU_BYTES + HEADER_BYTES:-8])
    if len(value) != 8:
        raise EncodeError(f"MAC function returned {len(value)} bytes, expected 8", field="64")
    signed = msg.replace(set={64: value.hex().upper()})
    _remember(signed, body[:-8] + value)
    return signed


def _encode(msg: Message) -> bytes:
    _require(_HEX.fullmatch(msg.tpdu) and len(msg.tpdu) == 2 * TPDU_BYTES, "tpdu",
             "TPDU must be 10 upper-case hex digits")
    _require(_DIGITS.fullmatch(msg.header) and len(msg.header) == 2 * HEADER_BYTES, "h",
             "header must be 12 digits")
    _require(_DIGITS.fullmatch(msg.mti) and len(msg.mti) == 4, "t", "MTI must be 4 digits")
    doc: dict[str, str] = {"h": msg.header, "t": msg.mti}
    for number, value in msg.fields.items():
        doc[str(number)] = _checked_for_encode(number, value)
    try:
        body, _ = iso8583.encode(doc, PYISO_SPEC)
    except iso8583.EncodeError as exc:
        raise EncodeError(exc.msg, field=exc.field) from exc
    return bytes.fromhex(msg.tpdu) + bytes(body)


def _require(ok: object, field: str, message: str) -> None:
    if not ok:
        raise EncodeError(message, field=field)


def _checked_for_encode(number: int, value: str) -> str:
    spec = FIELDS.get(number)
    if spec is None:
        raise EncodeError("field is not part of the CUP POS dialect", field=str(number))
    if not isinstance(value, str):
        raise EncodeError(f"value must be str, not {type(value).__name__}", field=str(number))
    problem = _value_problem(spec, value)
    if problem is not None:
        raise EncodeError(problem, field=str(number))
    return value


def decode_message(data: bytes) -> Message:
    """Decode a message body (without the length prefix).

    Raises:
        DecodeError: with the field at fault and the byte offset in ``data``.
    """
    data = bytes(data)
    if len(data) < TPDU_BYTES:
        raise DecodeError(f"body of {len(data)} bytes is shorter than the TPDU",
                          field="tpdu", position=0)
    _check_bitmap(data)
    try:
        doc_dec, doc_enc = iso8583.decode(data[TPDU_BYTES:], PYISO_SPEC)
    except iso8583.DecodeError as exc:
        raise DecodeError(exc.msg, field=exc.field, position=exc.pos + TPDU_BYTES) from exc
    _check_decoded_frame(doc_dec)
    fields = {int(key): value for key, value in doc_dec.items() if key.isdigit()}
    for number, position in _field_positions(doc_enc):
        problem = _value_problem(FIELDS[number], fields[number])
        if problem is not None:
            raise DecodeError(problem, field=str(number), position=position)
    msg = Message(mti=doc_dec["t"], fields=fields, tpdu=data[:TPDU_BYTES].hex().upper(),
                  header=doc_dec["h"])
    _remember(msg, data)
    return msg


def _check_bitmap(data: bytes) -> None:
    bitmap = data[_BITMAP_POS:_BITMAP_POS + 8]
    if len(bitmap) < 8:
        return   # truncated: pyiso8583 reports it with the right field
    bits = int.from_bytes(bitmap, "big")
    if not bits & ~_DIALECT_BITS:
        return
    for number in range(1, 65):
        if bits >> (64 - number) & 1 and number not in FIELDS:
            what = "secondary bitmap is not used" if number == 1 else (
                f"field {number} is not part of the CUP POS dialect")
            raise DecodeError(what, field="p" if number == 1 else str(number),
                              position=_BITMAP_POS)


def _check_decoded_frame(doc_dec: Mapping[str, str]) -> None:
    if not _DIGITS.fullmatch(doc_dec["h"]):
        raise DecodeError("header is not BCD digits", field="h", position=TPDU_BYTES)
    if not _DIGITS.fullmatch(doc_dec["t"]):
        raise DecodeError("MTI is not BCD digits", field="t",
                          position=TPDU_BYTES + HEADER_BYTES)


def _field_positions(doc_enc: Mapping[str, Any]) -> Iterator[tuple[int, int]]:
    """Yield (field number, offset of its data in the body) in wire order."""
    position = _FIXED_PART
    for number in sorted(int(key) for key in doc_enc if key.isdigit()):
        part = doc_enc[str(number)]
        position += len(part["len"])
        yield number, position
        position += len(part["data"])


def mac_input(msg: Message) -> bytes:
    """The bytes a MAC covers: MTI up to the last byte before field 64, with bit 64 set.

    TPDU and header are excluded (reference §1.7). Any field 64 already in ``msg`` is
    ignored.

    Raises:
        EncodeError: the message cannot be encoded.
    """
    cached = _wire(msg)
    if cached is not None and msg.get(64) is not None:
        return cached[TPDU_BYTES + HEADER_BYTES:-8]
    body = encode_message(msg.replace(set={64: "00" * 8}))
    return body[TPDU_BYTES + HEADER_BYTES:-8]


def make_header(*, app_type: str = "60", spec_version: str = "31", test: bool = False,
                app_version: str = "310000") -> str:
    """The 12-digit request header from its parts (reference §1.1).

    Digits 1-2 application type, 3-4 software/spec version, 5 terminal status (``1`` =
    test), 6 processing requirement (``0`` in a request: only the host's response sets
    it), 7-12 application software version. ``make_header()`` is :data:`DEFAULT_HEADER`.

    Raises:
        EncodeError: a part is not digits of its length.
    """
    for name, value, width in (("app_type", app_type, 2), ("spec_version", spec_version, 2),
                               ("app_version", app_version, 6)):
        _require(bool(_DIGITS.fullmatch(value)) and len(value) == width, "h",
                 f"header {name} must be {width} digits, got {value!r}")
    status = HEADER_STATUS_TEST if test else HEADER_STATUS_NORMAL
    return f"{app_type}{spec_version}{status}0{app_version}"
