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
00    valid: marked used by this terminal now, in the same transaction as the ledger row
====  ==================================================================

With the member method (card + order number) the order number is looked up as the
voucher code. A repeated approved request (same TID + batch + STAN, same voucher) gets
the stored answer again; the voucher is not redeemed twice.
"""

from __future__ import annotations

from datetime import datetime

from xpos.errors import DecodeError
from xpos.proto.codec import Message
from xpos.proto.messages import VoucherInfo, VoucherRequest, parse_voucher_request, voucher_response
from xpos.refhost.context import (
    RC_APPROVED,
    RC_DUPLICATE,
    RC_FORMAT_ERROR,
    HostContext,
    RequestKey,
    request_key,
)
from xpos.refhost.orders import card_of_uid
from xpos.refhost.rows import CardKind, CardStatus, LedgerEntry, TerminalRow, VoucherRow
from xpos.refhost.rows import VoucherStatus as Status


def handle_voucher(ctx: HostContext, request: Message) -> Message:
    """Answer a voucher verification request (checks in the order of the module table)."""
    key = request_key(request)
    gate = ctx.admit(request)
    if gate.rc is not None or gate.terminal is None:
        rc = gate.rc or "03"
        return _reply(ctx, request, gate.terminal, ctx.record(key, kind="voucher", rc=rc), None)
    try:
        wanted = parse_voucher_request(request)
    except DecodeError:
        entry = ctx.record(key, kind="voucher", rc=RC_FORMAT_ERROR)
        return _reply(ctx, request, gate.terminal, entry, None)
    entry = _decide(ctx, key, wanted)
    voucher = ctx.store.voucher(entry.ref) if entry.ref else None
    return _reply(ctx, request, gate.terminal, entry, voucher)


def _decide(ctx: HostContext, key: RequestKey, wanted: VoucherRequest) -> LedgerEntry:
    code = wanted.code if wanted.method != "member" else (wanted.order_no or "")
    prior = ctx.store.find(key.tid, key.batch, key.stan, ("voucher",))
    if prior is None and ctx.reversed_before(key):
        return ctx.record(key, kind="voucher", rc=RC_DUPLICATE)
    if prior is not None and prior.approved:
        if prior.ref == code and not prior.reversed:
            return prior
        return ctx.record(key, kind="voucher", rc=RC_DUPLICATE)
    rc = _member_refusal(ctx, wanted) or _voucher_refusal(ctx.store.voucher(code), ctx.now())
    if rc is not None:
        return ctx.record(key, kind="voucher", rc=rc, ref=code if rc != "25" else "")
    draft = ctx.draft(key, kind="voucher", rc=RC_APPROVED, auth_code=ctx.auth_code(), ref=code)
    entry = ctx.store.redeem(code, draft)
    return entry or ctx.record(key, kind="voucher", rc="V1", ref=code)


def _member_refusal(ctx: HostContext, wanted: VoucherRequest) -> str | None:
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


def voucher_info(voucher: VoucherRow, rc: str) -> VoucherInfo:
    """What the provider tells the terminal about a voucher for answer ``rc``."""
    message = ""
    if rc == "V1" and voucher.used_at:
        message = f"已于{voucher.used_at[:10]}使用 / used on {voucher.used_at[:10]}"
    elif rc == "V2":
        message = f"有效期至{voucher.expires} / valid until {voucher.expires}"
    return VoucherInfo(title=voucher.title, quantity=voucher.quantity,
                       provider=voucher.provider_name, message=message)


def _reply(ctx: HostContext, request: Message, terminal: TerminalRow | None,
           entry: LedgerEntry, voucher: VoucherRow | None) -> Message:
    info = voucher_info(voucher, entry.rc) if voucher is not None and entry.rc in (
        RC_APPROVED, "V1", "V2") else None
    response = voucher_response(request, rc=entry.rc, info=info,
                                when=datetime.fromisoformat(entry.created_at), rrn=entry.rrn)
    return ctx.seal(terminal, response)
