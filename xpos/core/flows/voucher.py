"""X-menu order verification and redemption (订单验证, requirement X1, journey J2).

The customer presents a voucher in one of three ways, all from one input screen:

- keyed: the code typed on the keypad, ended with ``#`` → method ``keyed``;
- scanned: a barcode/QR read by the scanner → method ``scanned``;
- member: a member card swiped or tapped (RFID), then the order number typed → method
  ``member`` (a tap sends the card's UID, tag DF29, instead of a PAN).

Theory of operation (prepare → confirm → redeem N of M → slip)
---------------------------------------------------------------
1. **Prepare**: :class:`VoucherQuery` (0100 / 740000) asks the platform; nothing is
   redeemed or journaled. A refusal shows the reason and the platform's own words (DF14).
2. The terminal shows title, 剩余 M 份, the unit value and 有效期至 …, and asks 核销份数
   (digits; ENTER = all M). 0 or more than M is refused here with one line and asked
   again. With M = 1 there is nothing to choose and the question is skipped.
3. **Confirm**: 确认核销 N 份? — CANCEL/2 ends the flow, nothing was sent to redeem.
4. **Redeem**: :class:`VoucherRequest` with ``units`` = N (0100 / 700000 + DF33),
   journaled with its reversal before it is sent (:mod:`xpos.terminal.xwords`).
5. **Slip**: 已核销 N 份 / 剩余 M-N 份, title, masked code, trace number; then 验证成功.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from dataclasses import replace

from xpos.core.flows.common import (
    NO_TIME,
    ask,
    go_online,
    host_lines,
    notify,
    outcome_text,
    print_slip,
)
from xpos.core.flows.online import (
    Command,
    Flow,
    FlowContext,
    OnlineReply,
    Outcome,
    VoucherDetails,
    VoucherQuery,
    VoucherRequest,
)
from xpos.core.i18n import t
from xpos.core.slips_redeem import RedeemSlip, redeem_slip
from xpos.core.steps import Confirm, Input, InputField
from xpos.model import CardData, CardSource, format_fen, mask_code

CODE_MAX_LEN = 32
"""Longest voucher code or order number accepted."""

UNITS_MAX_LEN = 6
"""Most digits of a number of items."""

SOURCES = frozenset({CardSource.SCAN, CardSource.SWIPE, CardSource.TAP})
"""Where a voucher may come from besides the keypad."""


def voucher_flow(ctx: FlowContext) -> Flow:
    """Query a voucher/order, have N of its M items confirmed, redeem them, print the slip."""
    title = t("voucher.title", ctx.lang)
    request = yield from _present(ctx, title)
    if request is None:
        return
    found = yield from go_online(VoucherQuery(voucher=request))
    if found.outcome is not Outcome.APPROVED or found.voucher is None:
        yield from notify(title, "", outcome_text(found, ctx.lang), *host_lines(found.message))
        return
    units = yield from _units(ctx, found.voucher)
    if units is None:
        return
    reply = yield from go_online(replace(request, units=units))
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang), *host_lines(reply.message))
        return
    details = reply.voucher
    if details is None:
        yield from notify(title, "", t("voucher.ok", ctx.lang))
        return
    slip = _slip(ctx, details, reply, request)
    yield from print_slip(ctx, functools.partial(redeem_slip, slip))
    yield from notify(title, "", t("voucher.ok", ctx.lang), details.title,
                      t("redeem.done", ctx.lang, quantity=details.units or units),
                      t("redeem.left", ctx.lang, quantity=details.quantity))


def _units(ctx: FlowContext, found: VoucherDetails) -> Generator[Command, object, int | None]:
    """Show the voucher, ask how many of its items (ENTER = all), have that confirmed."""
    left = found.quantity
    lines = [found.title, t("redeem.left", ctx.lang, quantity=left)]
    if found.value:
        lines.append(t("redeem.value", ctx.lang, amount=format_fen(found.value)))
    if found.expires:
        lines.append(t("redeem.expires", ctx.lang, date=found.expires))
    units = left
    while left > 1:
        field = InputField(label=t("redeem.units", ctx.lang), min_len=0, max_len=UNITS_MAX_LEN)
        keyed = yield from ask(Input(prompt="\n".join(lines[:3]), fields=(field,)))
        if not keyed.ok:
            return None
        units = int(keyed.values[0]) if keyed.values[0] else left
        if 1 <= units <= left:
            break
        yield from notify(found.title, "", t("redeem.units_bad", ctx.lang, quantity=left))
    confirmed = yield from ask(Confirm(prompt="\n".join(
        [*lines, t("redeem.confirm", ctx.lang, quantity=units)])))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(t("voucher.title", ctx.lang), "", t("txn.cancelled", ctx.lang))
        return None
    return units


def _present(ctx: FlowContext, title: str) -> Generator[Command, object, VoucherRequest | None]:
    field = InputField(label=t("voucher.code", ctx.lang), max_len=CODE_MAX_LEN, kind="alnum")
    step = Input(prompt=t("voucher.prompt", ctx.lang), fields=(field,), sources=SOURCES)
    result = yield from ask(step)
    if not result.ok:
        return None
    card = result.card
    if card is None:
        return VoucherRequest(code=result.values[0], method="keyed")
    if card.source is CardSource.SCAN and card.code:
        return VoucherRequest(code=card.code, method="scanned")
    if card.source is CardSource.SWIPE and card.pan:
        return (yield from _member(ctx, card))
    if card.source is CardSource.TAP and card.uid:  # a member card tapped (RFID)
        return (yield from _member(ctx, card))
    yield from notify(title, "", t("card.no_pan", ctx.lang))
    return None


def _member(ctx: FlowContext, card: CardData) -> Generator[Command, object, VoucherRequest | None]:
    field = InputField(label=t("voucher.order", ctx.lang), max_len=CODE_MAX_LEN, kind="alnum")
    result = yield from ask(Input(prompt=t("voucher.order_prompt", ctx.lang), fields=(field,)))
    if not result.ok:
        return None
    order_no = result.values[0]
    return VoucherRequest(code="", method="member", order_no=order_no, member_card=card)


def _slip(
    ctx: FlowContext, details: VoucherDetails, reply: OnlineReply, request: VoucherRequest
) -> RedeemSlip:
    return RedeemSlip(
        merchant_name=ctx.merchant_name,
        mid=ctx.mid,
        tid=ctx.tid,
        code_masked=masked_code(details.code_masked, request),
        title=details.title,
        provider=details.provider,
        units=details.units or (request.units or 0),
        left=details.quantity,
        value=details.value,
        stan=reply.stan,
        batch=reply.batch,
        rrn=reply.rrn,
        when=reply.when or NO_TIME,
    )


def masked_code(code_masked: str, request: VoucherRequest) -> str:
    """What the slip shows as the voucher number: always masked, never empty.

    The host's masked code when it is one; else the code (or, for the member method,
    the order number) masked here.
    """
    if "*" in code_masked:
        return code_masked
    return mask_code(code_masked or request.code or request.order_no or "") or "****"
