"""Steps every bank-card transaction shares: swipe, PIN, abandon, two slip copies.

Sale and void (and the refund, balance and pre-auth flows to come) read the card, take
the PIN and print a merchant and a customer copy the same way; these helpers are that
one way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator

from xpos.core.flows.common import NO_TIME, ask, notify, print_slip
from xpos.core.flows.online import Command, FlowContext, OnlineReply
from xpos.core.i18n import t
from xpos.core.steps import Confirm, PinResult, PinStep, ReadCard, ResultCode, StepResult
from xpos.model import CardData, CardSource, Document, format_fen

COPIES = ("merchant", "customer")
"""Receipt copies of an approved card transaction, in print order."""


def amount_line(ctx: FlowContext, amount: int) -> str:
    """``金额: 12.34`` in the terminal's language."""
    return t("pin.amount", ctx.lang, amount=format_fen(amount))


def abandon(
    ctx: FlowContext, title: str, result: StepResult, *, timeout_key: str
) -> Generator[Command, object, None]:
    """Say why a step ended the transaction: its timeout text, or 交易取消."""
    key = timeout_key if result.code is ResultCode.TIMEOUT else "txn.cancelled"
    yield from notify(title, "", t(key, ctx.lang))


def swipe_card(
    ctx: FlowContext, title: str, amount: int
) -> Generator[Command, object, CardData | None]:
    """Ask for a swipe (the amount shown); the card, or None once the reason is shown."""
    prompt = "\n".join((title, amount_line(ctx, amount), "", t("sale.swipe", ctx.lang)))
    read = yield from ask(ReadCard(prompt=prompt, sources=frozenset({CardSource.SWIPE})))
    if not read.ok:
        yield from abandon(ctx, title, read, timeout_key="card.timeout")
        return None
    if read.card is None or not read.card.pan:
        yield from notify(title, "", t("card.no_pan", ctx.lang))
        return None
    return read.card


def enter_pin(
    ctx: FlowContext, title: str, card: CardData, amount: int
) -> Generator[Command, object, PinResult | None]:
    """PIN entry (ends after ``ctx.pin_timeout_s``); its result (``block`` None when the
    cardholder bypassed the PIN), or None once the reason (输入密码超时 or 交易取消) is shown."""
    pin = yield from ask(PinStep(pan=card.pan, amount=amount, timeout_s=ctx.pin_timeout_s))
    if not pin.ok:
        yield from abandon(ctx, title, pin, timeout_key="pin.timeout")
        return None
    return pin


def print_copies(
    ctx: FlowContext, layout: Callable[[str], Document]
) -> Generator[Command, object, None]:
    """Print the merchant copy, then the customer copy (stop if one cannot be printed)."""
    for copy in COPIES:
        printed = yield from print_slip(ctx, functools.partial(layout, copy))
        if not printed:
            return


def confirm_original(ctx: FlowContext, title: str, found: OnlineReply,
                     question_key: str) -> Generator[Command, object, bool]:
    """Show the original a lookup found (trace, masked card, amount, date) and ask.

    Returns:
        True when confirmed; False once 交易取消 was shown.
    """
    when = found.when or NO_TIME
    prompt = "\n".join((title, t("void.original", ctx.lang, stan=found.stan),
                        t("void.card", ctx.lang), found.masked_pan,
                        amount_line(ctx, found.amount),
                        t("void.date", ctx.lang, date=when.strftime("%Y/%m/%d")),
                        t(question_key, ctx.lang)))
    confirmed = yield from ask(Confirm(prompt=prompt))
    if not (confirmed.ok and confirmed.yes):
        yield from notify(title, "", t("txn.cancelled", ctx.lang))
        return False
    return True
