"""The money rules: what an online answer (or its absence) means, as one pure table.

Theory of operation
-------------------
The shell (:mod:`xpos.terminal.txn`) sends a request and describes what came back in
plain values, an :class:`Answer`: whether the host was reached (:class:`Reach`), the
response code (F39), the verdict of the integrity check (:class:`Check`: the MAC of a
0210/0110/0410; for a 0810 sign-on answer the key check values of the keys in F62) and
the host's re-sign-on flag (header digit 6 = ``3``). :func:`decide` looks the
``(request kind, answer)`` pair up in :data:`RULES` (exactly one row matches) and returns
a :class:`Decision`: the outcome the flow sees, what happens to the journal row, the
reason the pending reversal carries afterwards, and what happens to the working keys.
The shell only carries these effects out; it decides nothing.

Two rules sit on top of the table:

- **Re-sign-on.** Any answer to a MAC'd request (sale, void, voucher, reversal) with response
  code ``77`` or the header flag set drops the working keys, whatever its MAC: a host
  that lost the terminal's keys cannot MAC its answer, and a forged answer can at worst
  force a sign-on. The terminal then says 请先签到 until it signs on again.
- **Sign-on.** A sign-on that was sent and got no good answer (``00`` with keys that
  pass their check) drops the old working keys: the host may have changed them, and
  selling on with the old ones would only fail with A0 MAC errors.

After a reversal, :func:`after_reversal` says whether the terminal goes on, stops for
now, or gives the reversal up (after ``reversal_retries + 1`` counted attempts).

:func:`host_time` turns the host's F13 (MMDD) and F12 (hhmmss) into a date and time.

The table is :data:`RULES` below; ``render_rules()`` prints it as Markdown, and
docs/architecture.md ("Money rules") carries that rendering, kept in step by a test.
So "what happens when a 0410 comes back with a bad MAC" is one row: reversal,
answered, 00/12/25, bad/absent → bad_mac, the reversal stays pending with reason 06.
"""

from __future__ import annotations

import datetime as dt
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


_SIGN_ON = frozenset({Kind.SIGN_ON})
_MONEY = frozenset({Kind.SALE, Kind.VOID, Kind.VOUCHER})
_BOOKING = frozenset({Kind.SALE, Kind.VOUCHER})
_VOID = frozenset({Kind.VOID})
_REVERSAL = frozenset({Kind.REVERSAL})
_REFUND = frozenset({Kind.REFUND})
_BALANCE = frozenset({Kind.BALANCE})
_MACED = _MONEY | _REVERSAL | _REFUND | _BALANCE
_GOOD = frozenset({Check.OK})
_NOT_GOOD = frozenset({Check.BAD, Check.ABSENT})
_00 = frozenset({RcClass.APPROVED})
_TAKEN = frozenset({RcClass.APPROVED, RcClass.NO_ORIGINAL})
_77 = frozenset({RcClass.RESIGN})
_ANY_BUT_00 = frozenset(RcClass) - _00
_DECLINING = frozenset({RcClass.NO_ORIGINAL, RcClass.OTHER})
_REFUSING = frozenset({RcClass.OTHER})
_PREAUTH = frozenset({Kind.PREAUTH})
_LINKED = frozenset({Kind.PREAUTH_VOID, Kind.COMPLETION, Kind.COMPLETION_VOID})
_FAMILY = _PREAUTH | _LINKED
_MACED = _MACED | _FAMILY  # the pre-authorisation family is MAC'd (reference §1.4)
_O, _J, _R, _K = Outcome, JournalEffect, Reason, Keys
_ORDER_QUERY = frozenset({Kind.ORDER_QUERY})
_ORDER_PAID = frozenset({Kind.ORDER_PAID})
_PARTY = frozenset({Kind.PARTY_DEBIT})
_MACED = _MACED | _ORDER_QUERY | _ORDER_PAID | _PARTY

RULES: tuple[Rule, ...] = (
    # -- sign-on (0800/0810: not MAC'd; the check is the keys' KCVs) ---------------------
    Rule(kinds=_SIGN_ON, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_SIGN_ON, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_SIGN_ON, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.NONE, reversal=_R.NONE, keys=_K.INSTALL),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.ERROR, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP,
         notice=Notice.BAD_KEYS),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_ANY_BUT_00, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    # -- sale and void (0200/0210) and voucher (0100/0110) ----------------------------
    Rule(kinds=_MONEY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_BOOKING, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_VOID, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED_VOIDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- reversal (0400/0410) --------------------------------------------------------
    Rule(kinds=_REVERSAL, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_TAKEN, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.REVERSED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_TAKEN, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.R06, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.R06, keys=_K.DROP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_REFUSING, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.R06, keys=_K.KEEP),
    # -- pre-authorisation family (0100/0110, 0200/0210 with F25 06): reversible -------
    Rule(kinds=_FAMILY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PREAUTH, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_LINKED, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED_LINKED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 order query (0100/710000): moves no money, nothing journaled -----------------
    Rule(kinds=_ORDER_QUERY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 order-paid notice (0100/720000): journaled before it is sent, no reversal;
    #    sent again (idempotent) until the platform takes or refuses it ----------------
    Rule(kinds=_ORDER_PAID, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 third-party debit (0200/730000): money, exactly like a sale ----------------
    Rule(kinds=_PARTY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- refund (0220/0230): never reversed; no usable answer = outcome unknown ---------
    Rule(kinds=_REFUND, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REFUND, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- balance inquiry (0200/0210, 310000): moves no money, never reversed ------------
    Rule(kinds=_BALANCE, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.NO_REPLY),
    Rule(kinds=_BALANCE, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.BALANCE_BAD_MAC),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
)
"""The money rules. Every (kind, answer) matches exactly one row (a test checks)."""


def decide(kind: Kind, answer: Answer) -> Decision:
    """What to do about ``answer`` to a ``kind`` request (see the module docstring).

    Raises:
        LookupError: no row matches (impossible for the shipped table; a test checks
            every combination).
    """
    for rule in RULES:
        if rule.matches(kind, answer):
            keys = rule.keys
            if kind in _MACED and answer.reach is Reach.ANSWERED and answer.resign:
                keys = Keys.DROP
            return Decision(outcome=rule.outcome, journal=rule.journal,
                            reversal=rule.reversal, keys=keys, notice=rule.notice,
                            why=_why(kind, answer, rule.outcome, keys))
    raise LookupError(f"no money rule for {kind.value} {answer}")


def _why(kind: Kind, answer: Answer, outcome: Outcome, keys: Keys) -> str:
    """One accurate log line: what came back and why it counts as it does."""
    if answer.reach is not Reach.ANSWERED:
        text = {Reach.UNREACHABLE: "host unreachable, nothing sent",
                Reach.TIMEOUT: "no answer in time",
                Reach.MALFORMED: "malformed or mismatched answer"}[answer.reach]
    elif outcome in (Outcome.BAD_MAC, Outcome.ERROR):
        text = f"{_check_text(kind, answer.check)} (rc {answer.rc})"
    elif outcome is Outcome.DECLINED:
        text = f"refused with rc {answer.rc or '--'}"
    else:
        verb = "taken" if kind is Kind.REVERSAL else "approved"
        text = f"{verb} (rc {answer.rc}, {_check_text(kind, answer.check)})"
    if keys is Keys.DROP:
        cause = "re-sign-on flag" if answer.resign and kind in _MACED else ""
        text += f"; working keys dropped{f' ({cause})' if cause else ''}, sign on again"
    return f"{kind.value}: {text}"


def _check_text(kind: Kind, check: Check) -> str:
    what = "key check" if kind is Kind.SIGN_ON else "MAC"
    return {Check.OK: f"{what} good", Check.BAD: f"bad {what}",
            Check.ABSENT: f"{what} missing"}[check]


# -- after a reversal ----------------------------------------------------------------


class Next(enum.Enum):
    """What the terminal does after one reversal attempt."""

    GO_ON = "go on"
    """The reversal was taken: send the next one, then the transaction."""
    STOP = "stop"
    """Stop for now; the reversal stays queued and is retried next time."""
    GIVE_UP = "give up"
    """Too many attempts: drop the reversal, mark its original failed."""


@dataclass(frozen=True, kw_only=True)
class AfterReversal:
    """What follows a reversal attempt: the next move and the reply the flow sees."""

    next: Next
    outcome: Outcome | None = None
    notice: Notice | None = None


def after_reversal(decision: Decision, *, attempts: int, retries: int) -> AfterReversal:
    """The next move after a reversal attempt.

    Args:
        decision: :func:`decide` for the reversal's answer.
        attempts: Counted attempts so far, this one included.
        retries: ``reversal_retries`` (extra attempts before giving up).

    Returns:
        GO_ON when it was taken and the keys still stand; else STOP with the outcome the
        flow sees (not signed on when the keys were dropped, unreachable when nothing
        was sent, reversal pending), or GIVE_UP after ``retries + 1`` attempts.
    """
    if decision.keys is Keys.DROP:
        if decision.journal is JournalEffect.REVERSED:
            return AfterReversal(next=Next.STOP, outcome=Outcome.NOT_SIGNED_ON)
        return _not_taken(attempts, retries, Outcome.NOT_SIGNED_ON, None)
    if decision.journal is JournalEffect.REVERSED:
        return AfterReversal(next=Next.GO_ON)
    if decision.outcome is Outcome.UNREACHABLE:
        return AfterReversal(next=Next.STOP, outcome=Outcome.UNREACHABLE)
    return _not_taken(attempts, retries, Outcome.NO_RESPONSE, Notice.REVERSAL_PENDING)


def _not_taken(attempts: int, retries: int, outcome: Outcome,
               notice: Notice | None) -> AfterReversal:
    if attempts > retries:
        return AfterReversal(next=Next.GIVE_UP, outcome=Outcome.ERROR,
                             notice=Notice.REVERSAL_FAILED)
    return AfterReversal(next=Next.STOP, outcome=outcome, notice=notice)


# -- the host's date -----------------------------------------------------------------

_HALF_YEAR = dt.timedelta(days=183)


def host_time(local: dt.datetime, date: str | None, time: str | None) -> dt.datetime:
    """The host's time of a transaction (F13 MMDD + F12 hhmmss), else ``local``.

    The year is not on the wire: it is the local year, moved by one when that puts the
    date more than half a year from the local clock (New Year's Eve on either side).
    A missing or impossible date or time (29 February in a common year) gives ``local``.
    """
    if not date or not time or len(date) != 4 or len(time) != 6:
        return local
    if not (date + time).isdigit():
        return local
    try:
        when = local.replace(month=int(date[:2]), day=int(date[2:]), hour=int(time[:2]),
                             minute=int(time[2:4]), second=int(time[4:]), microsecond=0)
    except ValueError:
        return local
    return _nearest_year(when, local)


def _nearest_year(when: dt.datetime, local: dt.datetime) -> dt.datetime:
    try:
        if when - local > _HALF_YEAR:
            return when.replace(year=when.year - 1)
        if local - when > _HALF_YEAR:
            return when.replace(year=when.year + 1)
    except ValueError:
        return when
    return when


# -- rendering -----------------------------------------------------------------------


def render_rules() -> str:
    """The table as Markdown (one row per rule)."""
    head = ("| request | reached | rc | check | outcome | journal | reversal reason | keys |\n"
            "|---|---|---|---|---|---|---|---|")
    rows = [head]
    for rule in RULES:
        kinds = " / ".join(k.value for k in Kind if k in rule.kinds)
        rcs = "any" if rule.rcs is None else ", ".join(
            r.value for r in RcClass if r in rule.rcs)
        checks = "any" if rule.checks is None else " / ".join(
            c.value for c in Check if c in rule.checks)
        outcome = rule.outcome.value + (f" ({rule.notice.value})" if rule.notice else "")
        keys = rule.keys.value
        if rule.kinds & _MACED and rule.reach is Reach.ANSWERED and rule.keys is Keys.KEEP:
            keys = "keep (drop if re-sign flag)"
        rows.append(f"| {kinds} | {rule.reach.value} | {rcs} | {checks} | {outcome} | "
                    f"{rule.journal.value} | {rule.reversal.value} | {keys} |")
    return "\n".join(rows)

