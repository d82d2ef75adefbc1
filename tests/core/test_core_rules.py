"""The money rules, checked against every combination of request and answer.

The expected decision is written here a second time, as plain if/else over the written
rules (docs/architecture.md, "One sale" step 7 and "Money rules"), independently of the
table in xpos.core.rules, so a wrong row fails.
"""

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from xpos.core.flows.online import Notice, Outcome
from xpos.core.rules import (
    RULES,
    Answer,
    Check,
    Decision,
    JournalEffect,
    Keys,
    Kind,
    Next,
    Reach,
    Reason,
    after_reversal,
    decide,
    host_time,
    render_rules,
)

KINDS = list(Kind)
REACHES = list(Reach)
CODES = ["00", "51", "05", "12", "25", "77", "06", "96", ""]
CHECKS = list(Check)
FLAGS = [False, True]
ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def expected(kind: Kind, a: Answer) -> tuple[Outcome, JournalEffect, Reason, Keys, Notice | None]:
    """The written rules, restated."""
    answered = a.reach is Reach.ANSWERED
    if kind is Kind.SIGN_ON:
        if a.reach is Reach.UNREACHABLE:
            return Outcome.UNREACHABLE, JournalEffect.NONE, Reason.NONE, Keys.KEEP, None
        if not answered:
            outcome = Outcome.NO_RESPONSE if a.reach is Reach.TIMEOUT else Outcome.REJECTED
            return outcome, JournalEffect.NONE, Reason.NONE, Keys.DROP, None
        if a.rc != "00":
            return Outcome.DECLINED, JournalEffect.NONE, Reason.NONE, Keys.DROP, None
        if a.check is not Check.OK:
            return Outcome.ERROR, JournalEffect.NONE, Reason.NONE, Keys.DROP, Notice.BAD_KEYS
        return Outcome.APPROVED, JournalEffect.NONE, Reason.NONE, Keys.INSTALL, None
    keys = Keys.DROP if answered and (a.resign or a.rc == "77") else Keys.KEEP
    if kind in (Kind.ORDER_QUERY, Kind.ORDER_PAID):
        return _expected_order(kind, a, keys)
    if kind is Kind.VOUCHER_QUERY:  # X1: a query journals nothing, like X2's
        return _expected_order(Kind.ORDER_QUERY, a, keys)
    if kind is Kind.REVERSAL:
        if not answered:
            outcome = {Reach.UNREACHABLE: Outcome.UNREACHABLE, Reach.TIMEOUT: Outcome.NO_RESPONSE,
                       Reach.MALFORMED: Outcome.REJECTED}[a.reach]
            return outcome, JournalEffect.PENDING, Reason.KEEP, keys, None
        if a.rc in ("00", "12", "25"):
            if a.check is Check.OK:
                return Outcome.APPROVED, JournalEffect.REVERSED, Reason.NONE, keys, None
            return Outcome.BAD_MAC, JournalEffect.PENDING, Reason.R06, keys, None
        return Outcome.DECLINED, JournalEffect.PENDING, Reason.R06, keys, None
    if kind in (Kind.REFUND, Kind.BALANCE):
        return _never_reversed(kind, a, keys)
    if a.reach is Reach.UNREACHABLE:
        return Outcome.UNREACHABLE, JournalEffect.FAILED, Reason.NONE, keys, None
    if a.reach is Reach.TIMEOUT:
        return Outcome.NO_RESPONSE, JournalEffect.PENDING, Reason.R98, keys, None
    if a.reach is Reach.MALFORMED:
        return Outcome.REJECTED, JournalEffect.PENDING, Reason.R98, keys, None
    if a.rc != "00":
        return Outcome.DECLINED, JournalEffect.DECLINED, Reason.NONE, keys, None
    if a.check is Check.OK:
        booked = JournalEffect.APPROVED_VOIDING if kind is Kind.VOID else JournalEffect.APPROVED
        if kind in (Kind.PREAUTH_VOID, Kind.COMPLETION, Kind.COMPLETION_VOID,
                    Kind.VOUCHER_VOID):
            booked = JournalEffect.APPROVED_LINKED
        return Outcome.APPROVED, booked, Reason.NONE, keys, None
    return Outcome.BAD_MAC, JournalEffect.PENDING, Reason.A0, keys, None


def _expected_order(kind: Kind, a: Answer,
                    keys: Keys) -> tuple[Outcome, JournalEffect, Reason, Keys, Notice | None]:
    """X2: a query journals nothing; an order-paid notice stays pending (sent again later)
    until the platform answers it, 00 with a good MAC approves it, a refusal declines it."""
    outcome = {Reach.UNREACHABLE: Outcome.UNREACHABLE, Reach.TIMEOUT: Outcome.NO_RESPONSE,
               Reach.MALFORMED: Outcome.REJECTED}.get(a.reach)
    if outcome is None:
        if a.rc != "00":
            outcome = Outcome.DECLINED
        else:
            outcome = Outcome.APPROVED if a.check is Check.OK else Outcome.BAD_MAC
    if kind is Kind.ORDER_QUERY:
        return outcome, JournalEffect.NONE, Reason.NONE, keys, None
    journal = JournalEffect.PENDING
    if outcome is Outcome.APPROVED:
        journal = JournalEffect.APPROVED
    elif outcome is Outcome.DECLINED and a.rc != "77":
        journal = JournalEffect.DECLINED
    return outcome, journal, Reason.NONE, keys, None


def _never_reversed(kind: Kind, a: Answer,
                    keys: Keys) -> tuple[Outcome, JournalEffect, Reason, Keys, Notice | None]:
    """Refund and balance (reference §1.6): no reversal whatever comes back. A refund
    without a usable answer stays pending, its outcome unknown; a balance inquiry moves no
    money, so it just fails."""
    refund = kind is Kind.REFUND
    unusable = JournalEffect.UNKNOWN if refund else JournalEffect.FAILED
    if a.reach is Reach.UNREACHABLE:
        return Outcome.UNREACHABLE, JournalEffect.FAILED, Reason.NONE, keys, None
    if a.reach is Reach.TIMEOUT:
        notice = Notice.REFUND_UNKNOWN if refund else Notice.NO_REPLY
        return Outcome.NO_RESPONSE, unusable, Reason.NONE, keys, notice
    if a.reach is Reach.MALFORMED:
        return (Outcome.REJECTED, unusable, Reason.NONE, keys,
                Notice.REFUND_UNKNOWN if refund else None)
    if a.rc != "00":
        return Outcome.DECLINED, JournalEffect.DECLINED, Reason.NONE, keys, None
    if a.check is Check.OK:
        return Outcome.APPROVED, JournalEffect.APPROVED, Reason.NONE, keys, None
    notice = Notice.REFUND_UNKNOWN if refund else Notice.BALANCE_BAD_MAC
    return Outcome.BAD_MAC, unusable, Reason.NONE, keys, notice


COMBINATIONS = [
    (kind, Answer(reach=reach, rc=rc, check=check, resign=flag))
    for kind, reach, rc, check, flag in itertools.product(KINDS, REACHES, CODES, CHECKS, FLAGS)
]


def _summary(d: Decision) -> tuple[Outcome, JournalEffect, Reason, Keys, Notice | None]:
    return d.outcome, d.journal, d.reversal, d.keys, d.notice


def test_every_combination_decides_as_written() -> None:
    assert len(COMBINATIONS) == len(KINDS) * 4 * 9 * 3 * 2 and len(KINDS) >= 9
    wrong = [(kind, answer, _summary(decide(kind, answer)), expected(kind, answer))
             for kind, answer in COMBINATIONS
             if _summary(decide(kind, answer)) != expected(kind, answer)]
    assert wrong == []


def test_exactly_one_row_matches_each_combination_and_every_row_is_used() -> None:
    used: set[int] = set()
    for kind, answer in COMBINATIONS:
        rows = [i for i, rule in enumerate(RULES) if rule.matches(kind, answer)]
        assert len(rows) == 1, (kind, answer, rows)
        used.update(rows)
    assert used == set(range(len(RULES)))


# -- the defects, one by one ---------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.SALE, Kind.VOID, Kind.VOUCHER, Kind.REVERSAL,
                                  Kind.PREAUTH, Kind.PREAUTH_VOID, Kind.COMPLETION,
                                  Kind.COMPLETION_VOID,
                                  Kind.ORDER_QUERY, Kind.ORDER_PAID, Kind.PARTY_DEBIT,
                                  Kind.REFUND, Kind.BALANCE, Kind.VOUCHER_QUERY,
                                  Kind.VOUCHER_VOID])
@pytest.mark.parametrize("check", list(Check))
def test_resign_code_77_drops_the_keys_on_every_maced_answer(kind: Kind, check: Check) -> None:
    assert decide(kind, Answer(reach=Reach.ANSWERED, rc="77", check=check)).keys is Keys.DROP


@pytest.mark.parametrize("kind", [Kind.SALE, Kind.VOID, Kind.VOUCHER, Kind.REVERSAL,
                                  Kind.PREAUTH, Kind.PREAUTH_VOID, Kind.COMPLETION,
                                  Kind.COMPLETION_VOID,
                                  Kind.ORDER_QUERY, Kind.ORDER_PAID, Kind.PARTY_DEBIT,
                                  Kind.REFUND, Kind.BALANCE])
@pytest.mark.parametrize("rc", ["00", "12", "51"])
def test_resign_flag_drops_the_keys_on_every_maced_answer(kind: Kind, rc: str) -> None:
    answer = Answer(reach=Reach.ANSWERED, rc=rc, check=Check.OK, resign=True)
    assert decide(kind, answer).keys is Keys.DROP
    assert decide(kind, Answer(reach=Reach.ANSWERED, rc=rc, check=Check.OK)).keys is Keys.KEEP


def test_a_0410_taken_with_the_resign_flag_stops_with_not_signed_on() -> None:
    answer = Answer(reach=Reach.ANSWERED, rc="00", check=Check.OK, resign=True)
    decision = decide(Kind.REVERSAL, answer)
    assert decision.journal is JournalEffect.REVERSED
    after = after_reversal(decision, attempts=1, retries=2)
    assert (after.next, after.outcome) == (Next.STOP, Outcome.NOT_SIGNED_ON)


@pytest.mark.parametrize("reach", [Reach.TIMEOUT, Reach.MALFORMED])
def test_a_sent_sign_on_without_an_answer_drops_the_old_keys(reach: Reach) -> None:
    assert decide(Kind.SIGN_ON, Answer(reach=reach)).keys is Keys.DROP


def test_a_sign_on_that_never_left_keeps_the_old_keys() -> None:
    assert decide(Kind.SIGN_ON, Answer(reach=Reach.UNREACHABLE)).keys is Keys.KEEP


@pytest.mark.parametrize(("rc", "check", "text"), [
    ("00", Check.BAD, "bad MAC (rc 00)"),
    ("25", Check.ABSENT, "MAC missing (rc 25)"),
    ("96", Check.OK, "refused with rc 96"),
    ("96", Check.BAD, "refused with rc 96"),
])
def test_the_reversal_log_line_gives_the_true_reason(rc: str, check: Check, text: str) -> None:
    why = decide(Kind.REVERSAL, Answer(reach=Reach.ANSWERED, rc=rc, check=check)).why
    assert text in why
    assert ("refused" in why) == (rc == "96")


def test_log_lines_say_when_the_keys_go() -> None:
    why = decide(Kind.SALE, Answer(reach=Reach.ANSWERED, rc="77", check=Check.OK)).why
    assert why == "sale: refused with rc 77; working keys dropped, sign on again"
    assert decide(Kind.SALE, Answer(reach=Reach.TIMEOUT)).why == "sale: no answer in time"
    flagged = Answer(reach=Reach.ANSWERED, rc="00", check=Check.OK, resign=True)
    assert decide(Kind.REVERSAL, flagged).why == (
        "reversal: taken (rc 00, MAC good); working keys dropped (re-sign-on flag), "
        "sign on again")


# -- after a reversal ------------------------------------------------------------------

def _reversal(rc: str, check: Check = Check.OK, reach: Reach = Reach.ANSWERED) -> Decision:
    return decide(Kind.REVERSAL, Answer(reach=reach, rc=rc, check=check))


@pytest.mark.parametrize(("decision", "attempts", "retries", "next_", "outcome", "notice"), [
    (_reversal("00"), 3, 0, Next.GO_ON, None, None),
    (_reversal("25"), 1, 2, Next.GO_ON, None, None),
    (_reversal("96"), 1, 2, Next.STOP, Outcome.NO_RESPONSE, Notice.REVERSAL_PENDING),
    (_reversal("00", Check.BAD), 3, 3, Next.STOP, Outcome.NO_RESPONSE, Notice.REVERSAL_PENDING),
    (_reversal("96"), 3, 2, Next.GIVE_UP, Outcome.ERROR, Notice.REVERSAL_FAILED),
    (_reversal("", reach=Reach.TIMEOUT), 1, 0, Next.GIVE_UP, Outcome.ERROR,
     Notice.REVERSAL_FAILED),
    (_reversal("", reach=Reach.UNREACHABLE), 5, 0, Next.STOP, Outcome.UNREACHABLE, None),
    (_reversal("77"), 1, 2, Next.STOP, Outcome.NOT_SIGNED_ON, None),
    (_reversal("77"), 3, 2, Next.GIVE_UP, Outcome.ERROR, Notice.REVERSAL_FAILED),
])
def test_after_a_reversal(decision: Decision, attempts: int, retries: int, next_: Next,
                          outcome: Outcome | None, notice: Notice | None) -> None:
    after = after_reversal(decision, attempts=attempts, retries=retries)
    assert (after.next, after.outcome, after.notice) == (next_, outcome, notice)


# -- the host's date ---------------------------------------------------------------------

LOCAL = dt.datetime(2026, 6, 15, 12, 0, 0, 123)


@pytest.mark.parametrize(("local", "date", "time", "want"), [
    (LOCAL, "0615", "120501", dt.datetime(2026, 6, 15, 12, 5, 1)),
    (dt.datetime(2027, 1, 1, 0, 0, 5), "1231", "235959", dt.datetime(2026, 12, 31, 23, 59, 59)),
    (dt.datetime(2026, 12, 31, 23, 59, 59), "0101", "000003", dt.datetime(2027, 1, 1, 0, 0, 3)),
    (dt.datetime(2024, 3, 1, 0, 0, 5), "0229", "235959", dt.datetime(2024, 2, 29, 23, 59, 59)),
    (dt.datetime(2025, 3, 1, 10, 0), "0229", "093000", dt.datetime(2025, 3, 1, 10, 0)),
    (LOCAL, "1332", "120000", LOCAL),
    (LOCAL, "0615", "2561xx", LOCAL),
    (LOCAL, None, "120000", LOCAL),
    (LOCAL, "0615", None, LOCAL),
    (LOCAL, "615", "120000", LOCAL),
])
def test_host_time_takes_the_nearest_year(local: dt.datetime, date: str | None,
                                          time: str | None, want: dt.datetime) -> None:
    assert host_time(local, date, time) == want


# -- the table in the docs -----------------------------------------------------------------

def test_the_documented_table_is_the_table() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    found = re.search(r"<!-- rules:begin -->\n(.*?)\n<!-- rules:end -->", text, re.S)
    assert found, "docs/architecture.md lacks the rules table markers"
    assert found.group(1) == render_rules()


def test_the_rendering_has_one_row_per_rule() -> None:
    assert len(render_rules().splitlines()) == len(RULES) + 2


def test_only_an_approved_void_with_a_good_mac_voids_its_original() -> None:
    voiding = [(kind, answer) for kind, answer in COMBINATIONS
               if decide(kind, answer).journal is JournalEffect.APPROVED_VOIDING]
    assert voiding and all(kind is Kind.VOID for kind, _ in voiding)
    assert all((a.rc, a.check) == ("00", Check.OK) for _, a in voiding)
    sale = decide(Kind.SALE, Answer(reach=Reach.ANSWERED, rc="00", check=Check.OK))
    assert sale.journal is JournalEffect.APPROVED


@pytest.mark.parametrize("reach", [Reach.TIMEOUT, Reach.MALFORMED])
def test_a_void_without_a_usable_answer_is_reversed_like_a_sale(reach: Reach) -> None:
    void = decide(Kind.VOID, Answer(reach=reach))
    assert (void.journal, void.reversal) == (JournalEffect.PENDING, Reason.R98)
    bad_mac = decide(Kind.VOID, Answer(reach=Reach.ANSWERED, rc="00", check=Check.BAD))
    assert (bad_mac.outcome, bad_mac.reversal) == (Outcome.BAD_MAC, Reason.A0)


@pytest.mark.parametrize("kind", [Kind.REFUND, Kind.BALANCE])
@pytest.mark.parametrize("answer", [Answer(reach=r) for r in Reach]
                         + [Answer(reach=Reach.ANSWERED, rc=rc, check=c)
                            for rc in CODES for c in Check])
def test_refund_and_balance_never_leave_a_reversal(kind: Kind, answer: Answer) -> None:
    assert decide(kind, answer).reversal is Reason.NONE


@pytest.mark.parametrize("reach", [Reach.TIMEOUT, Reach.MALFORMED])
def test_a_refund_without_an_answer_is_unknown_not_reversed(reach: Reach) -> None:
    decision = decide(Kind.REFUND, Answer(reach=reach))
    assert decision.journal is JournalEffect.UNKNOWN
    assert decision.notice is Notice.REFUND_UNKNOWN
    sale = decide(Kind.SALE, Answer(reach=reach))
    assert sale.reversal is Reason.R98
