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

The table is :data:`RULES` (in :mod:`xpos.core.rules_table`, its vocabulary in
:mod:`xpos.core.rules_model`); ``render_rules()`` prints it as Markdown, and
docs/architecture.md ("Money rules") carries that rendering, kept in step by a test.
So "what happens when a 0410 comes back with a bad MAC" is one row: reversal,
answered, 00/12/25, bad/absent → bad_mac, the reversal stays pending with reason 06.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from xpos.core.flows.online import Notice, Outcome
from xpos.core.rules_model import (
    Answer,
    Check,
    Decision,
    JournalEffect,
    Keys,
    Kind,
    RcClass,
    Reach,
    Reason,
    Rule,
)
from xpos.core.rules_table import MACED as _MACED
from xpos.core.rules_table import RULES

__all__ = [
    "RULES", "AfterReversal", "Answer", "Check", "Decision", "JournalEffect", "Keys", "Kind",
    "Next", "RcClass", "Reach", "Reason", "Rule", "after_reversal", "decide", "host_time",
    "render_rules",
]
"""The public names: the table's vocabulary (:mod:`xpos.core.rules_model`) and rows
(:mod:`xpos.core.rules_table`) are re-exported from here."""


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

