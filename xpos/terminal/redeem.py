"""X1 voucher query and X void of a redemption on the terminal.

Theory of operation
-------------------
:class:`~xpos.terminal.txn.TransactionService` hands the three requests of
:data:`REQUESTS` here; the redemption itself stays in :mod:`xpos.terminal.xwords`.

* **Query** (0100 / 740000): pending reversals first, then the question; nothing is
  journaled (it changes nothing) and :func:`xpos.core.rules.decide` (kind ``voucher
  query``) says what the answer means.
* **Void lookup** (from the journal, nothing sent): the redemption with that trace
  number, or why not — unknown trace, not a redemption, another X batch (settled), not
  approved, voided already.
* **X void** (0100 / 740200): the same checks again, then journaled (kind
  ``voucher_void``, domain ``x``) with its reversal before it is sent, like a bank void.
  An approval completes the void's row and marks the redemption ``voided_by`` in one
  SQLite transaction (:meth:`~xpos.journal.Journal.complete_linked`); no usable answer
  leaves the reversal queued (98), and it goes out before the next online request.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import (
    Notice,
    OnlineReply,
    Outcome,
    VoucherDetails,
    VoucherQuery,
    VoucherVoidLookup,
    VoucherVoidRequest,
)
from xpos.core.rules import JournalEffect, Kind, Reason
from xpos.errors import CodecError
from xpos.journal import TxnRecord, TxnStatus
from xpos.journal.records import VOIDED_BY
from xpos.model import mask_code
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.voucher_x import (
    VoucherVoidOriginal,
    voucher_query_request,
    voucher_void_request,
)
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.host_stamp import host_stamp
from xpos.terminal.voidops import local_time
from xpos.terminal.xquery import ask_platform
from xpos.terminal.xwords import details

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

REQUESTS = (VoucherQuery, VoucherVoidLookup, VoucherVoidRequest)
"""The requests this module answers."""


async def handle(svc: TransactionService,
                 request: VoucherQuery | VoucherVoidLookup | VoucherVoidRequest) -> OnlineReply:
    """Answer one of :data:`REQUESTS`."""
    if isinstance(request, VoucherQuery):
        return await query(svc, request)
    if isinstance(request, VoucherVoidLookup):
        return void_lookup(svc, request.stan)
    return await void(svc, request.stan)


async def query(svc: TransactionService, request: VoucherQuery) -> OnlineReply:
    """0100/740000: title, items left, value and validity of a voucher (nothing journaled)."""
    keys = await svc.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal, wanted = svc.config, svc.journal, request.voucher
    stan = journal.next_stan()
    member = wanted.member_card
    try:
        message = voucher_query_request(
            stan=stan, tid=cfg.tid, mid=cfg.mid, batch=journal.batch_for("x"), code=wanted.code,
            method=wanted.method, order_no=wanted.order_no,
            member_pan=member.pan if member and member.pan else None,
            member_uid=member.uid if member and not member.pan else None)
    except CodecError:
        return OnlineReply(outcome=Outcome.DECLINED, rc="25", stan=stan)
    reply, response = await ask_platform(svc, message, keys, Kind.VOUCHER_QUERY, stan)
    if response is None:
        return reply
    try:
        info = m.parse_voucher_response(response)
    except CodecError:
        return OnlineReply(outcome=Outcome.REJECTED, stan=stan)
    if reply.outcome is Outcome.APPROVED and info is None:
        return OnlineReply(outcome=Outcome.REJECTED, stan=stan)
    code = mask_code(wanted.code or wanted.order_no or "")
    return replace(reply, rc=reply.rc, message=info.message if info else "",
                   voucher=details(info, code) if info else None,
                   when=svc.host_when(response))


def redemption_of(svc: TransactionService, stan: int) -> TxnRecord | Notice:
    """The journal's redemption ``stan`` of the current X batch if it may be voided."""
    journal = svc.journal
    record = journal.by_stan(stan) if 1 <= stan <= 999_999 else None
    if record is None:
        return Notice.VOID_UNKNOWN
    if record.kind != Kind.VOUCHER.value:
        return Notice.XVOID_NOT_REDEMPTION
    if record.batch != journal.batch_for("x"):
        return Notice.VOID_OTHER_BATCH
    if record.status is not TxnStatus.APPROVED:
        return Notice.VOID_NOT_APPROVED
    return Notice.VOID_DONE if VOIDED_BY in record.detail else record


def _details(record: TxnRecord) -> VoucherDetails:
    detail = record.detail
    return VoucherDetails(title=str(detail.get("title", "")),
                          quantity=_int(detail.get("quantity")),
                          provider=str(detail.get("provider", "")),
                          code_masked=str(detail.get("code", "")) or "****",
                          units=_int(detail.get("units")))


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def void_lookup(svc: TransactionService, stan: int) -> OnlineReply:
    """The redemption with trace number ``stan`` as the X void flow shows it, or why not."""
    found = redemption_of(svc, stan)
    if isinstance(found, Notice):
        return OnlineReply(outcome=Outcome.DECLINED, notice=found)
    return OnlineReply(outcome=Outcome.APPROVED, stan=found.stan, batch=found.batch,
                       rrn=found.rrn or "", voucher=_details(found),
                       when=local_time(found.created_at))


async def void(svc: TransactionService, stan: int) -> OnlineReply:
    """0100/740200: void a redemption (journal first, reversal ready), or refuse locally."""
    original = redemption_of(svc, stan)
    if isinstance(original, Notice):
        return OnlineReply(outcome=Outcome.DECLINED, notice=original)
    keys = await svc.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal = svc.config, svc.journal
    message = voucher_void_request(
        stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid, batch=journal.batch_for("x"),
        original=VoucherVoidOriginal(batch=original.batch, stan=original.stan))
    message = m.add_mac(message, svc.mac(keys))
    kind = Kind.VOUCHER_VOID
    sent = svc.begin(kind, "x", message, 0, "", detail={
        "code": str(original.detail.get("code", "")), "original_stan": original.stan,
        "original_batch": original.batch})
    crashpoint(f"{kind.value}.before_send")
    answer, response = await svc.exchange(message, keys)
    crashpoint(f"{kind.value}.after_answer")
    decision = rules.decide(kind, answer)
    svc.log_decision(decision, sent.stan)
    svc.apply_keys(decision, None)
    info = None
    if response is not None:
        try:
            info = m.parse_voucher_response(response)
        except CodecError:
            info = None
    restored = details(info, sent.code_masked) if info is not None else None
    _journal(svc, decision, sent.txn_id, original, answer.rc, response, restored)
    crashpoint(f"{kind.value}.after_commit")
    reply = OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=sent.stan,
                        batch=sent.batch)
    if response is None:
        return reply
    return replace(reply, rc=answer.rc, rrn=(response.get(37) or "").strip(),
                   when=svc.host_when(response), voucher=restored,
                   message=info.message if info else "")


def _journal(svc: TransactionService, decision: rules.Decision, txn_id: int,
             original: TxnRecord, rc: str, response: Message | None,
             restored: VoucherDetails | None) -> None:
    """Carry the decision out (the redemption's mark in the same transaction)."""
    journal = svc.journal
    auth = (response.get(38) or "").strip() or None if response is not None else None
    rrn = (response.get(37) or "").strip() or None if response is not None else None
    if decision.journal is JournalEffect.FAILED:
        journal.complete_txn(txn_id, status=TxnStatus.FAILED)
    elif decision.journal is JournalEffect.DECLINED:
        journal.complete_txn(txn_id, status=TxnStatus.DECLINED, rc=rc)
    elif decision.journal is JournalEffect.APPROVED_LINKED:
        update = {} if restored is None else {"title": restored.title,
                                              "quantity": restored.quantity,
                                              "units": restored.units}
        # the slip's provider and the host's date and time, for a slip rebuilt after a
        # lost receipt (xpos.terminal.slip_rebuild_x)
        update |= ({} if restored is None else {"provider": restored.provider})
        update |= host_stamp(response)
        journal.complete_linked(txn_id, rc=rc, auth_code=auth, rrn=rrn, detail_update=update,
                                original=original.id, mark=VOIDED_BY,
                                original_kind=Kind.VOUCHER.value)
    elif decision.reversal is Reason.A0:
        journal.set_reversal_reason(txn_id, Reason.A0.value, auth_code=auth)
