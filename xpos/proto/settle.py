"""Settlement messages (结算, B4): 0500/0510, batch upload 0320/0330 and its end, all pure.

Theory of operation
-------------------
A settlement is a short conversation, none of it MAC'd (reference §1.4):

1. **0500 settlement** (60.1 ``00``, 60.3 ``201``): field 48 carries the terminal's
   totals of the batch named in 60.2, 62 digits (:class:`SettleTotals`): domestic debit
   amount n12 + count n3 + credit amount n12 + count n3 + ``0``, then the same 31 digits
   for foreign cards. The 0510 echoes them with character 31 (index 30) replaced by the
   domestic reconciliation result and character 62 (index 61) by the foreign one:
   ``1`` balanced (对账平), ``2`` unbalanced (对账不平), ``3`` error.
2. **0320 batch upload** (60.3 ``201``), only when unbalanced: field 48 = ``NN`` (item
   count, at most 8) + NN items of 40 digits (:class:`UploadItem`): ``00`` domestic /
   ``01`` foreign, STAN 6, PAN right-aligned and zero-padded to 20, amount 12. The
   terminal never keeps a full PAN (docs/security.md), so its items carry twenty zeros
   there; the host matches an item by STAN and amount.
3. **0320 batch upload end** (60.3 ``202``), always (also when balanced): field 48 =
   the number of items uploaded, n4.
4. **0500 X settlement**: the X-menu batch settled with the platform: the 0500 layout
   with field 3 = ``700000`` (the X platform's processing-code family, as the voucher
   verification's 0100) and 60.2 = the X batch; its field 48 uses the domestic half
   (31 digits) for the X totals. Field 3 tells the front end to route it to the
   platform, not to the acquirer; the MTI and the rest stay the bank settlement's so
   one parser serves both.

Every message carries 11, 41, 42, 60 (and 49 ``156`` and 63 operator on 0500); the
responses echo 11, 41, 42, 60 (and 3, 48 of a settlement) and add 12, 13, 39.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.errors import EncodeError
from xpos.proto._build import CURRENCY_CNY, digits, field60, response_to, stan_field
from xpos.proto.codec import Message
from xpos.proto.routing import PLATFORM_TPDU

SETTLE_60_TAIL = "201"
"""60.3 of a settlement and of a batch-upload detail message."""
BATCH_END_60_TAIL = "202"
"""60.3 of the batch-upload end message."""
X_PROCESSING_CODE = "700000"
"""Field 3 of the X-menu settlement (the platform's processing-code family)."""
ITEMS_PER_UPLOAD = 8
"""At most this many items per 0320 (reference §1.4: NN <= 8)."""
ITEM_LEN = 40
RESULT_BALANCED = "1"
RESULT_UNBALANCED = "2"
RESULT_ERROR = "3"
HALF = 31
"""Digits of one half (domestic or foreign) of the settlement field 48."""
_ECHO = (3, 11, 41, 42, 49, 60)


@dataclass(frozen=True, kw_only=True)
class Side:
    """Debit and credit totals of one half of field 48 (amounts in fen)."""

    debit_amount: int = 0
    debit_count: int = 0
    credit_amount: int = 0
    credit_count: int = 0

    def digits(self) -> str:
        """The 31 digits: debit n12 + n3, credit n12 + n3, ``0``."""
        return (digits(self.debit_amount, 12, "48") + digits(self.debit_count, 3, "48")
                + digits(self.credit_amount, 12, "48") + digits(self.credit_count, 3, "48")
                + "0")


@dataclass(frozen=True, kw_only=True)
class SettleTotals:
    """The settlement field 48: domestic and foreign totals."""

    domestic: Side
    foreign: Side = Side()

    def field48(self) -> str:
        """The 62 request digits."""
        return self.domestic.digits() + self.foreign.digits()


def parse_side(text: str) -> Side | None:
    """31 digits back into a :class:`Side`, or ``None`` if they are not 30+ digits."""
    if len(text) < HALF - 1 or not text[:HALF - 1].isdigit():
        return None
    return Side(debit_amount=int(text[0:12]), debit_count=int(text[12:15]),
                credit_amount=int(text[15:27]), credit_count=int(text[27:30]))


def parse_totals(field48: str) -> SettleTotals | None:
    """A settlement field 48 (request or response) back into totals, or ``None``."""
    domestic = parse_side(field48[:HALF])
    if domestic is None:
        return None
    return SettleTotals(domestic=domestic, foreign=parse_side(field48[HALF:]) or Side())


@dataclass(frozen=True, kw_only=True)
class Results:
    """The reconciliation results of a 0510: ``1`` / ``2`` / ``3`` ("" if absent)."""

    domestic: str
    foreign: str

    @property
    def balanced(self) -> bool:
        """True when the domestic result is ``1`` (and the foreign one not ``2``/``3``)."""
        return self.domestic == RESULT_BALANCED and self.foreign in ("", RESULT_BALANCED)


def parse_results(response: Message) -> Results:
    """Characters 31 and 62 of a 0510's field 48."""
    field48 = response.get(48) or ""
    return Results(domestic=field48[HALF - 1:HALF], foreign=field48[2 * HALF - 1:2 * HALF])


def settle_request(*, stan: int, tid: str, mid: str, batch: int, totals: SettleTotals,
                   operator: str = "01 ", x_platform: bool = False) -> Message:
    """Build a 0500 settlement (or, with ``x_platform``, the X settlement); no MAC.

    Raises:
        EncodeError: a value out of range.
    """
    fields = {11: stan_field(stan), 41: tid, 42: mid, 48: totals.field48(),
              49: CURRENCY_CNY, 60: field60("00", batch, SETTLE_60_TAIL), 63: operator}
    if x_platform:
        fields[3] = X_PROCESSING_CODE
        fields[48] = totals.domestic.digits()
        return Message(mti="0500", fields=fields, tpdu=PLATFORM_TPDU)  # the platform's
    return Message(mti="0500", fields=fields)


def settle_response(req: Message, *, rc: str, domestic: str, foreign: str,
                    when: datetime) -> Message:
    """Build the 0510: field 48 echoed with the results at characters 31 and 62."""
    field48 = req.get(48) or ""
    if len(field48) >= HALF:
        field48 = field48[:HALF - 1] + domestic + field48[HALF:]
    if len(field48) >= 2 * HALF:
        field48 = field48[:2 * HALF - 1] + foreign + field48[2 * HALF:]
    extra = {48: field48} if field48 else {}
    return response_to(req, echo=_ECHO, rc=rc, when=when, extra=extra)


@dataclass(frozen=True, kw_only=True)
class UploadItem:
    """One batch-upload item (40 digits)."""

    stan: int
    amount: int
    foreign: bool = False

    def digits(self) -> str:
        """``00``/``01`` + STAN 6 + PAN 20 (zeros: no full PAN is kept) + amount 12."""
        return (("01" if self.foreign else "00") + digits(self.stan, 6, "48", minimum=1)
                + "0" * 20 + digits(self.amount, 12, "48"))


def batch_upload_request(*, stan: int, tid: str, mid: str, batch: int,
                         items: tuple[UploadItem, ...]) -> Message:
    """Build a 0320 batch-upload detail message with 1..8 items (no MAC).

    Raises:
        EncodeError: no item or more than :data:`ITEMS_PER_UPLOAD`.
    """
    if not 1 <= len(items) <= ITEMS_PER_UPLOAD:
        raise EncodeError(f"a batch upload carries 1..{ITEMS_PER_UPLOAD} items, "
                          f"got {len(items)}", field="48")
    field48 = f"{len(items):02d}" + "".join(item.digits() for item in items)
    return Message(mti="0320", fields={11: stan_field(stan), 41: tid, 42: mid, 48: field48,
                                       60: field60("00", batch, SETTLE_60_TAIL)})


def parse_upload_items(field48: str) -> tuple[UploadItem, ...] | None:
    """The items of a batch upload's field 48, or ``None`` if it is malformed."""
    if len(field48) < 2 or not field48.isdigit():
        return None
    count = int(field48[:2])
    if not 1 <= count <= ITEMS_PER_UPLOAD or len(field48) != 2 + count * ITEM_LEN:
        return None
    items = []
    for n in range(count):
        item = field48[2 + n * ITEM_LEN: 2 + (n + 1) * ITEM_LEN]
        if item[:2] not in ("00", "01") or int(item[2:8]) == 0:
            return None
        items.append(UploadItem(stan=int(item[2:8]), amount=int(item[28:40]),
                                foreign=item[:2] == "01"))
    return tuple(items)


def batch_end_request(*, stan: int, tid: str, mid: str, batch: int, count: int) -> Message:
    """Build the 0320 batch-upload end: field 48 = items uploaded, n4 (no MAC)."""
    return Message(mti="0320", fields={11: stan_field(stan), 41: tid, 42: mid,
                                       48: digits(count, 4, "48"),
                                       60: field60("00", batch, BATCH_END_60_TAIL)})


def batch_upload_response(req: Message, *, rc: str, when: datetime) -> Message:
    """Build the 0330 answering a batch upload or its end (11, 41, 42, 60 echoed)."""
    return response_to(req, echo=_ECHO, rc=rc, when=when)
