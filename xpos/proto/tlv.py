"""BER-TLV (ISO/IEC 8825-1 subset as used by EMV) for X-menu data in field 62.

A TLV string is a flat sequence of items; constructed values are kept as opaque bytes
(the caller may decode them again). Tags are the raw tag bytes read as a big-endian
integer (``0xDF01``). Supported: tags of 1-3 bytes, lengths in short form or in the long
forms ``81 xx`` and ``82 xx xx``. Refused: indefinite length (``80``), longer length
forms, non-minimal long forms, padding bytes, truncation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xpos.errors import DecodeError, EncodeError

__all__ = ["TlvItem", "decode_tlv", "encode_tlv", "tag_bytes"]

_MAX_TAG_BYTES = 3
_MAX_VALUE = 0xFFFF


@dataclass(frozen=True, kw_only=True)
class TlvItem:
    """One decoded TLV item.

    Attributes:
        tag: The tag bytes as an integer, e.g. ``0xDF01``.
        value: The value bytes.
    """

    tag: int
    value: bytes


def tag_bytes(tag: int) -> bytes:
    """The wire bytes of ``tag``, checked for BER well-formedness.

    Raises:
        EncodeError: (field ``"tlv"``) not a valid 1-3 byte BER tag.
    """
    if tag <= 0 or tag >= 1 << (8 * _MAX_TAG_BYTES):
        raise EncodeError(f"tag {tag:#x} out of range", field="tlv")
    raw = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    if _tag_length(raw, 0) != len(raw):
        raise EncodeError(f"tag {raw.hex().upper()} is not a well-formed BER tag", field="tlv")
    return raw


def _tag_length(data: bytes, start: int) -> int | None:
    """Bytes the tag at ``start`` takes, or None if truncated/malformed."""
    if start >= len(data) or data[start] in (0x00, 0xFF):
        return None
    if data[start] & 0x1F != 0x1F:
        return 1
    for i in range(start + 1, min(start + _MAX_TAG_BYTES, len(data))):
        if not data[i] & 0x80:
            return i - start + 1
    return None


def _length_bytes(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    if size <= 0xFF:
        return b"\x81" + bytes([size])
    return b"\x82" + size.to_bytes(2, "big")


def encode_tlv(items: Iterable[tuple[int, bytes]]) -> bytes:
    """Encode ``(tag, value)`` pairs in the given order.

    Raises:
        EncodeError: (field ``"tlv"``) a bad tag or a value longer than 65535 bytes.
    """
    out = bytearray()
    for tag, value in items:
        if len(value) > _MAX_VALUE:
            raise EncodeError(f"value of tag {tag:#x} is too long", field="tlv")
        out += tag_bytes(tag) + _length_bytes(len(value)) + value
    return bytes(out)


def decode_tlv(data: bytes) -> list[TlvItem]:
    """Decode a flat BER-TLV string.

    Raises:
        DecodeError: (field ``"tlv"``, position = offset in ``data``) malformed TLV.
    """
    items: list[TlvItem] = []
    pos = 0
    while pos < len(data):
        tag_len = _tag_length(data, pos)
        if tag_len is None:
            raise DecodeError("malformed or truncated tag", field="tlv", position=pos)
        tag = int.from_bytes(data[pos:pos + tag_len], "big")
        size, value_pos = _read_length(data, pos + tag_len)
        if value_pos + size > len(data):
            raise DecodeError(f"value of {size} bytes overruns the data", field="tlv",
                              position=pos + tag_len)
        items.append(TlvItem(tag=tag, value=data[value_pos:value_pos + size]))
        pos = value_pos + size
    return items


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Return (length, position of the value) for the length octets at ``pos``."""
    if pos >= len(data):
        raise DecodeError("missing length", field="tlv", position=pos)
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count not in (1, 2):
        raise DecodeError(f"unsupported length form {first:#04x}", field="tlv", position=pos)
    raw = data[pos + 1:pos + 1 + count]
    if len(raw) < count:
        raise DecodeError("truncated length", field="tlv", position=pos)
    size = int.from_bytes(raw, "big")
    if size < (0x80 if count == 1 else 0x100):
        raise DecodeError("non-minimal length form", field="tlv", position=pos)
    return size, pos + 1 + count
