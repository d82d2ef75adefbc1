"""X-menu order verification (订单验证, requirement X1, journey J2).

The customer presents a voucher in one of three ways, all from one input screen:

- keyed: the code typed on the keypad, ended with ``#`` → method ``keyed``;
- scanned: a barcode/QR read by the scanner → method ``scanned``;
- member: a member card swiped or tapped (RFID), then the order number typed → method
  ``member`` (a tap sends the card's UID, tag DF29, instead of a PAN).

The platform verifies (and redeems) it; an approval prints the redemption slip and
shows 验证成功 with the voucher's title, anything else shows the reason.
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
    VoucherRequest,
)
from xpos.core.i18n import t
from xpos.core.slips import VoucherSlip, voucher_slip
from xpos.core.steps import Input, InputField
from xpos.model import CardData, CardSource, mask_code

CODE_MAX_LEN = 32
"""Longest voucher code or order number accepted."""

SOURCES = frozenset({CardSource.SCAN, CardSource.SWIPE, CardSource.TAP})
"""Where a voucher may come from besides the keypad."""


def voucher_flow(ctx: FlowContext) -> Flow:
    """Verify one voucher/order with the platform and print the slip."""
    title = t("voucher.title", ctx.lang)
    request = yield from _present(ctx, title)
    if request is None:
        return
    reply = yield from go_online(request)
    if reply.outcome is not Outcome.APPROVED:
        yield from notify(title, "", outcome_text(reply, ctx.lang), *host_lines(reply.message))
        return
    details = reply.voucher
    if details is None:
        yield from notify(title, "", t("voucher.ok", ctx.lang))
        return
    slip = _slip(ctx, details, reply, request)
    yield from print_slip(ctx, functools.partial(voucher_slip, slip))
    quantity = t("voucher.quantity", ctx.lang, quantity=details.quantity)
    yield from notify(title, "", t("voucher.ok", ctx.lang), details.title, quantity)


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
) -> VoucherSlip:
    return VoucherSlip(
        merchant_name=ctx.merchant_name,
        mid=ctx.mid,
        tid=ctx.tid,
        code_masked=_masked_code(details.code_masked, request),
        title=details.title,
        quantity=details.quantity,
        provider=details.provider,
        stan=reply.stan,
        batch=reply.batch,
        rrn=reply.rrn,
        when=reply.when or NO_TIME,
    )


def _masked_code(code_masked: str, request: VoucherRequest) -> str:
    """What the slip shows as the voucher number: always masked, never empty.

    The host's masked code when it is one; else the code (or, for the member method,
    the order number) masked here.
    """
    if "*" in code_masked:
        return code_masked
    return mask_code(code_masked or request.code or request.order_no or "") or "****"
