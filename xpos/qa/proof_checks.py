"""The proof checks as pure functions: what was seen in, a problem text out (``""``: ok).

Message fields that carry card data or a PIN block (:data:`SECRET_FIELDS`) are only
ever reported as present or absent, never by value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xpos.journal import Journal
from xpos.journal.records import TxnRecord
from xpos.proto.codec import Message
from xpos.qa.model import masked
from xpos.qa.proof_model import ExpectOrderStep
from xpos.qa.proof_parse import SECRET_FIELDS


def pick(items: Sequence[Any], which: int) -> Any | None:
    """Item ``which`` (1-based; -1 the newest) of ``items``, or None if there is none."""
    if which == -1:
        return items[-1] if items else None
    return items[which - 1] if len(items) >= which else None


def ordinal(which: int) -> str:
    """``last``, ``1st``, ``2nd`` … for reports."""
    if which == -1:
        return "last"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(which if which < 20 else which % 10, "th")
    return f"{which}{suffix}"


def field_problems(message: Message | None, fields: Sequence[tuple[int, str]],
                   side: str) -> list[str]:
    """What differs between ``message``'s fields and the expected ones."""
    if not fields:
        return []
    if message is None:
        return [f"no {side} came, so its fields {', '.join(str(n) for n, _ in fields)} "
                f"cannot be checked"]
    problems = []
    for number, want in fields:
        value = message.get(number)
        shown = "absent" if value is None else (
            "present" if number in SECRET_FIELDS else repr(masked(value)))
        if want == "none":
            ok = value is None
        elif want == "present":
            ok = value is not None
        else:
            ok = value == want
        if not ok:
            problems.append(f"{side} field {number} is {shown}, expected "
                            f"{want if want in ('none', 'present') else repr(want)}")
    return problems


def order_problem(step: ExpectOrderStep, sent: Sequence[tuple[str, Message,
                                                              Message | None]]) -> str:
    """Whether the requests ``sent`` (kind, request, response) show ``step.sent`` in order."""
    names = [f"{kind} {request.mti}" for kind, request, _ in sent]

    def matches(item: str, entry: tuple[str, Message, Message | None]) -> bool:
        kind, request, response = entry
        return item in (kind, request.mti, response.mti if response else "")

    if step.exactly:
        ok = len(sent) == len(step.sent) and all(
            matches(item, entry) for item, entry in zip(step.sent, sent, strict=False))
    else:
        position = 0
        for entry in sent:
            if position < len(step.sent) and matches(step.sent[position], entry):
                position += 1
        ok = position == len(step.sent)
    if ok:
        return ""
    how = "exactly" if step.exactly else "in this order"
    return (f"expected the requests {how}: {', '.join(step.sent)}; sent (oldest first): "
            f"{', '.join(names) or 'nothing'}")


def journal_seen(record: TxnRecord) -> dict[str, Any]:
    """The checkable fields of a journal row."""
    return {"type": record.kind, "status": record.status.value, "amount": record.amount,
            "response_code": record.rc or "none", "masked_pan": record.masked_pan,
            "domain": record.domain, "batch": record.batch}


def journal_row_problems(row: Sequence[tuple[str, Any]], journal: Journal) -> list[str]:
    """Problems with the journal row of a trace number (``row`` starts with the trace)."""
    checks = dict(row)
    trace = checks.pop("trace")
    batch = checks.get("batch")
    record = journal.by_stan(trace, batch)
    if record is None:
        traces = ", ".join(f"{r.stan:06d} {r.kind}" for r in journal.transactions()) or "none"
        return [f"no transaction with trace {trace:06d}" + (
            f" in batch {batch}" if batch is not None else "") + f" (journal: {traces})"]
    seen = journal_seen(record)
    pending = journal.pending_reversal()
    seen["reversal"] = ("pending" if pending is not None and pending.txn_id == record.id
                        else "done" if record.status.value == "reversed" else "none")
    return [f"trace {trace:06d}: {key} is {seen[key]!r}, expected {value!r}"
            for key, value in checks.items() if seen[key] != value]


def job_problems(count: int | None, job: int | None, jobs: Sequence[str]) -> list[str]:
    """Problems with the number of print jobs, or with the job to check being missing."""
    problems = []
    if count is not None and len(jobs) != count:
        problems.append(f"{len(jobs)} print job(s), expected {count}")
    if job is not None and pick(jobs, job) is None:
        problems.append(f"there is no print job {ordinal(job)} ({len(jobs)} printed)")
    return problems


def shown_problem(text: str, screens: Sequence[tuple[str, ...]]) -> str:
    """Whether ``text`` was on any screen: the first one that showed it, else ``""``."""
    for number, screen in enumerate(screens, 1):
        joined = "\n".join(screen)
        if text in joined:
            body = "\n".join("  | " + line for line in screen)
            return (f"the screen showed {masked(text)!r} (screen {number} of "
                    f"{len(screens)}):\n{body}")
    return ""
