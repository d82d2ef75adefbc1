"""X void of a redemption (核销撤销) by its trace number.

Theory of operation
-------------------
Readiness → supervisor password (like the bank void) → the redemption's trace number →
:class:`VoucherVoidLookup`, answered from the journal (unknown trace, not a redemption,
not approved, already voided and another batch are refused here in words) → the
redemption shown (title, masked code, items) and confirmed (确认撤销核销?) →
:class:`VoucherVoidRequest` (0100 / 740200), journaled with its reversal before it is
sent; the platform puts the items back, or refuses in words (outside its window, voided
already). On approval the void slip is printed, then 交易成功 and the items restored.
"""

from __future__ import annotations

import functools
from collections.abc import Generator

from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    host_lines,
    notify,
    online_or_notify,
    opening,
    outcome_text,
    print_slip,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    VoucherVoidLookup,
    VoucherVoidRequest,
)
from xpos.core.i18n import t
from xpos.core.slips_redeem import RedeemSlip, redeem_slip
from xpos.core.steps import Confirm, Input, InputField

TRACE_MAX_LEN = 6
"""A trace number (STAN) has up to 6 digits."""
NO_ORIGINAL_RC = "25"
"""The platform's answer when it has no such redemption of this terminal."""


def voucher_void_flow(ctx: FlowContext) -> Flow:
    """Void one redemption of the current X batch."""
    title = t("xvoid.title", ctx.lang)
    if not (yield from opening(ctx, title, supervisor=True)):
        return
    original = yield from _original(ctx, title)
    if original is None or original.voucher is None:
        return
    reply = yield from go_online(VoucherVoidRequest(stan=original.stan))
    if reply.outcome is not Outcome.APPROVED:
        text = (t("online.void_unknown", ctx.lang)
                if reply.outcome is Outcome.DECLINED and reply.rc == NO_ORIGINAL_RC
                else outcome_text(reply, ctx.lang))
        yield from notify(title, "", text, *host_lines(reply.message))
        return
    done = reply.voucher or original.voucher
    slip = RedeemSlip(merchant_name=ctx.merchant_name, mid=ctx.mid, tid=ctx.tid,
                      code_masked=original.voucher.code_masked, title=done.title,
                      provider=done.provider, units=done.units or original.voucher.units,
                      left=done.quantity, stan=reply.stan, batch=reply.batch, rrn=reply.rrn,
                      when=reply.when or NO_TIME, voids=original.stan)
    yield from print_slip(ctx, functools.partial(redeem_slip, slip))
    yield from notify(title, "", t("txn.approved", ctx.lang), done.title,
                      t("xvoid.units", ctx.lang, quantity=slip.units))


def _original(ctx: FlowContext, title: str) -> Generator[Command, object, OnlineReply | None]:
    """Key the trace number, look the redemption up, show it and have the void confirmed."""
    field = InputField(label=t("void.trace", ctx.lang), max_len=TRACE_MAX_LEN)
    keyed = yield from ask(Input(prompt=t("void.trace_prompt", ctx.lang), fields=(field,)))
    if not keyed.ok:
        return None
    found = yield from online_or_notify(ctx, title,
                                        VoucherVoidLookup(stan=int(keyed.values[0] or "0")))
    if found is None or found.voucher is None:
        return None
    details = found.voucher
    lines = [t("void.original", ctx.lang, stan=found.stan), details.title,
             details.code_masked, t("redeem.done", ctx.lang, quantity=details.units),
             t("xvoid.confirm", ctx.lang)]
    confirmed = yield from ask(Confirm(prompt="\n".join(lines)))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return None
    return found
