"""Small helpers shared by the message builders."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from xpos.errors import EncodeError
from xpos.proto.catalogue import response_mti, swap_tpdu
from xpos.proto.codec import Message

CURRENCY_CNY = "156"
FINANCIAL_60_TAIL = "000" + "5" + "0" + "0"   # 60.3 network code, 60.4-60.6
"""60.3 ``000``, 60.4 ``5`` (contact + magstripe), 60.5 ``0`` (no fallback), 60.6 ``0``."""


def digits(value: int, width: int, field: str, *, minimum: int = 0) -> str:
    """``value`` as ``width`` zero-padded digits.

    Raises:
        EncodeError: the value is out of ``minimum .. 10**width - 1``.
    """
    if not minimum <= value < 10**width:
        raise EncodeError(f"{value} is outside {minimum}..{10**width - 1}", field=field)
    return f"{value:0{width}d}"


def stan_field(value: int) -> str:
    """Field 11 (1..999999)."""
    return digits(value, 6, "11", minimum=1)


def field60(type_code: str, batch: int, tail: str) -> str:
    """Field 60: 60.1 type code + 60.2 batch (6 digits) + ``tail`` (60.3 onwards)."""
    return type_code + digits(batch, 6, "60") + tail


def response_to(req: Message, *, echo: Iterable[int], rc: str, when: datetime,
                extra: Mapping[int, str] | None = None) -> Message:
    """A host response skeleton for ``req``.

    MTI + 10, TPDU addresses swapped, header echoed, the ``echo`` fields copied when the
    request has them, 12/13 from ``when``, 39 = ``rc``, then ``extra``.
    """
    fields = {n: req.fields[n] for n in echo if n in req.fields}
    fields |= {12: when.strftime("%H%M%S"), 13: when.strftime("%m%d"), 39: rc}
    fields |= extra or {}
    return Message(mti=response_mti(req.mti), fields=fields, tpdu=swap_tpdu(req.tpdu),
                   header=req.header)
