"""Length-prefixed framing: ``| LEN 2B big-endian | body |`` (reference §1.1).

The length excludes itself. :class:`FrameReader` is sans-IO: the shell feeds it whatever
bytes arrived and gets back complete bodies. A length above the configured maximum
means the stream can no longer be trusted (there is no way to find the next frame), so
the reader becomes *broken*: the error is kept and raised again on every later feed.
"""

from __future__ import annotations

from xpos.errors import DecodeError, EncodeError

__all__ = ["DEFAULT_MAX_FRAME", "FrameReader", "frame"]

DEFAULT_MAX_FRAME = 4096
_PREFIX = 2


def frame(body: bytes) -> bytes:
    """Prefix a message body with its 2-byte big-endian length.

    Raises:
        EncodeError: (field ``"len"``) the body is longer than 65535 bytes.
    """
    if len(body) > 0xFFFF:
        raise EncodeError(f"body of {len(body)} bytes does not fit a 2-byte length",
                          field="len")
    return len(body).to_bytes(_PREFIX, "big") + body


class FrameReader:
    """Splits a byte stream into frame bodies.

    Args:
        max_size: Largest body accepted; a longer length prefix breaks the reader.
    """

    def __init__(self, *, max_size: int = DEFAULT_MAX_FRAME) -> None:
        """Create an empty reader."""
        self._max = max_size
        self._buf = bytearray()
        self._offset = 0
        self._error: DecodeError | None = None

    @property
    def error(self) -> DecodeError | None:
        """The framing error that broke the reader, if any."""
        return self._error

    @property
    def buffered(self) -> int:
        """Bytes received but not yet part of a complete frame (a truncated frame at EOF)."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the complete bodies now available, oldest first.

        Bodies completed before a bad length prefix are still returned; the error is
        then raised by the next call (and is visible at once in :attr:`error`).

        Raises:
            DecodeError: (field ``"len"``, position = stream offset of the prefix) a length
                prefix above ``max_size``, now or earlier.
        """
        if self._error is not None:
            raise self._error
        self._buf += data
        bodies: list[bytes] = []
        while len(self._buf) >= _PREFIX:
            size = int.from_bytes(self._buf[:_PREFIX], "big")
            if size > self._max:
                self._error = DecodeError(
                    f"frame length {size} exceeds the maximum {self._max}",
                    field="len", position=self._offset)
                if not bodies:
                    raise self._error
                break
            if len(self._buf) < _PREFIX + size:
                break
            bodies.append(bytes(self._buf[_PREFIX:_PREFIX + size]))
            del self._buf[:_PREFIX + size]
            self._offset += _PREFIX + size
        return bodies
