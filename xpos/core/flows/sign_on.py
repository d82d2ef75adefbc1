"""Sign-on (签到): fetch the working keys and the batch number from the host."""

from __future__ import annotations

from xpos.core.flows.common import ask, go_online, notify, outcome_text
from xpos.core.flows.online import Flow, FlowContext, Outcome, SignOnRequest
from xpos.core.i18n import t
from xpos.core.steps import Display

# A sign-on is never reversed: these outcomes get texts without "将自动冲正".
_NOT_REVERSED = {Outcome.NO_RESPONSE: "outcome.no_reply", Outcome.BAD_MAC: "outcome.rejected"}


def sign_on_flow(ctx: FlowContext) -> Flow:
    """Show 签到中…, sign on, show the result (with the new batch number).

    A sign-on is never reversed, so a timeout is reported as 主机无应答.
    """
    title = t("sign_on.title", ctx.lang)
    yield from ask(Display(lines=(title, "", t("sign_on.busy", ctx.lang))))
    reply = yield from go_online(SignOnRequest())
    if reply.outcome is Outcome.APPROVED:
        batch = t("sign_on.batch", ctx.lang, batch=reply.batch)
        yield from notify(title, "", t("sign_on.ok", ctx.lang), batch)
    elif reply.outcome in _NOT_REVERSED:
        yield from notify(title, "", t(_NOT_REVERSED[reply.outcome], ctx.lang))
    else:
        yield from notify(title, "", outcome_text(reply, ctx.lang))
