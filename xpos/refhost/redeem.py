"""X1 voucher query (0100 / 740000) and X void of a redemption (0100 / 740200) at the host.

Theory of operation
-------------------
Both open like every X request (:func:`.common.open_x_request`: terminal gate
``03``/``77``/``A0``, then ``30`` bad TLV); a query or X void whose own X batch (60.2)
the platform has settled is answered ``12`` before that (:func:`.settle.batch_closed`).

The query answers what a redemption would meet, and changes nothing but the ledger
(one ``voucher_query`` row per answer): the checks of :mod:`.xmenu` in the same order
(member card ``14``/``62``, ``25`` unknown, ``V1`` used, ``V2`` expired, ``V3`` not
valid yet, ``V4`` another merchant), then ``00`` with title, items left, provider, unit
value and last valid day.

The X void names a redemption of this terminal by batch + trace (DF35, DF34). Checks,
after the opening, in order: ``25`` no approved, unreversed redemption with that batch +
trace; ``12`` that redemption's X batch is settled; ``V6`` voided already (the words say
when); ``V7`` older than the provider's window (``provider_terms``, else the host's
``x_void_window_s``, 24 h, ``xpos host --x-void-window``: a void is accepted while the
redemption is younger than the window); ``00`` the items are back on the voucher and
the redemption is marked, with the void's ledger row, in one transaction
(:mod:`.redeem_store`). A repeated approved void (same TID + batch + STAN) gets the
stored answer again; a reversal of the void takes the items again.
"""

from __future__ import annotations

from datetime import datetime

from xpos.proto.codec import Message
from xpos.proto.voucher import VoucherInfo, parse_voucher_request
from xpos.proto.voucher_x import parse_voucher_void_request
from xpos.refhost.common import Refused, open_x_request, voucher_reply
from xpos.refhost.context import RC_APPROVED, RC_DUPLICATE, HostContext, RequestKey
from xpos.refhost.redeem_store import (
    Redemption,
    redemption,
    void_or_none,
    void_window,
)
from xpos.refhost.rows import LedgerEntry
from xpos.refhost.settle import RC_CLOSED, SettleLedger
from xpos.refhost.xmenu import member_refusal, refusal, voucher_info

QUERY_KIND = "voucher_query"
VOID_KIND = "voucher_void"


def handle_voucher_query(ctx: HostContext, request: Message) -> Message:
    """Answer a voucher query (module docstring); nothing is redeemed."""
    opened = open_x_request(ctx, request, QUERY_KIND, parse_voucher_request)
    if isinstance(opened, Refused):
        return voucher_reply(ctx, request, opened.terminal, opened.entry, None)
    wanted, terminal = opened.wanted, opened.terminal
    code = wanted.code if wanted.method != "member" else (wanted.order_no or "")
    voucher = ctx.store.voucher(code)
    rc = member_refusal(ctx, wanted) or refusal(ctx, voucher, terminal.mid) or RC_APPROVED
    entry = ctx.record(opened.key, kind=QUERY_KIND, rc=rc,
                       ref=code if voucher is not None else "")
    info = None
    if voucher is not None and rc in (RC_APPROVED, "V1", "V2", "V3", "V4"):
        info = voucher_info(ctx, voucher, rc)
    return voucher_reply(ctx, request, terminal, entry, info)


def handle_voucher_void(ctx: HostContext, request: Message) -> Message:
    """Answer an X void of a redemption (module docstring)."""
    opened = open_x_request(ctx, request, VOID_KIND, parse_voucher_void_request)
    if isinstance(opened, Refused):
        return voucher_reply(ctx, request, opened.terminal, opened.entry, None)
    key, original = opened.key, opened.wanted
    ref = f"{original.batch:06d}{original.stan:06d}"
    found = ctx.store.find(key.tid, original.batch, original.stan, ("voucher",))
    done = redemption(ctx.store, found.id) if found is not None and found.approved \
        and not found.reversed else None
    entry, message = _void(ctx, key, ref, found, done)
    info = None
    if done is not None:
        voucher = ctx.store.voucher(done.code)
        if voucher is not None:
            units = done.units if entry.rc == RC_APPROVED else 0
            info = VoucherInfo(title=voucher.title, quantity=voucher.quantity,
                               provider=voucher.provider_name, message=message, units=units)
    return voucher_reply(ctx, request, opened.terminal, entry, info)


def _void(ctx: HostContext, key: RequestKey, ref: str, found: LedgerEntry | None,
          done: Redemption | None) -> tuple[LedgerEntry, str]:
    prior = ctx.store.find(key.tid, key.batch, key.stan, (VOID_KIND,))
    if prior is not None and prior.approved and not prior.reversed:
        return (prior, "") if prior.ref == ref else (
            ctx.record(key, kind=VOID_KIND, rc=RC_DUPLICATE, ref=ref), "")
    if prior is None and ctx.reversed_before(key):
        return ctx.record(key, kind=VOID_KIND, rc=RC_DUPLICATE, ref=ref), ""
    if found is None or done is None:
        return ctx.record(key, kind=VOID_KIND, rc="25", ref=ref), ""
    if _settled(ctx, found):  # the platform paid the provider for it already
        return ctx.record(key, kind=VOID_KIND, rc=RC_CLOSED, ref=ref), ""
    if done.voided_by is not None:
        when = ctx.store.entry(done.voided_by).created_at[:16].replace("T", " ")
        return (ctx.record(key, kind=VOID_KIND, rc="V6", ref=ref),
                f"已于{when}撤销 / voided {when}")
    voucher = ctx.store.voucher(done.code)
    provider = voucher.provider if voucher is not None else ""
    window = void_window(ctx.store, provider, ctx.x_void_window_s)
    age = (ctx.now() - datetime.fromisoformat(found.created_at)).total_seconds()
    if age >= window:
        return (ctx.record(key, kind=VOID_KIND, rc="V7", ref=ref),
                f"超过{_hours(window)}不能撤销 / void window {window}s passed")
    draft = ctx.draft(key, kind=VOID_KIND, rc=RC_APPROVED, auth_code=ctx.auth_code(), ref=ref)
    entry = void_or_none(ctx.store, done, draft)
    if entry is None:
        return ctx.record(key, kind=VOID_KIND, rc="V6", ref=ref), ""
    return entry, ""


def _settled(ctx: HostContext, redeemed: LedgerEntry) -> bool:
    """True when the redemption's X batch was settled (and so closed)."""
    done = SettleLedger(ctx).settled(redeemed.tid, "x", redeemed.batch)
    return done is not None and done[1]


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}小时" if seconds % 3600 == 0 and seconds else f"{seconds}秒"
