"""Running a service: one session's state, step by step (the platform's side).

Theory of operation
-------------------
A :class:`SessionBook` holds the open sessions (in memory: a host restart ends them; the
terminal then hears "session unknown" and ends too). A session is keyed by its id (the
open's TID + batch + trace). Each incoming message has a number (0 for the open, else the
step number it reports); the answer sent for it is kept, so a repeated message gets the
same answer (idempotence) and nothing is applied twice.

Reporting step ``n`` applies its result (kept under the step's ``name``; a bank debit is
checked against the bank ledger, a third-party debit carried out through the
:class:`Payments` hooks) and answers step ``n + 1``. A result other than ``00`` ends the
session with an ``END`` saying why; a session silent for longer than the service's
``timeout_s`` ends with 会话超时. Text placeholders ``{name}`` are filled from earlier
results; amounts show as yuan. A hidden input value (sealed under the TDK) is opened before
it is kept (:mod:`xpos.refhost.services.hidden`) and never shown: ``{name}`` of one reads
``****``; an input step with ``verify`` is checked by the host (:attr:`Payments.verify`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from xpos.model import format_fen
from xpos.proto.interactive import PlatformStep, SessionRequest, StepField, StepReport
from xpos.refhost.services.hidden import MASK, Unseal, open_hidden
from xpos.refhost.services.model import STEP_CODES, Service, StepSpec
from xpos.refhost.services.registry import MENU_ID, ServiceRegistry

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_WHY = {"10": "交易取消\ncancelled", "11": "交易取消\ncancelled",
        "12": "会话超时\nsession timed out", "20": "无法完成\ncould not be done",
        "30": "终端不支持此步骤\nbeyond terminal capability",
        "31": "终端无法识别\nnot understood", "36": "数据不全\nmissing values"}

BankCheck = Callable[[int, int], str | None]
"""``(stan, amount) -> None`` if the bank sale is approved in the ledger, else why not."""
ThirdParty = Callable[[StepReport, int], str]
"""``(report, amount) -> rc``: carry out a third-party debit ("00" = done)."""
Verify = Callable[[str, tuple[str, ...]], Mapping[str, str] | str]
"""``(verify kind, values) -> values to keep``, or why the input is refused (a text)."""


@dataclass(frozen=True, kw_only=True)
class Payments:
    """How the runner checks a bank debit and carries out a third-party debit."""

    bank: BankCheck
    third_party: ThirdParty
    unseal: Unseal | None = None
    verify: Verify | None = None


@dataclass(kw_only=True)
class SessionState:
    """One open session."""

    id: str
    service: Service
    index: int = 0
    number: int = 0
    values: dict[str, str] = field(default_factory=dict)
    amounts: dict[str, int] = field(default_factory=dict)
    answers: dict[int, PlatformStep] = field(default_factory=dict)
    secret: set[str] = field(default_factory=set)
    updated: datetime | None = None
    done: bool = False


class SessionBook:
    """The platform's open sessions over a :class:`ServiceRegistry`."""

    def __init__(self, registry: ServiceRegistry) -> None:
        self.registry = registry
        self.sessions: dict[str, SessionState] = {}

    def open(self, session: str, request: SessionRequest, now: datetime) -> PlatformStep:
        """Open ``session`` of ``request.service``; the first step (a repeat: the same)."""
        state = self.sessions.get(session)
        if state is not None and 0 in state.answers:
            return state.answers[0]
        service = self.registry.get(request.service)
        if service is None:
            return _end(session, 1, "无此业务\nunknown service")
        state = SessionState(id=session, service=service, updated=now)
        self.sessions[session] = state
        return self._answer(state, 0, self._render(state), now)

    def report(self, request: SessionRequest, now: datetime,
               payments: Payments) -> PlatformStep:
        """Apply a step result; the next step (a repeat: the same answer)."""
        state = self.sessions.get(request.session)
        if state is None:
            return _end(request.session, request.number + 1, "会话不存在\nunknown session")
        if request.number in state.answers:
            return state.answers[request.number]
        if state.done:
            return _end(state.id, request.number + 1, "会话已结束\nsession ended")
        if state.updated is not None and now - state.updated > timedelta(
                seconds=state.service.timeout_s):
            return self._finish(state, request.number, "会话超时\nsession timed out", now)
        if request.number != state.number or request.report is None:
            return self._finish(state, request.number, "步骤错误\nstep out of order", now)
        why = self._apply(state, request.report, payments)
        if why is not None:
            return self._finish(state, request.number, why, now)
        return self._answer(state, request.number, self._render(state), now)

    def abandon(self, request: SessionRequest, now: datetime) -> PlatformStep:
        """The terminal gave the session up (restart, network): end it."""
        state = self.sessions.get(request.session)
        if state is not None:
            state.done = True
        log.info("session %s abandoned (%s), bank debits %s", request.session,
                 request.abandon, list(request.bank_stans))
        return _end(request.session, 0, "会话已放弃\nsession abandoned")

    # -- internals ---------------------------------------------------------------------

    def _answer(self, state: SessionState, number: int, step: PlatformStep,
                now: datetime) -> PlatformStep:
        state.answers[number] = step
        state.number = step.number
        state.updated = now
        state.done = step.code == "END"
        return step

    def _finish(self, state: SessionState, number: int, why: str,
                now: datetime) -> PlatformStep:
        return self._answer(state, number, _end(state.id, number + 1,
                                                f"{state.service.title}\n\n{why}"), now)

    def _apply(self, state: SessionState, report: StepReport, payments: Payments) -> str | None:
        spec = state.service.steps[state.index]
        if report.result != "00":
            return _WHY.get(report.result, "交易失败\nfailed") + _bank_rc(report)
        if spec.type == "bank_debit":
            why = self._bank(state, spec, report, payments)
        elif spec.type == "third_party_debit":
            rc = payments.third_party(report, self._amount(state, spec) or 0)
            why = None if rc == "00" else f"第三方扣款失败\ndebit refused\n({rc})"
        elif spec.type == "input":
            report, why = open_hidden(spec, report, state.number, payments.unseal)
            if why is None and spec.verify:
                why = self._verify(state, spec, report, payments)
        else:
            why = None
        if why is not None:
            return why
        self._keep(state, spec, report)
        if state.service.id == MENU_ID and spec.name == "service":
            chosen = self.registry.get(report.values[0] if report.values else "")
            if chosen is None or chosen.id == MENU_ID:
                return "无此业务\nunknown service"
            state.service, state.index = chosen, 0
            return None
        state.index += 1
        return None

    def _bank(self, state: SessionState, spec: StepSpec, report: StepReport,
              payments: Payments) -> str | None:
        amount = self._amount(state, spec) or 0
        return payments.bank(report.bank_stan, amount)

    def _verify(self, state: SessionState, spec: StepSpec, report: StepReport,
                payments: Payments) -> str | None:
        if payments.verify is None:
            return "无法验证\ncannot verify"
        kept = payments.verify(spec.verify, report.values)
        if isinstance(kept, str):
            return kept
        state.values.update(kept)
        return None

    def _keep(self, state: SessionState, spec: StepSpec, report: StepReport) -> None:
        state.secret.update(spec.secret_names())
        if not spec.name:
            return
        if report.bank_stan:
            state.values[spec.name] = f"{report.bank_stan:06d}"
        elif report.masked_pan:
            state.values[spec.name] = report.masked_pan
        elif report.amount is not None:
            state.amounts[spec.name] = report.amount
            state.values[spec.name] = format_fen(report.amount)
        else:
            state.values[spec.name] = " ".join(report.values)
        for n, value in enumerate(report.values, 1):
            state.values[f"{spec.name}_{n}"] = value

    def _amount(self, state: SessionState, spec: StepSpec) -> int | None:
        amount = spec.amount
        if amount is None or isinstance(amount, int):
            return amount
        table, colon, key = amount.partition(":")
        if colon:
            lookup = state.service.tables.get(table, {})
            return lookup.get(self._fill(state, key, mask=False))
        name = amount.strip("{}")
        return state.amounts.get(name)

    def _fill(self, state: SessionState, text: str, *, mask: bool = True) -> str:
        """``text`` with ``{name}`` filled; a hidden value shows as :data:`MASK`."""
        return _PLACEHOLDER.sub(lambda m: MASK if mask and m.group(1) in state.secret
                                else state.values.get(m.group(1), ""), text)

    def _render(self, state: SessionState) -> PlatformStep:
        spec = state.service.steps[state.index]
        number = state.number + 1
        amount = self._amount(state, spec)
        if spec.amount is not None and amount is None:
            return _end(state.id, number, f"{state.service.title}\n\n无此账户\nno such account")
        fields = tuple(StepField(label=f.label, min_len=f.min_len, max_len=f.max_len,
                                 kind=f.kind, hidden=f.hidden) for f in spec.fields)
        text = self._fill(state, spec.text)
        if amount is not None and "{amount}" not in spec.text and spec.type == "print":
            text += f"\n{format_fen(amount)}"
        return PlatformStep(session=state.id, number=number, code=STEP_CODES[spec.type],
                            text=text, fields=fields, items=spec.items, amount=amount,
                            timeout_s=spec.timeout_s)


def _end(session: str, number: int, text: str) -> PlatformStep:
    return PlatformStep(session=session, number=number, code="END", text=text)


def _bank_rc(report: StepReport) -> str:
    return f"\n({report.bank_rc})" if report.bank_rc else ""
