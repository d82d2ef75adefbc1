"""What the pre-authorisation flows ask of the runtime (see :mod:`.online`).

``kind`` is one of :data:`PREAUTH_KINDS`, the journal's names for the family (the
values of :class:`xpos.core.rules.Kind` for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xpos.model import CardData

PREAUTH = "preauth"
PREAUTH_VOID = "preauth_void"
COMPLETION = "completion"
COMPLETION_VOID = "completion_void"
PREAUTH_KINDS = (PREAUTH, PREAUTH_VOID, COMPLETION, COMPLETION_VOID)
"""预授权, 预授权撤销, 预授权完成, 预授权完成撤销."""


@dataclass(frozen=True, kw_only=True)
class PreauthRef:
    """The original a pre-auth void, completion or completion void refers to.

    Either ``stan`` (found in the journal: the runtime takes auth code, date, batch and
    card from there) or ``auth_code`` + ``date`` keyed from the original slip.

    Attributes:
        stan: The original's trace number in the journal, or 0.
        auth_code: Keyed auth code (6 characters), when ``stan`` is 0.
        date: Keyed date MMDD, when ``stan`` is 0.
    """

    stan: int = 0
    auth_code: str = ""
    date: str = ""


@dataclass(frozen=True, kw_only=True)
class PreauthLookup:
    """Find the original of a ``kind`` request by trace number; answered from the journal.

    ``APPROVED`` with the original's stan, batch, masked_pan, amount, when and
    auth_code when it may be used; else ``DECLINED`` with a ``PREAUTH_*`` notice
    (unknown, not a pre-auth / completion, not approved, voided, completed, other
    batch).

    Attributes:
        kind: ``preauth_void``, ``completion`` or ``completion_void``.
        stan: The original's trace number.
    """

    kind: str
    stan: int


@dataclass(frozen=True, kw_only=True)
class PreauthRequest:
    """One request of the family, journaled with its reversal before it is sent.

    Attributes:
        kind: One of :data:`PREAUTH_KINDS`.
        amount: In fen (a void's is the original's; a completion's at most the hold).
        card: The swiped card.
        pin_block: The encrypted PIN block, or ``None`` without PIN.
        original: Required for every kind but ``preauth``.
    """

    kind: str
    amount: int
    card: CardData
    pin_block: bytes | None = field(repr=False)
    original: PreauthRef | None = None
