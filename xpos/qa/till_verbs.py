"""The till verbs: ``till`` sends a cash-register (ECR) request, ``expect_till`` checks
the answer (docs/qa.md, "Till (ECR)"; rows in :data:`xpos.qa.verbs.REGISTRY`).

A scenario with a ``till`` step runs on a rig with an in-memory ECR port
(``TerminalRig(till=True)``): the terminal's idle loop is the ECR service, as in
``xpos run`` with ``ecr`` set. ``till`` waits for the terminal's ACK; ``expect_till``
waits (on simulated time, like every expectation) for the response frame, ACKs it and
compares the fields asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from dataclasses import dataclass, replace

from xpos.errors import DeviceError
from xpos.model import format_fen, mask_pan
from xpos.proto.ecr import EcrRequest, EcrResponse, Result
from xpos.qa.actions import Run, StepFailed, settle, wait_until
from xpos.qa.model import Step
from xpos.qa.readers import read_choice, read_digits, read_mapping, read_seconds, read_text
from xpos.qa.yamlsrc import YNode

TILL_KEYS = ("sale", "void", "command", "ref", "refund", "original", "date", "xpay")
EXPECT_TILL_KEYS = ("result", "text", "ref", "amount", "card", "has", "timeout",
                    "party_amount")
TILL_FIELDS = ("card", "auth_code", "trace", "rrn", "party_trace", "party_card")
DEFAULT_TIMEOUT_S = 120.0
_AMOUNT = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_COMMAND = re.compile(r"[A-Z]{1,8}")


@dataclass(frozen=True, kw_only=True)
class TillStep(Step):
    """Send one ECR request from the till."""

    request: EcrRequest
    original: int | None = None
    """A refund's original by trace: its RRN and date (unless given) come from the journal."""

    def _arg(self) -> str:
        r = self.request
        what = (f"sale: {format_fen(r.amount)}" if r.command == "SALE" and r.amount else
                f"void: {r.original_trace}" if r.command == "VOID" else
                f"refund: {format_fen(r.amount)}, rrn: {r.original_rrn}, "
                f"date: {r.original_date}" if r.command == "REFUND" else
                f"xpay: {r.order_no}" if r.command == "XPAY" else
                f"command: {r.command}")
        return f"{{{what}, ref: {r.reference}}}"


@dataclass(frozen=True, kw_only=True)
class ExpectTillStep(Step):
    """Wait for the till's answer and check its fields (None: not checked)."""

    result: str | None = None
    text: str | None = None
    reference: str | None = None
    amount: int | None = None
    masked_pan: str | None = None
    has: tuple[str, ...] = ()
    timeout_s: float = DEFAULT_TIMEOUT_S
    party_amount: int | None = None
    """X2 combined payment: the third-party leg's amount (``XA``), in fen."""

    def _arg(self) -> str:
        parts = [f"{k}: {v}" for k, v in (("result", self.result), ("text", self.text),
                                          ("ref", self.reference), ("card", self.masked_pan))
                 if v is not None]
        return "{" + ", ".join(parts) + "}"


def _fen(node: YNode, key: str) -> int:
    match = _AMOUNT.fullmatch(read_text(node, key, nonempty=True))
    if match is None:
        raise node.error(f"{key} is an amount in yuan, e.g. \"12.34\"", key=key)
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def parse_till(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """``{sale: "12.34"}``, ``{void: 2}``, ``{refund: "1.00", original: 2}``,
    ``{xpay: "6600000007"}`` or ``{command: SETTLE}``; ``ref`` optional."""
    found = read_mapping(arg, "till", TILL_KEYS)
    what = [k for k in ("sale", "void", "command", "refund", "xpay") if k in found]
    if len(what) != 1:
        raise arg.error("till needs exactly one of sale, void, refund, xpay, command",
                        key="till")
    original: int | None = None
    reference = read_text(found["ref"], "ref", nonempty=True) if "ref" in found else \
        f"QA{line:04d}"
    if "sale" in what:
        request = EcrRequest(command="SALE", reference=reference,
                             amount=_fen(found["sale"], "sale"))
    elif "refund" in what:
        request = EcrRequest(
            command="REFUND", reference=reference, amount=_fen(found["refund"], "refund"),
            original_date=read_digits(found["date"], "date", 4, 4) if "date" in found else "")
        if "original" in found:
            original = int(read_digits(found["original"], "original", 1, 6))
    elif "xpay" in what:
        request = EcrRequest(command="XPAY", reference=reference,
                             order_no=read_text(found["xpay"], "xpay", nonempty=True))
    elif "void" in what:
        trace = int(read_digits(found["void"], "void", 1, 6))
        request = EcrRequest(command="VOID", reference=reference, original_trace=trace)
    else:
        command = read_text(found["command"], "command", nonempty=True)
        if not _COMMAND.fullmatch(command):
            raise found["command"].error("command is 1-8 upper-case letters", key="command")
        request = EcrRequest(command=command, reference=reference)
    return TillStep(line=line, request=request, original=original)


def parse_expect_till(arg: YNode, line: int, cards: dict[str, str]) -> Step:
    """The fields to check: ``result``, ``text``, ``ref``, ``amount``, ``card``, ``has``."""
    found = read_mapping(arg, "expect_till", EXPECT_TILL_KEYS)
    result = read_choice(found["result"], "result", Result.ALL) if "result" in found else None
    masked_pan = None
    if "card" in found:
        card = read_text(found["card"], "card", nonempty=True)
        if card not in cards:
            raise found["card"].error(f"unknown card id {card!r}", key="card")
        masked_pan = mask_pan(re.split("[=D]", cards[card])[0])
    has: tuple[str, ...] = ()
    if "has" in found:
        node = found["has"]
        items = node.value if isinstance(node.value, list) else [node]
        has = tuple(read_choice(item, "has", TILL_FIELDS) for item in items)
    return ExpectTillStep(
        line=line, result=result, has=has, masked_pan=masked_pan,
        text=read_text(found["text"], "text") if "text" in found else None,
        reference=read_text(found["ref"], "ref") if "ref" in found else None,
        amount=_fen(found["amount"], "amount") if "amount" in found else None,
        timeout_s=read_seconds(found["timeout"], "timeout") if "timeout" in found
        else DEFAULT_TIMEOUT_S,
        party_amount=_fen(found["party_amount"], "party_amount") if "party_amount" in found
        else None)


async def till(run: Run, step: Step) -> None:
    """Send the request and wait for the terminal's ACK."""
    assert isinstance(step, TillStep)
    await settle(run)
    request = step.request
    if step.original is not None:
        record = run.rig.terminal.journal.by_stan(step.original)
        if record is None or not record.rrn:
            raise StepFailed(f"no transaction with trace number {step.original:06d} and an RRN")
        date = dt.datetime.fromisoformat(record.created_at).astimezone().strftime("%m%d")
        request = replace(request, original_rrn=record.rrn,
                          original_date=request.original_date or date)
    try:
        await run.rig.till().send(request)
    except DeviceError as exc:
        raise StepFailed(f"the terminal did not take the till's request: {exc}") from None
    await settle(run)


async def expect_till(run: Run, step: Step) -> None:
    """Wait for the answer (simulated time runs meanwhile), ACK it and check it."""
    assert isinstance(step, ExpectTillStep)
    answer = asyncio.ensure_future(run.rig.till().response())
    try:
        if not await wait_until(run, answer.done, step.timeout_s):
            raise StepFailed(f"no answer to the till within {step.timeout_s:g} s")
    finally:
        if not answer.done():
            answer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await answer
    try:
        response = answer.result()
    except DeviceError as exc:
        raise StepFailed(f"the till could not read the answer: {exc}") from None
    problem = _problem(step, response)
    if problem:
        raise StepFailed(problem)


def _problem(step: ExpectTillStep, got: EcrResponse) -> str:
    seen = (f"the till got RC={got.result} {got.text!r} ref {got.reference!r} "
            f"amount {got.amount} card {got.masked_pan!r}")
    checks = [
        (step.result is None or got.result == step.result, f"result {step.result}"),
        (step.text is None or step.text in got.text, f"text {step.text!r}"),
        (step.reference is None or got.reference == step.reference, f"ref {step.reference}"),
        (step.amount is None or got.amount == step.amount, f"amount {step.amount}"),
        (step.masked_pan is None or got.masked_pan == step.masked_pan,
         f"card {step.masked_pan}"),
        (step.party_amount is None or got.party_amount == step.party_amount,
         f"party_amount {step.party_amount} (got {got.party_amount})"),
    ]
    values = {"card": got.masked_pan, "auth_code": got.auth_code, "trace": got.trace,
              "rrn": got.rrn, "party_trace": got.party_trace,
              "party_card": got.party_masked_pan}
    checks += [(bool(values[name]), f"a {name}") for name in step.has]
    missing = [what for ok, what in checks if not ok]
    return f"expected {', '.join(missing)}; {seen}" if missing else ""
