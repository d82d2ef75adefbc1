"""ESC/POS real-time status (``DLE EOT n``): the queries and a pure decoder of the answers.

Theory of operation
-------------------
A printer that can tell its state answers ``DLE EOT n`` (``10 04 n``, n = 1..4) with one
status byte at once, even while data waits in its buffer. Every answer has the fixed
bits ``0x12`` set and ``0x81`` clear (``byte & 0x93 == 0x12``), which is how an answer is
told from noise. Bit meanings (ESC/POS application programming guide, ``DLE EOT``):

====  ===================  ==========================================================
n     asks for             bits used here
====  ===================  ==========================================================
1     printer status       ``0x08`` offline
2     offline cause        ``0x04`` cover open, ``0x08`` feed button, ``0x20`` paper
                           end stopped printing, ``0x40`` an error occurred
3     error cause          ``0x08`` auto-cutter error, ``0x20`` unrecoverable error,
                           ``0x40`` auto-recoverable error (e.g. head too hot)
4     roll paper sensor    ``0x0C`` paper near its end, ``0x60`` paper end (no paper)
====  ===================  ==========================================================

:func:`decode_status` turns the four answers into one :class:`PrinterStatus`; what the
backend does with it (refuse a job, call a finished job cut short) is in
:mod:`xpos.drivers.escpos_printer`. This module does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DLE_EOT = b"\x10\x04"
#: ``DLE DC4 fn=8``: clear the receive and print buffers (real-time, so it also works
#: while the printer is stopped at a paper end). Sent after a job was cut short, so the
#: tail of that job is not printed after the reload -- the job is sent again whole.
CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"
#: The status queries, in the order the backend asks them.
QUERIES: tuple[int, ...] = (1, 2, 3, 4)
FIXED_MASK = 0x93
FIXED_BITS = 0x12

OFFLINE = 0x08
COVER_OPEN = 0x04
FEED_BUTTON = 0x08
PAPER_STOP = 0x20
ERROR = 0x40
CUTTER_ERROR = 0x08
UNRECOVERABLE = 0x20
AUTO_RECOVERABLE = 0x40
NEAR_END = 0x0C
PAPER_END = 0x60


class StatusByteError(ValueError):
    """A byte that is not a real-time status answer (its fixed bits are wrong)."""


def status_query(n: int) -> bytes:
    """The ``DLE EOT n`` query (``10 04 n``).

    Raises:
        ValueError: if ``n`` is not 1..4.
    """
    if n not in QUERIES:
        raise ValueError(f"DLE EOT n: n must be 1..4, got {n}")
    return DLE_EOT + bytes([n])


def is_status_byte(byte: int) -> bool:
    """True if ``byte`` has the fixed bits of a status answer."""
    return byte & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True, kw_only=True)
class PrinterStatus:
    """What the printer said about itself.

    Attributes:
        offline: The printer is offline (it prints nothing now).
        cover_open: The cover is open.
        paper_out: No paper (the paper end sensor, or printing stopped at paper end).
        paper_near_end: The roll is nearly used up (it still prints).
        error: A cutter, mechanical or unrecoverable error (or an error the printer
            does not name).
    """

    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        """The printer can print a job now."""
        return not (self.offline or self.cover_open or self.paper_out or self.error)

    def describe(self) -> str:
        """One line naming what stops the printer (Chinese first), or ``就绪 ready``."""
        reasons = [
            text for flag, text in (
                (self.paper_out, "缺纸 paper out"),
                (self.cover_open, "纸仓盖打开 cover open"),
                (self.error, "打印机故障 printer error"),
                (self.offline and not (self.paper_out or self.cover_open or self.error),
                 "脱机 offline"),
            ) if flag
        ]
        return ", ".join(reasons) if reasons else "就绪 ready"


def decode_status(answers: Mapping[int, int]) -> PrinterStatus:
    """Decode the answers to ``DLE EOT n``, keyed by ``n``; absent ones count as fine.

    Raises:
        StatusByteError: for an answer whose fixed bits are wrong.
        ValueError: for a key that is not 1..4.
    """
    for n, byte in answers.items():
        if n not in QUERIES:
            raise ValueError(f"DLE EOT n: n must be 1..4, got {n}")
        if not is_status_byte(byte):
            raise StatusByteError(f"DLE EOT {n}: {byte:#04x} is not a status byte")
    printer, cause = answers.get(1, FIXED_BITS), answers.get(2, FIXED_BITS)
    errors, paper = answers.get(3, FIXED_BITS), answers.get(4, FIXED_BITS)
    return PrinterStatus(
        offline=bool(printer & OFFLINE),
        cover_open=bool(cause & COVER_OPEN),
        paper_out=bool(cause & PAPER_STOP) or paper & PAPER_END == PAPER_END,
        paper_near_end=bool(paper & NEAR_END),
        error=bool(cause & ERROR) or bool(errors & (CUTTER_ERROR | UNRECOVERABLE
                                                     | AUTO_RECOVERABLE)),
    )


def encode_status(status: PrinterStatus) -> dict[int, int]:
    """The answers a printer in ``status`` gives (the inverse; used by the simulator)."""
    offline = status.offline or status.cover_open or status.paper_out or status.error
    return {
        1: FIXED_BITS | (OFFLINE if offline else 0),
        2: FIXED_BITS | (COVER_OPEN if status.cover_open else 0)
        | (PAPER_STOP if status.paper_out else 0) | (ERROR if status.error else 0),
        3: FIXED_BITS | (UNRECOVERABLE if status.error else 0),
        4: FIXED_BITS | (PAPER_END if status.paper_out else 0)
        | (NEAR_END if status.paper_near_end else 0),
    }
