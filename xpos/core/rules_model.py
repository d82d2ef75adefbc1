"""The vocabulary of the money rules (:mod:`xpos.core.rules`): request kinds, what came
back (:class:`Answer`), what to do about it (:class:`Decision`) and one table row
(:class:`Rule`). The table itself is :mod:`xpos.core.rules_table`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from xpos.core.flows.online import Notice, Outcome
from xpos.model.iso import ReversalReason


class Kind(enum.Enum):
    """Which request the answer belongs to."""

    SIGN_ON = "sign-on"
    SALE = "sale"
    VOID = "void"
    VOUCHER = "voucher"
    REVERSAL = "reversal"
    PREAUTH = "preauth"
    PREAUTH_VOID = "preauth_void"
    COMPLETION = "completion"
    COMPLETION_VOID = "completion_void"
    ORDER_QUERY = "order query"
    ORDER_PAID = "order paid"
    PARTY_DEBIT = "third-party debit"
    REFUND = "refund"
    BALANCE = "balance"
    VOUCHER_QUERY = "voucher query"
    VOUCHER_VOID = "voucher_void"


class Reach(enum.Enum):
    """Whether the request reached the host and was answered."""

    ANSWERED = "answered"
    """A well-formed answer that matches the request."""
    UNREACHABLE = "unreachable"
    """Nothing was sent: no host address could be reached."""
    TIMEOUT = "timeout"
    """Sent, no answer in time."""
    MALFORMED = "malformed"
    """Sent; the answer was malformed, truncated or did not match the request."""


class Check(enum.Enum):
    """Verdict of the answer's integrity check (MAC; KCVs for a sign-on answer)."""

    OK = "ok"
    BAD = "bad"
    ABSENT = "absent"


class JournalEffect(enum.Enum):
    """What happens to the journal row of the request."""

    NONE = "-"
    """Nothing is journaled (sign-on)."""
    APPROVED = "approved"
    """The row becomes approved and its reversal is deleted, in one transaction."""
    APPROVED_VOIDING = "approved, original voided"
    """A void: as APPROVED, and the original sale is marked voided in the same transaction."""
    DECLINED = "declined"
    """The row becomes declined and its reversal is deleted, in one transaction."""
    FAILED = "failed"
    """Nothing was sent: the row fails and its reversal is dropped."""
    APPROVED_LINKED = "approved, original marked"
    """Pre-auth void / completion / completion void: as APPROVED, and the original found
    in the journal is marked (hold released / completed / completion voided) in the same
    transaction."""
    PENDING = "pending"
    """The row stays pending; its reversal stays queued."""
    REVERSED = "reversed"
    """A reversal was taken: it leaves the queue and its original becomes reversed."""
    UNKNOWN = "unknown (stays pending, no reversal)"
    """A refund without a usable answer: never reversed (reference §1.6); the row stays
    pending with its outcome unknown, for the merchant to check with the acquirer."""


class Reason(enum.Enum):
    """The reason (F39) the pending reversal carries afterwards."""

    NONE = "-"
    """No reversal is left (or there never was one)."""
    KEEP = "unchanged"
    """The reversal stays with the reason it had."""
    R98 = ReversalReason.TIMEOUT.value
    """No (usable) answer to the original."""
    A0 = ReversalReason.BAD_MAC.value
    """Approved with a bad or missing MAC (F38 gets the auth code received)."""
    R06 = ReversalReason.OTHER.value
    """A reversal that the host answered but did not take."""


class Keys(enum.Enum):
    """What happens to the working keys."""

    KEEP = "keep"
    INSTALL = "install"
    """A good sign-on: the new keys replace the old."""
    DROP = "drop"
    """The terminal is no longer signed on."""


class RcClass(enum.Enum):
    """Response codes as the rules see them."""

    APPROVED = "00"
    NO_ORIGINAL = "12/25"
    """Invalid transaction / no such original: to a reversal, nothing is left to undo."""
    RESIGN = "77"
    """Sign on again."""
    OTHER = "other"

    @classmethod
    def of(cls, rc: str) -> RcClass:
        """The class of a response code."""
        if rc == "00":
            return cls.APPROVED
        if rc in ("12", "25"):
            return cls.NO_ORIGINAL
        return cls.RESIGN if rc == "77" else cls.OTHER


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What came back for a request, in plain values.

    Attributes:
        reach: Whether the host was reached and answered.
        rc: Field 39 ("" when not answered).
        check: The MAC verdict (for a sign-on: the check of the keys in F62).
        resign: The header's re-sign-on flag (digit 6 = ``3``).
    """

    reach: Reach
    rc: str = ""
    check: Check = Check.ABSENT
    resign: bool = False


@dataclass(frozen=True, kw_only=True)
class Decision:
    """What to do about an answer.

    Attributes:
        outcome: What the flow is told.
        journal: What happens to the request's journal row.
        reversal: The reason the pending reversal carries afterwards.
        keys: What happens to the working keys.
        notice: The text shown instead of the generic outcome text, if any.
        why: One accurate line for the log.
    """

    outcome: Outcome
    journal: JournalEffect
    reversal: Reason
    keys: Keys
    notice: Notice | None = None
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One row of :data:`RULES`: a pattern over (kind, answer) and its decision.

    ``None`` in ``rcs`` or ``checks`` means "any".
    """

    kinds: frozenset[Kind]
    reach: Reach
    rcs: frozenset[RcClass] | None
    checks: frozenset[Check] | None
    outcome: Outcome
    journal: JournalEffect
    reversal: Reason
    keys: Keys
    notice: Notice | None = None

    def matches(self, kind: Kind, answer: Answer) -> bool:
        """True when this row applies."""
        return (kind in self.kinds and answer.reach is self.reach
                and (self.rcs is None or RcClass.of(answer.rc) in self.rcs)
                and (self.checks is None or answer.check in self.checks))
