"""The CUP POS ISO 8583 field table, as data.

One :class:`FieldSpec` per field the dialect uses (reference ``cup-pos-iso8583.md``
§1.2). :data:`PYISO_SPEC` is the same table turned into a pyiso8583 specification; the
codec adds the checks pyiso8583 does not make (digits in BCD fields, printable text,
upper-case hex in binary fields).

Conventions of the dialect, all encoded here:

* Numeric (``n``) and track (``z``) data is BCD. Variable-length ``n``/``z`` data is
  left-aligned and padded on the right with a ``0`` nibble; its length counts digits
  and is itself BCD (1 byte for LL, 2 bytes for LLL).
* Field 22 is left-aligned (``021`` travels as ``02 10``); field 23 is right-aligned
  (``001`` travels as ``00 01``).
* ``an``/``ans`` data is ASCII (field 63 may carry GB18030 text from the host).
* ``b`` data has its length in bytes; in a :class:`~xpos.proto.codec.Message` it is
  upper-case hex text.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = [
    "FIELDS",
    "HEADER_BYTES",
    "PYISO_SPEC",
    "TPDU_BYTES",
    "FieldKind",
    "FieldSpec",
]

TPDU_BYTES = 5
HEADER_BYTES = 6


class FieldKind(enum.Enum):
    """The ISO 8583 data kind of a field."""

    N = "n"
    Z = "z"
    AN = "an"
    ANS = "ans"
    B = "b"


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """How one field travels.

    Attributes:
        number: Field number (2..64).
        name: Short English name.
        kind: Data kind.
        length: The fixed length, or the maximum for variable fields. Digits for
            ``n``/``z``, bytes for the other kinds.
        var: Length-prefix digits: 0 fixed, 2 LLVAR (1 BCD byte), 3 LLLVAR (2 BCD bytes).
        align: For odd fixed-length ``n`` fields: ``"left"`` pads a 0 nibble on the
            right, ``"right"`` pads it on the left. Variable ``n``/``z`` is always left.
        encoding: Python codec for text kinds.
    """

    number: int
    name: str
    kind: FieldKind
    length: int
    var: int = 0
    align: str = "left"
    encoding: str = "ascii"

    @property
    def is_bcd(self) -> bool:
        """True for ``n`` and ``z`` fields (nibble-coded)."""
        return self.kind in (FieldKind.N, FieldKind.Z)

    @property
    def format(self) -> str:
        """The field format in ISO notation, e.g. ``n6``, ``n..19``, ``b...512``, ``b64``."""
        size = self.length * 8 if self.kind is FieldKind.B and not self.var else self.length
        return f"{self.kind.value}{'.' * self.var}{size}"

    def pyiso(self) -> dict[str, Any]:
        """This field as a pyiso8583 field specification."""
        spec: dict[str, Any] = {
            "data_enc": "b" if self.kind in (FieldKind.N, FieldKind.Z, FieldKind.B)
            else self.encoding,
            "len_enc": "bcd",
            "len_type": {0: 0, 2: 1, 3: 2}[self.var],
            "max_len": self.length,
            "desc": self.name,
        }
        if self.is_bcd:
            spec["len_count"] = "nibbles"
            pad = "left_pad" if self.align == "right" and not self.var else "right_pad"
            spec[pad] = "0"
        return spec


def _f(number: int, name: str, kind: str, length: int, var: int = 0, **kw: str) -> FieldSpec:
    return FieldSpec(number=number, name=name, kind=FieldKind(kind), length=length,
                     var=var, **kw)


FIELDS: Mapping[int, FieldSpec] = MappingProxyType({f.number: f for f in (
    _f(2, "primary account number", "n", 19, 2),
    _f(3, "processing code", "n", 6),
    _f(4, "amount (fen)", "n", 12),
    _f(11, "system trace audit number", "n", 6),
    _f(12, "local time hhmmss", "n", 6),
    _f(13, "local date MMDD", "n", 4),
    _f(14, "expiry YYMM", "n", 4),
    _f(15, "settlement date MMDD", "n", 4),
    _f(22, "POS entry mode", "n", 3, align="left"),
    _f(23, "card sequence number", "n", 3, align="right"),
    _f(25, "condition code", "n", 2),
    _f(26, "PIN capture code", "n", 2),
    _f(32, "acquirer ID", "n", 11, 2),
    _f(35, "track 2", "z", 37, 2),
    _f(36, "track 3", "z", 104, 3),
    _f(37, "retrieval reference number", "an", 12),
    _f(38, "authorization code", "an", 6),
    _f(39, "response code", "an", 2),
    _f(41, "terminal ID", "ans", 8),
    _f(42, "merchant ID", "ans", 15),
    _f(44, "issuer / acquirer IDs", "an", 25, 2),
    _f(48, "settlement totals", "n", 322, 3),
    _f(49, "currency code", "an", 3),
    _f(52, "PIN block", "b", 8),
    _f(53, "security control", "n", 16),
    _f(54, "balance", "an", 20, 3),
    _f(55, "ICC data", "b", 255, 3),
    _f(60, "type / batch / network code", "n", 17, 3),
    _f(61, "original batch/STAN/date", "n", 29, 3),
    _f(62, "sign-on keys / X-menu TLV", "b", 512, 3),
    _f(63, "operator / host text", "ans", 163, 3, encoding="gb18030"),
    _f(64, "MAC", "b", 8),
)})

_FRAME_PARTS: dict[str, dict[str, Any]] = {
    "h": {"data_enc": "b", "len_enc": "b", "len_type": 0, "max_len": HEADER_BYTES,
          "desc": "header"},
    "t": {"data_enc": "b", "len_enc": "b", "len_type": 0, "max_len": 2, "desc": "MTI"},
    "p": {"data_enc": "b", "len_enc": "b", "len_type": 0, "max_len": 8, "desc": "bitmap"},
}

PYISO_SPEC: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    _FRAME_PARTS | {str(n): f.pyiso() for n, f in FIELDS.items()})
