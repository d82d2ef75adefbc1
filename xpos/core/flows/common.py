"""Building blocks shared by flows: typed yields, messages, printing with paper-out retry.

Every helper here is itself a small generator, used with ``yield from``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime
from typing import TypeVar, cast

from xpos.core.flows.online import (
    Command,
    FlowContext,
    Online,
    OnlineReply,
    OnlineRequest,
    Outcome,
    ReadinessRequest,
    SupervisorCheck,
)
from xpos.core.i18n import t
from xpos.core.responses import response_message
from xpos.core.screen import COLS
from xpos.core.steps import (
    Asks,
    Confirm,
    Display,
    Input,
    InputField,
    PrintResult,
    PrintStep,
    ResultCode,
    Step,
    StepResult,
    result_type,
)
from xpos.errors import LocalProtocolError
from xpos.model import Document
from xpos.model.textwidth import printable, wrap_width

R = TypeVar("R", bound=StepResult)

NO_TIME = datetime(2000, 1, 1)
"""Printed on a slip when the runtime gave no transaction time (it always should)."""

RESULT_TIMEOUT_S = 10.0
"""How long a result message stays up unless a key dismisses it."""

_OUTCOME_KEYS = {
    Outcome.NO_RESPONSE: "outcome.no_response",
    Outcome.UNREACHABLE: "outcome.unreachable",
    Outcome.BAD_MAC: "outcome.bad_mac",
    Outcome.REJECTED: "outcome.rejected",
    Outcome.NOT_SIGNED_ON: "outcome.not_signed_on",
    Outcome.ERROR: "outcome.error",
}


def ask(step: Asks[R]) -> Generator[Command, object, R]:
    """Yield a step and return its typed result (an ``AmountResult`` for an AmountStep…).

    Raises:
        LocalProtocolError: if the runtime answered with something else.
    """
    answer = yield cast(Step, step)
    expected = result_type(step)
    if not isinstance(answer, expected):
        raise LocalProtocolError(
            f"a {type(step).__name__} step needs a {expected.__name__} answer")
    return cast(R, answer)


def go_online(request: OnlineRequest) -> Generator[Command, object, OnlineReply]:
    """Yield :class:`Online` and return the reply.

    Raises:
        LocalProtocolError: if the runtime answered with something else.
    """
    answer = yield Online(request=request)
    if not isinstance(answer, OnlineReply):
        raise LocalProtocolError("an Online command needs an OnlineReply answer")
    return answer


def notify(*lines: str) -> Generator[Command, object, None]:
    """Show a result message until a key is pressed or a few seconds pass.

    Texts with newlines become several lines.
    """
    rows = tuple(row for line in lines for row in line.split("\n"))
    yield from ask(Display(lines=rows, wait_key=True, timeout_s=RESULT_TIMEOUT_S))


def outcome_text(reply: OnlineReply, lang: str = "zh") -> str:
    """What to tell the user about a reply that is not an approval."""
    if reply.notice is not None:
        return t(f"online.{reply.notice.value}", lang)
    if reply.outcome is Outcome.DECLINED:
        return response_message(reply.rc, lang)
    return t(_OUTCOME_KEYS.get(reply.outcome, "outcome.error"), lang)


def print_document(ctx: FlowContext, document: Document) -> Generator[Command, object, bool]:
    """Print, asking to reload paper and retry while the printer is out of paper.

    Returns:
        True when printed; False when the user gave up or the printer failed otherwise.
    """
    while True:
        result = yield from ask(PrintStep(document=document))
        if result.ok:
            return True
        if result.code is not ResultCode.UNABLE:
            yield from notify(t("print.failed", ctx.lang))
            return False
        offline = isinstance(result, PrintResult) and result.offline
        keys = ("print.offline", "print.reconnect") if offline else ("print.paper_out",
                                                                        "print.reload")
        prompt = "\n".join(t(key, ctx.lang) for key in keys)
        retry = yield from ask(Confirm(prompt=prompt))
        if not (retry.ok and retry.yes):
            return False


def print_slip(
    ctx: FlowContext, layout: Callable[[], Document]
) -> Generator[Command, object, bool]:
    """Lay out a slip and print it (see :func:`print_document`).

    A layout that refuses its data (``ValueError``, e.g. an unmasked card number) is
    reported as 打印失败 instead of ending the flow: the transaction itself stands.
    """
    try:
        document = layout()
    except ValueError:
        yield from notify(t("print.failed", ctx.lang))
        return False
    return (yield from print_document(ctx, document))


HOST_MESSAGE_ROWS = 3
"""At most this many display rows of a platform's message are shown."""


def host_lines(message: str) -> tuple[str, ...]:
    """The platform's own words (e.g. 已于2024-05-01使用) as display rows.

    Outside text is data: control and format characters are dropped and the text is cut
    into rows of the display's width, at most :data:`HOST_MESSAGE_ROWS` of them.
    """
    if not printable(message).strip():
        return ()
    rows = [row for row in wrap_width(message, COLS) if row.strip()]
    return tuple(rows[:HOST_MESSAGE_ROWS])


# -- the opening every card flow shares ----------------------------------------------

SUPERVISOR_TRIES = 3
"""Wrong supervisor passwords before the flow is refused."""
PASSWORD_MAX_LEN = 12
"""Longest supervisor password accepted."""


def online_or_notify(ctx: FlowContext, title: str,
                     request: OnlineRequest) -> Generator[Command, object, OnlineReply | None]:
    """Go online; on anything but an approval show why (under ``title``) and return None."""
    reply = yield from go_online(request)
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
        return None
    return reply


def ready(ctx: FlowContext, title: str) -> Generator[Command, object, bool]:
    """Ask :class:`ReadinessRequest` (signed on…); False once the reason was shown."""
    return (yield from online_or_notify(ctx, title, ReadinessRequest())) is not None


def supervisor_ok(ctx: FlowContext, title: str) -> Generator[Command, object, bool]:
    """Ask for the supervisor (主管) password, hidden, up to :data:`SUPERVISOR_TRIES` times.

    Returns:
        True once the runtime accepted a password; False when the user cancelled or the
        last try was wrong (密码错误次数过多 shown).
    """
    field = InputField(label=t("supervisor.label", ctx.lang), max_len=PASSWORD_MAX_LEN,
                       hidden=True)
    for attempt in range(1, SUPERVISOR_TRIES + 1):
        keyed = yield from ask(Input(prompt=t("supervisor.prompt", ctx.lang), fields=(field,)))
        if not keyed.ok:
            return False
        checked = yield from go_online(SupervisorCheck(password=keyed.values[0]))
        if checked.outcome is Outcome.APPROVED:
            return True
        last = attempt == SUPERVISOR_TRIES
        yield from notify(title, "", t("supervisor.refused" if last else "supervisor.wrong",
                                       ctx.lang))
    return False


def opening(ctx: FlowContext, title: str, *,
            supervisor: bool) -> Generator[Command, object, bool]:
    """Readiness, then (``supervisor``) the supervisor password: True to go on."""
    if not (yield from ready(ctx, title)):
        return False
    return not supervisor or (yield from supervisor_ok(ctx, title))
