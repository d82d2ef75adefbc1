"""The pre-authorisation family (预授权): four request builders, all pure.

Theory of operation
-------------------
The family is told apart from sale and void by F25 = ``06`` and by 60.1 (reference
§1.4; :mod:`xpos.proto.catalogue` prefers a row with a type code):

=====================  ====  ======  ====  =====  ====================================
request                MTI   F3      F25   60.1   extra fields
=====================  ====  ======  ====  =====  ====================================
pre-auth 预授权         0100  030000  06    10     the card and PIN fields of a sale
pre-auth void          0100  200000  06    11     38 original auth code, 61
completion 预授权完成   0200  000000  06    20     38 the pre-auth's auth code, 61
completion void        0200  200000  06    21     38 the completion's auth code, 61
=====================  ====  ======  ====  =====  ====================================

Field 61 = original batch (6) + original STAN (6) + original date MMDD (4). A terminal
that keyed the original's auth code and date (the original is not in its journal)
sends ``000000`` for the batch and the STAN; the host then finds the original by card,
auth code and date. Every request carries the card (35) and, with a PIN, 26/52/53
exactly as :func:`xpos.proto.messages.sale_request` builds them; all four are MAC'd and
reversible (the 0400 keeps 3, 4, 25, 38, 60 and 61).
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.errors import EncodeError
from xpos.proto._build import FINANCIAL_60_TAIL, digits, field60
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message

PREAUTH_CONDITION = "06"
"""F25 of the whole family."""

FAMILY: dict[MessageKind, tuple[str, str, str]] = {
    MessageKind.PREAUTH: ("0100", "030000", "10"),
    MessageKind.PREAUTH_VOID: ("0100", "200000", "11"),
    MessageKind.COMPLETION: ("0200", "000000", "20"),
    MessageKind.COMPLETION_VOID: ("0200", "200000", "21"),
}
"""Kind -> (MTI, F3, 60.1)."""


@dataclass(frozen=True, kw_only=True)
class PreauthOriginal:
    """The transaction a pre-auth void, completion or completion void refers to.

    Attributes:
        auth_code: Its authorization code (field 38), 6 characters.
        date: Its date, MMDD (61.3).
        batch: Its batch number (61.1), 0 when not known (keyed original).
        stan: Its trace number (61.2), 0 when not known.
    """

    auth_code: str
    date: str
    batch: int = 0
    stan: int = 0

    def field61(self) -> str:
        """61 = batch 6 + STAN 6 + date MMDD 4.

        Raises:
            EncodeError: the date is not 4 digits of a plausible MMDD.
        """
        if not (len(self.date) == 4 and self.date.isdigit()
                and 1 <= int(self.date[:2]) <= 12 and 1 <= int(self.date[2:]) <= 31):
            raise EncodeError(f"original date {self.date!r} is not MMDD", field="61")
        return digits(self.batch, 6, "61") + digits(self.stan, 6, "61") + self.date


def parse_preauth_original(request: Message) -> PreauthOriginal | None:
    """Field 38 and 61 of a family request (or its reversal), or ``None`` if unreadable."""
    field61 = request.get(61) or ""
    auth = (request.get(38) or "").strip()
    if len(field61) < 16 or not field61[:16].isdigit() or not auth:
        return None
    return PreauthOriginal(auth_code=auth, date=field61[12:16], batch=int(field61[:6]),
                           stan=int(field61[6:12]))


def preauth_family_request(kind: MessageKind, sale: Message, *, batch: int,
                           original: PreauthOriginal | None = None) -> Message:
    """Turn a sale-shaped 0200 (card, PIN, amount, STAN) into a family request.

    Args:
        kind: One of :data:`FAMILY`.
        sale: Built by :func:`xpos.proto.messages.sale_request` (no MAC).
        batch: The current batch (60.2).
        original: Required for every kind but the pre-auth itself.

    Raises:
        EncodeError: an unknown kind, a missing or unreadable original, an auth code
            that is not 6 characters.
    """
    if kind not in FAMILY:
        raise EncodeError(f"{kind.value} is not of the pre-authorisation family", field="3")
    mti, code, type_code = FAMILY[kind]
    extra = {3: code, 25: PREAUTH_CONDITION, 60: field60(type_code, batch, FINANCIAL_60_TAIL)}
    if kind is not MessageKind.PREAUTH:
        if original is None:
            raise EncodeError(f"a {kind.value} needs its original", field="61")
        auth = original.auth_code.strip()
        if len(auth) != 6:
            raise EncodeError(f"original auth code must be 6 characters, got {len(auth)}",
                              field="38")
        extra |= {38: auth, 61: original.field61()}
    return sale.replace(mti=mti, set=extra)


def family_kind(msg: Message) -> MessageKind | None:
    """The family kind a request or its 0400 belongs to (by F25, F3 and 60.1), or None."""
    if msg.get(25) != PREAUTH_CONDITION:
        return None
    type_code = (msg.get(60) or "")[:2]
    for kind, (_, code, family_type) in FAMILY.items():
        if msg.get(3) == code and type_code == family_type:
            return kind
    return None
