"""The ``expect_*`` checks as pure functions: what was seen in, a problem text out.

Problem texts quote what was expected and what was there, with any long digit run
(a PAN written into ``not_contains``) masked, so a report never spreads a card number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xpos.errors import XposError
from xpos.journal import Journal
from xpos.proto.catalogue import classify
from xpos.proto.codec import Message
from xpos.proto.session import correlation_key
from xpos.qa import proof_checks
from xpos.qa.model import (
    ExpectHostStep,
    ExpectJournalStep,
    ExpectReceiptStep,
    ExpectScreenStep,
    masked,
)


def screen_matches(step: ExpectScreenStep, screen: str) -> bool:
    """Whether ``screen`` satisfies the step (``absent`` inverts it)."""
    if step.regex is not None:
        found = step.regex.search(screen) is not None
    else:
        found = (step.text or "") in screen
    return found != step.absent


def check_receipt(step: ExpectReceiptStep, printed: str,
                  jobs: Sequence[str] = ()) -> list[str]:
    """Problems with the text printed so far (empty when the step passes).

    ``jobs`` are the print jobs decoded one by one (for ``jobs`` / ``job``).
    """
    problems = proof_checks.job_problems(step.jobs, step.job, jobs)
    if step.job is not None:
        printed = proof_checks.pick(jobs, step.job) or ""
    problems += [_missing(text) for text in step.contains if text not in printed]
    problems += [f"the receipts contain {masked(text)!r}, which they must not"
                 for text in step.not_contains if text in printed]
    return problems


def _missing(text: str) -> str:
    shown = masked(text)
    if shown == text:
        return f"the receipts do not contain {text!r}"
    return (f"the receipts do not contain the expected text: it holds a full card number, "
            f"which X-POS never prints (expect the masked form, e.g. {shown!r})")


@dataclass(frozen=True)
class Exchange:
    """One request to the host and its response (None when none came)."""

    kind: str
    request: Message
    response: Message | None


def exchanges(messages: Sequence[tuple[str, Message]]) -> list[Exchange]:
    """Pair each request with its response (the session's correlation key), in order."""
    pairs: list[Exchange] = []
    for index, (direction, request) in enumerate(messages):
        if direction != "→host":
            continue
        try:
            kind = classify(request).value
        except XposError:
            continue
        key = correlation_key(request)
        response = next((m for d, m in messages[index + 1:]
                         if d == "←host" and correlation_key(m) == key), None)
        pairs.append(Exchange(kind=kind, request=request, response=response))
    return pairs


def check_host(step: ExpectHostStep, messages: Sequence[tuple[str, Message]]) -> str:
    """The problem with the host traffic, or ``""`` when the step passes."""
    pairs = exchanges(messages)
    checks = dict(step.checks)
    mine = [p for p in pairs if p.kind == step.message or (not step.message and checks["mti"] in (
        p.request.mti, p.response.mti if p.response else ""))]
    what = step.message or checks.get("mti", "")
    if "count" in checks and len(mine) != checks["count"]:
        return (f"expected {checks['count']} {what} request(s), found {len(mine)}; "
                f"sent: {_kinds(pairs)}")
    last = proof_checks.pick(mine, step.which)
    if last is None:
        if checks.get("count") == 0:
            return ""
        if mine:
            return f"there is no {proof_checks.ordinal(step.which)} {what} request: " \
                   f"{len(mine)} sent; sent: {_kinds(pairs)}"
        return f"no {what} request was sent; sent: {_kinds(pairs)}"
    problems: list[str] = proof_checks.field_problems(last.request, step.fields, "request")
    problems += proof_checks.field_problems(last.response, step.response_fields, "response")
    if "response_code" in checks:
        code = "none" if last.response is None else (last.response.get(39) or "none")
        if code != checks["response_code"]:
            problems.append(f"response code {code}, expected {checks['response_code']}")
    if "amount" in checks:
        amount = int(last.request.get(4) or 0)
        if amount != checks["amount"]:
            problems.append(f"amount {amount}, expected {checks['amount']}")
    if "mti" in checks:
        mtis = {last.request.mti, *([last.response.mti] if last.response else [])}
        if checks["mti"] not in mtis:
            problems.append(f"MTI {'/'.join(sorted(mtis))}, expected {checks['mti']}")
    if problems:
        return (f"the {proof_checks.ordinal(step.which)} {what} exchange has "
                + ", ".join(problems))
    return ""


def check_journal(step: ExpectJournalStep, journal: Journal) -> str:
    """The problem with the journal, or ``""`` when the step passes."""
    problems: list[str] = []
    if step.count is not None:
        count = len(journal.transactions())
        if count != step.count:
            problems.append(f"{count} transactions, expected {step.count}")
    if step.pending_reversal is not None:
        pending = journal.pending_reversal() is not None
        if pending != step.pending_reversal:
            problems.append("a reversal is pending" if pending else "no reversal is pending")
    if step.last:
        record = journal.last()
        if record is None:
            problems.append("the journal has no transaction")
        else:
            seen = proof_checks.journal_seen(record)
            problems += [f"last.{key} is {seen[key]!r}, expected {value!r}"
                         for key, value in step.last if seen[key] != value]
    if step.row:
        problems += proof_checks.journal_row_problems(step.row, journal)
    return "journal: " + "; ".join(problems) if problems else ""


def _kinds(pairs: Sequence[Exchange]) -> str:
    return ", ".join(p.kind for p in pairs) or "nothing"
