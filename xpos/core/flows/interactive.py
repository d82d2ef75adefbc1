"""X3 host-driven interactive business: run a platform service's steps on the terminal.

Theory of operation
-------------------
A menu item ``service:<id>`` starts :func:`service_flow`. It opens a session
(:class:`SessionOpen`; the shell announces :data:`CAPABILITIES`) and then loops:

1. the reply carries the platform's next :class:`HostStep` (or a refusal: shown, end);
2. ``END`` shows its text and ends the flow;
3. any other step is performed on the same step engine as local flows: ``DSP``
   Display, ``INP`` Input (several fields, ``#`` ends a field, ``*`` deletes), ``SEL``
   Select, ``CNF`` Confirm, ``CRD`` ReadCard, ``AMT`` AmountStep (keyed, or the host's
   preset), ``PRT`` print (paper-out retry); ``BNK`` is a *real* bank sale of the
   host's amount (swipe, PIN, :class:`SaleRequest` journaled with its reversal before
   it is sent, two slips) and ``TPD`` a third-party debit (the card read, the card's own
   password as a PIN block);
4. the result (:class:`SessionResult`, SAT-style code + data) goes back and the
   platform answers with the next step.

A step the terminal does not know gets BEYOND_CAPABILITY, a step whose data makes no
sense gets the engine's NOT_UNDERSTOOD / MISSING_VALUES, a step the shell could not
decode (malformed TLV) gets NOT_UNDERSTOOD; nothing raises. At most
:data:`MAX_STEPS` steps run in one session (a looping platform cannot hold the terminal).
The platform times the session out by the steps' own timeouts: a step that times out
is reported TIMEOUT and the platform ends the session.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from dataclasses import replace

from xpos.core.flows.card import amount_line, enter_pin, print_copies, swipe_card
from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    notify,
    outcome_text,
    print_document,
    ready,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    SaleRequest,
)
from xpos.core.flows.remote import HostStep, SessionOpen, SessionResult
from xpos.core.i18n import t
from xpos.core.slips import SaleSlip, sale_slip
from xpos.core.steps import (
    AmountStep,
    Confirm,
    Display,
    Input,
    PinStep,
    ReadCard,
    ResultCode,
    Select,
)
from xpos.model import CardData, CardSource, Document, TextLine

MAX_STEPS = 64
"""Most steps one session may run."""

DEFAULT_TIMEOUT_S = 60.0
"""Timeout of a step the platform sent without one."""

_SWIPE = frozenset({CardSource.SWIPE})


def service_flow(ctx: FlowContext, service: str) -> Flow:
    """Run platform service ``service`` as one interactive session."""
    title = t("x3.title", ctx.lang)
    reply = yield from go_online(SessionOpen(service=service))
    session, number = "", 0
    for _ in range(MAX_STEPS):
        step = reply.step
        if reply.outcome is not Outcome.APPROVED or step is None:
            yield from notify(title, "", outcome_text(reply, ctx.lang))
            return
        if step.malformed:
            if not session:
                yield from notify(title, "", t("online.platform_error", ctx.lang))
                return
            result = SessionResult(session=session, number=number + 1,
                                   code=ResultCode.NOT_UNDERSTOOD)
        elif step.code == "END":
            yield from notify(*(step.text.split("\n") if step.text else (title,)))
            return
        else:
            session, number = step.session, step.number
            result = yield from perform(ctx, step)
        reply = yield from go_online(result)
    yield from notify(title, "", t("x3.too_long", ctx.lang))


def perform(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    """Perform one platform step on the step engine; its result for the platform."""
    runner = _RUNNERS.get(step.code)
    if runner is None:
        return _result(step, ResultCode.BEYOND_CAPABILITY)
    return (yield from runner(ctx, step))


def _result(step: HostStep, code: ResultCode, *, values: tuple[str, ...] = (),
            amount: int | None = None, card: CardData | None = None,
            pin_block: bytes | None = None, bank: OnlineReply | None = None) -> SessionResult:
    result = SessionResult(session=step.session, number=step.number, code=code, values=values,
                           amount=amount, card=card, pin_block=pin_block)
    if bank is None:
        return result
    return replace(result, bank_rc=bank.rc or "", bank_stan=bank.stan, bank_rrn=bank.rrn)


def _timeout(step: HostStep) -> float:
    return step.timeout_s if step.timeout_s is not None else DEFAULT_TIMEOUT_S


def _display(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    shown = yield from ask(Display(lines=tuple(step.text.split("\n")), wait_key=True,
                                   timeout_s=_timeout(step)))
    code = ResultCode.OK if shown.code is ResultCode.TIMEOUT else shown.code
    return _result(step, code)


def _input(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    got = yield from ask(Input(prompt=step.text, fields=step.fields, timeout_s=_timeout(step)))
    result = _result(step, got.code, values=got.values if got.ok else ())
    return replace(result, hidden=tuple(f.hidden for f in step.fields))


def _select(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    got = yield from ask(Select(title=step.text, items=step.items, timeout_s=_timeout(step)))
    return _result(step, got.code, values=(got.id,) if got.ok else ())


def _confirm(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    got = yield from ask(Confirm(prompt=step.text, timeout_s=_timeout(step)))
    return _result(step, got.code, values=("1" if got.yes else "0",) if got.ok else ())


def _read_card(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    got = yield from ask(ReadCard(prompt=step.text, sources=_SWIPE, timeout_s=_timeout(step)))
    return _result(step, got.code, card=got.card if got.ok else None)


def _amount(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    got = yield from ask(AmountStep(prompt=step.text, preset=step.amount,
                                    timeout_s=_timeout(step)))
    return _result(step, got.code, amount=got.amount if got.ok else None)


def _print(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    lines = tuple(TextLine(text=line) for line in step.text.split("\n"))
    printed = yield from print_document(ctx, Document(name="x3-print", elements=lines))
    return _result(step, ResultCode.OK if printed else ResultCode.UNABLE)


def _bank_debit(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    """A real bank sale of the platform's amount; its outcome goes back to the platform."""
    title = step.text.split("\n")[0] if step.text else t("sale.title", ctx.lang)
    amount = step.amount
    if amount is None or amount <= 0:
        return _result(step, ResultCode.MISSING_VALUES)
    if not (yield from ready(ctx, title)):
        return _result(step, ResultCode.UNABLE)
    card = yield from swipe_card(ctx, title, amount)
    if card is None:
        return _result(step, ResultCode.CANCELLED)
    pin = yield from enter_pin(ctx, title, card, amount)
    if pin is None:
        return _result(step, ResultCode.CANCELLED)
    reply = yield from go_online(SaleRequest(amount=amount, card=card, pin_block=pin.block))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
        return _result(step, ResultCode.UNABLE, amount=amount, bank=reply)
    slip = _sale_slip(ctx, reply, card.expiry, card.masked_pan)
    yield from print_copies(ctx, functools.partial(_copy, slip))
    return _result(step, ResultCode.OK, amount=amount, bank=reply)


def _copy(slip: SaleSlip, copy: str) -> Document:
    return sale_slip(slip, copy=copy)


def _sale_slip(ctx: FlowContext, reply: OnlineReply, expiry: str, masked: str) -> SaleSlip:
    return SaleSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                    operator=ctx.operator, masked_pan=reply.masked_pan or masked, expiry=expiry,
                    batch=reply.batch, stan=reply.stan, auth_code=reply.auth_code,
                    rrn=reply.rrn, when=reply.when or NO_TIME, amount=reply.amount)


def _third_party(ctx: FlowContext, step: HostStep) -> Generator[Command, object, SessionResult]:
    """A third-party card debit: the card and its password (as a PIN block) to the platform."""
    amount = step.amount
    if amount is None or amount <= 0:
        return _result(step, ResultCode.MISSING_VALUES)
    title = step.text.split("\n")[0] if step.text else t("x3.title", ctx.lang)
    prompt = "\n".join((title, amount_line(ctx, amount), "", t("x3.swipe_tp", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=_SWIPE, timeout_s=_timeout(step)))
    if not read.ok or read.card is None or not read.card.pan:
        return _result(step, read.code if not read.ok else ResultCode.NOT_UNDERSTOOD)
    card = read.card
    pin = yield from ask(PinStep(pan=card.pan, amount=amount, timeout_s=ctx.pin_timeout_s))
    if not pin.ok:
        return _result(step, pin.code)
    return _result(step, ResultCode.OK, card=card, pin_block=pin.block, amount=amount)


_RUNNERS = {
    "DSP": _display, "INP": _input, "SEL": _select, "CNF": _confirm, "CRD": _read_card,
    "AMT": _amount, "PRT": _print, "BNK": _bank_debit, "TPD": _third_party,
}
"""Step type -> how it is performed (``END`` is the flow's; anything else is refused)."""

__all__ = ["DEFAULT_TIMEOUT_S", "MAX_STEPS", "perform", "service_flow"]
