"""X-menu voucher verification (0100 / 700000 -> 0110) at the reference host.

The host plays the value-added platform and the demo application provider at once.
Checks, in order (the first failing one answers; every answer is in the ledger):

====  ==================================================================
rc    condition
====  ==================================================================
03    unknown TID / TID not under this MID             (terminal gate)
77    terminal not signed on                            (terminal gate)
A0    MAC missing or wrong                              (terminal gate)
30    field 62 missing or malformed TLV
94    the STAN was already approved in this batch for another voucher
14    member method: member card unknown or not a member card
62    member method: member card blocked
25    unknown voucher
V1    voucher already used (the info says when)
V2    voucher expired (after its last valid day)
V3    voucher not valid yet (before its first valid day)
V4    voucher for another merchant
V5    fewer items left than asked (DF33)
00    valid: DF33 items (all that are left without DF33) taken by this terminal now, in
      the same transaction as the ledger row (:mod:`.redeem_store`); ``used`` at 0 left
====  ==================================================================

With the member method (card + order number) the order number is looked up as the
voucher code. A repeated approved request (same TID + batch + STAN, same voucher) gets
the stored answer again; the voucher is not redeemed twice. The query before (740000)
and the X void after (740200) are :mod:`.redeem`'s.
"""

from __future__ import annotations

from datetime import datetime

from xpos.proto.codec import Message
from xpos.proto.messages import VoucherInfo, VoucherRequest, parse_voucher_request
from xpos.refhost.common import Refused, open_x_request, voucher_reply
from xpos.refhost.context import RC_APPROVED, RC_DUPLICATE, HostContext, RequestKey
from xpos.refhost.orders import card_of_uid
from xpos.refhost.redeem_store import redeem_units, redemption, terms_of
from xpos.refhost.rows import CardKind, CardStatus, LedgerEntry, TerminalRow, VoucherRow
from xpos.refhost.rows import VoucherStatus as Status


def handle_voucher(ctx: HostContext, request: Message) -> Message:
    """Answer a voucher verification request (checks in the order of the module table)."""
    opened = open_x_request(ctx, request, "voucher", parse_voucher_request)
    if isinstance(opened, Refused):
        return _reply(ctx, request, opened.terminal, opened.entry, None)
    entry = _decide(ctx, opened.key, opened.wanted, opened.terminal.mid)
    voucher = ctx.store.voucher(entry.ref) if entry.ref else None
    return _reply(ctx, request, opened.terminal, entry, voucher)


def _decide(ctx: HostContext, key: RequestKey, wanted: VoucherRequest,
            mid: str) -> LedgerEntry:
    code = wanted.code if wanted.method != "member" else (wanted.order_no or "")
    prior = ctx.store.find(key.tid, key.batch, key.stan, ("voucher",))
    if prior is None and ctx.reversed_before(key):
        return ctx.record(key, kind="voucher", rc=RC_DUPLICATE)
    if prior is not None and prior.approved:
        if prior.ref == code and not prior.reversed:
            return prior
        return ctx.record(key, kind="voucher", rc=RC_DUPLICATE)
    voucher = ctx.store.voucher(code)
    rc = (member_refusal(ctx, wanted) or refusal(ctx, voucher, mid)
          or _units_refusal(voucher, wanted.units))
    if rc is not None or voucher is None:
        rc = rc or "25"
        return ctx.record(key, kind="voucher", rc=rc, ref=code if rc != "25" else "")
    draft = ctx.draft(key, kind="voucher", rc=RC_APPROVED, auth_code=ctx.auth_code(), ref=code)
    entry = redeem_units(ctx.store, code, wanted.units or voucher.quantity, draft)
    return entry or ctx.record(key, kind="voucher", rc="V5", ref=code)


def _units_refusal(voucher: VoucherRow | None, units: int | None) -> str | None:
    return "V5" if voucher is not None and units is not None and units > voucher.quantity \
        else None


def refusal(ctx: HostContext, voucher: VoucherRow | None, mid: str) -> str | None:
    """Why ``voucher`` cannot be redeemed (or queried) by merchant ``mid`` now, or None."""
    rc = _voucher_refusal(voucher, ctx.now())
    if rc is not None or voucher is None:
        return rc
    terms = terms_of(ctx.store, voucher.code)
    if terms.valid_from and ctx.now().strftime("%Y-%m-%d") < terms.valid_from:
        return "V3"
    return "V4" if terms.mid is not None and terms.mid != mid else None


def member_refusal(ctx: HostContext, wanted: VoucherRequest) -> str | None:
    """``14``/``62`` when the member method's card is no member card / blocked, else None."""
    if wanted.method != "member":
        return None
    card = ctx.store.card(wanted.member_pan or "")
    if card is None and wanted.member_uid:  # a tapped member card (X2: xpos.refhost.orders)
        card = ctx.store.card(card_of_uid(ctx.store, wanted.member_uid) or "")
    if card is None or card.kind is not CardKind.MEMBER:
        return "14"
    return "62" if card.status is CardStatus.BLOCKED else None


def _voucher_refusal(voucher: VoucherRow | None, now: datetime) -> str | None:
    if voucher is None:
        return "25"
    if voucher.status is Status.USED:
        return "V1"
    return "V2" if voucher.expires < now.strftime("%Y-%m-%d") else None


def voucher_info(ctx: HostContext, voucher: VoucherRow, rc: str, units: int = 0) -> VoucherInfo:
    """What the provider tells the terminal about a voucher for answer ``rc``."""
    terms = terms_of(ctx.store, voucher.code)
    message = ""
    if rc == "V1" and voucher.used_at:
        message = f"已于{voucher.used_at[:10]}使用 / used on {voucher.used_at[:10]}"
    elif rc == "V2":
        message = f"有效期至{voucher.expires} / valid until {voucher.expires}"
    elif rc == "V3":
        message = f"{terms.valid_from}起可用 / valid from {terms.valid_from}"
    elif rc == "V4":
        message = "仅限指定商户使用 / for another merchant only"
    elif rc == "V5":
        message = f"仅剩{voucher.quantity}份 / {voucher.quantity} left"
    return VoucherInfo(title=voucher.title, quantity=voucher.quantity,
                       provider=voucher.provider_name, message=message, value=terms.value,
                       expires=voucher.expires, units=units)


def _reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
           entry: LedgerEntry, voucher: VoucherRow | None) -> Message:
    units = 0
    if entry.rc == RC_APPROVED:
        found = redemption(ctx.store, entry.id)
        units = found.units if found is not None else 0
    info = voucher_info(ctx, voucher, entry.rc, units) if voucher is not None and entry.rc in (
        RC_APPROVED, "V1", "V2", "V3", "V4", "V5") else None
    return voucher_reply(ctx, request, terminal, entry, info)
