"""Refund (退货, 0220) and balance inquiry (查余额, 0200 F3 310000): builders and parsers.

Theory of operation
-------------------
Both are pure builders on top of :func:`xpos.proto.messages.sale_request` (the same card,
PIN and track fields) with the differences of reference §1.4:

* refund 0220: 3 ``200000``, 25 ``00``, 37 = the original RRN, 60.1 = ``25``,
  61 = original batch 6 + original STAN 6 + original date MMDD 4 (batch and STAN are
  zeros when the terminal does not have the original: a refund may name a sale of an
  earlier batch or day, which only its RRN and date identify), 63 = ``CUP`` (the card
  organisation) instead of the operator. The host answers 0230 (fields of a 0210).
  A refund is never reversed (reference §1.6).
* balance 0200: 3 ``310000``, no field 4, 60.1 = ``01``; the PIN is required. The host
  answers 0210 with the balance in field 54 (an20: account type 2 + amount type 2 +
  currency 3 + sign ``C``/``D`` 1 + amount 12 in fen). Never reversed.

Callers add field 64 with :func:`xpos.proto.messages.add_mac`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.errors import EncodeError
from xpos.proto._build import CURRENCY_CNY, FINANCIAL_60_TAIL, digits, field60, response_to
from xpos.proto.codec import Message
from xpos.proto.messages import sale_request

REFUND_MTI = "0220"
REFUND_PROCESSING_CODE = "200000"
REFUND_60_TYPE = "25"
CARD_ORGANISATION = "CUP"
BALANCE_PROCESSING_CODE = "310000"
BALANCE_60_TYPE = "01"
ACCOUNT_TYPE = "10"
"""54.1: the card's (debit) account."""
AVAILABLE_BALANCE = "02"
"""54.2: the amount is the available balance."""
_BALANCE_ECHO = (3, 11, 25, 41, 42, 49, 60)
_RRN_LENGTH = 12


@dataclass(frozen=True, kw_only=True)
class RefundOriginal:
    """The sale a refund names, as fields 37 and 61 carry it.

    Attributes:
        rrn: Its retrieval reference number (12 characters, field 37).
        date: Its date, MMDD (61.3).
        batch: Its batch number (61.1), 0 when unknown to the terminal.
        stan: Its trace number (61.2), 0 when unknown to the terminal.
    """

    rrn: str
    date: str
    batch: int = 0
    stan: int = 0

    def field61(self) -> str:
        """61 = batch 6 + STAN 6 + date MMDD 4 (zeros for an unknown batch / STAN)."""
        if len(self.date) != 4 or not self.date.isdigit():
            raise EncodeError(f"original date must be MMDD, got {self.date!r}", field="61")
        return digits(self.batch, 6, "61") + digits(self.stan, 6, "61") + self.date


def refund_request(*, original: RefundOriginal, stan: int, tid: str, mid: str, batch: int,
                   amount: int, track2: str, expiry: str, pin_block: bytes | None,
                   track_encrypted: bool = False,
                   double_length_keys: bool = True) -> Message:
    """Build a 0220 refund (退货) of ``amount`` fen against ``original`` (no MAC).

    Args:
        original: The sale being refunded (RRN, date; batch/STAN if known).
        stan: The refund's own trace number.
        tid: Terminal ID.
        mid: Merchant ID.
        batch: Current batch number.
        amount: In fen (a partial refund is less than the original).
        track2: Track 2 in wire form (see :func:`~xpos.proto.messages.sale_request`).
        expiry: YYMM, or empty.
        pin_block: The encrypted PIN block, or ``None`` (refunds need no PIN by default).
        track_encrypted: Sets 53.3.
        double_length_keys: 53.2.

    Raises:
        EncodeError: a value out of range, an RRN that is not 12 characters, a bad date.
    """
    rrn = original.rrn.strip()
    if len(rrn) != _RRN_LENGTH:
        raise EncodeError(f"original RRN must be 12 characters, got {len(rrn)}", field="37")
    sale = sale_request(stan=stan, tid=tid, mid=mid, batch=batch, amount=amount,
                        track2=track2, expiry=expiry, pin_block=pin_block,
                        track_encrypted=track_encrypted, operator=CARD_ORGANISATION,
                        double_length_keys=double_length_keys)
    return sale.replace(mti=REFUND_MTI, set={
        3: REFUND_PROCESSING_CODE, 37: rrn, 61: original.field61(),
        60: field60(REFUND_60_TYPE, batch, FINANCIAL_60_TAIL), 63: CARD_ORGANISATION})


def parse_refund_original(request: Message) -> RefundOriginal | None:
    """The original named by a refund's fields 37 and 61, or ``None`` if unreadable."""
    field61 = request.get(61) or ""
    rrn = (request.get(37) or "").strip()
    if len(field61) < 16 or not field61[:16].isdigit() or len(rrn) != _RRN_LENGTH:
        return None
    return RefundOriginal(rrn=rrn, date=field61[12:16], batch=int(field61[:6]),
                          stan=int(field61[6:12]))


def balance_request(*, stan: int, tid: str, mid: str, batch: int, track2: str, expiry: str,
                    pin_block: bytes, track_encrypted: bool = False, operator: str = "01 ",
                    double_length_keys: bool = True) -> Message:
    """Build a 0200 balance inquiry (查余额; no field 4, no MAC).

    Raises:
        EncodeError: a value out of range or a PIN block that is not 8 bytes.
    """
    sale = sale_request(stan=stan, tid=tid, mid=mid, batch=batch, amount=1, track2=track2,
                        expiry=expiry, pin_block=pin_block, track_encrypted=track_encrypted,
                        operator=operator, double_length_keys=double_length_keys)
    return sale.replace(drop=(4,), set={3: BALANCE_PROCESSING_CODE,
                                        60: field60(BALANCE_60_TYPE, batch, FINANCIAL_60_TAIL)})


def balance_field(balance: int) -> str:
    """Field 54: account type + amount type + ``156`` + ``C``/``D`` + 12 digits."""
    sign = "C" if balance >= 0 else "D"
    return (ACCOUNT_TYPE + AVAILABLE_BALANCE + CURRENCY_CNY + sign
            + digits(abs(balance), 12, "54"))


def balance_response(req: Message, *, rc: str, balance: int | None, rrn: str,
                     when: datetime) -> Message:
    """Build the host's 0210 to a balance inquiry (no MAC); 54 only with a balance."""
    extra = {37: rrn} | ({54: balance_field(balance)} if balance is not None else {})
    return response_to(req, echo=_BALANCE_ECHO, rc=rc, when=when, extra=extra)


def parse_balance(response: Message) -> int | None:
    """The balance in fen from field 54 (negative for ``D``), or ``None`` if unreadable."""
    value = response.get(54) or ""
    if len(value) != 20 or value[7] not in "CD" or not value[8:].isdigit():
        return None
    amount = int(value[8:])
    return amount if value[7] == "C" else -amount
