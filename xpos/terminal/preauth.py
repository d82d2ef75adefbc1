"""The pre-authorisation family on the terminal: lookups and the four online requests.

Theory of operation
-------------------
:class:`~xpos.terminal.txn.TransactionService` hands :class:`PreauthLookup` and
:class:`PreauthRequest` here. The money discipline is the sale's, reused from the
service: pending reversals go out first, the request and its reversal (0400 keeping 3,
4, 25, 38, 60, 61) are journaled in one SQLite transaction before a byte is sent, and
:func:`xpos.core.rules.decide` says what the answer means. An approved pre-auth void,
completion or completion void whose original is in the journal is completed together
with the original's mark (``voided_by`` on the pre-auth or the completion,
``completed_by`` on the pre-auth) in one SQLite transaction
(:meth:`~xpos.journal.Journal.complete_linked`); a keyed original (auth code + date from
the slip, not in this journal) is only the host's business.

Local refusals (before anything is sent): the trace number is unknown, not a pre-auth
(not a completion for a completion void), not approved, already voided or completed;
a completion above the held amount; a completion void of another batch; another card
than the original's.

Every approved family row keeps the host's date (F13, MMDD) in its detail
(``host_date``), which later goes into 61.3 of the requests that refer to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import Notice, OnlineReply, Outcome
from xpos.core.flows.preauth_requests import (
    COMPLETION,
    COMPLETION_VOID,
    PREAUTH,
    PREAUTH_VOID,
    PreauthLookup,
    PreauthRef,
    PreauthRequest,
)
from xpos.core.rules import JournalEffect, Kind, Reason
from xpos.journal import TxnRecord, TxnStatus
from xpos.journal.records import VOIDED_BY
from xpos.proto import messages as m
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message
from xpos.proto.preauth import PreauthOriginal, preauth_family_request
from xpos.security.keys import WorkingKeys
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.host_stamp import HOST_DATE, host_stamp

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

COMPLETED_BY = "completed_by"
"""Detail key of a pre-auth that an approved completion used: the completion's STAN."""

_ORIGINAL_KIND = {PREAUTH_VOID: PREAUTH, COMPLETION: PREAUTH, COMPLETION_VOID: COMPLETION}
_MARK = {PREAUTH_VOID: VOIDED_BY, COMPLETION: COMPLETED_BY, COMPLETION_VOID: VOIDED_BY}
_MESSAGE_KIND = {PREAUTH: MessageKind.PREAUTH, PREAUTH_VOID: MessageKind.PREAUTH_VOID,
                 COMPLETION: MessageKind.COMPLETION,
                 COMPLETION_VOID: MessageKind.COMPLETION_VOID}


def original_of(svc: TransactionService, kind: str, stan: int) -> TxnRecord | Notice:
    """The journal's original of a ``kind`` request with trace ``stan``, or why not."""
    journal = svc.journal
    record = journal.by_stan(stan) if 1 <= stan <= 999999 else None
    if record is None:
        return Notice.PREAUTH_UNKNOWN
    if record.kind != _ORIGINAL_KIND[kind]:
        return (Notice.PREAUTH_NOT_COMPLETION if kind == COMPLETION_VOID
                else Notice.PREAUTH_NOT_PREAUTH)
    if record.status is not TxnStatus.APPROVED:
        return Notice.PREAUTH_NOT_APPROVED
    if VOIDED_BY in record.detail:
        return Notice.PREAUTH_VOIDED
    if COMPLETED_BY in record.detail:
        return Notice.PREAUTH_COMPLETED
    if kind == COMPLETION_VOID and record.batch != journal.batch_no:
        return Notice.PREAUTH_OTHER_BATCH
    return record


def lookup(svc: TransactionService, request: PreauthLookup) -> OnlineReply:
    """Answer a :class:`PreauthLookup` from the journal."""
    if request.kind not in _ORIGINAL_KIND:
        return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.PREAUTH_UNKNOWN)
    found = original_of(svc, request.kind, request.stan)
    if isinstance(found, Notice):
        return OnlineReply(outcome=Outcome.DECLINED, notice=found)
    return OnlineReply(outcome=Outcome.APPROVED, stan=found.stan, batch=found.batch,
                       amount=found.amount, masked_pan=found.masked_pan,
                       auth_code=found.auth_code or "", rrn=found.rrn or "",
                       when=_local(found.created_at))


async def run(svc: TransactionService, request: PreauthRequest) -> OnlineReply:
    """Send one family request (journal first, reversal ready), or refuse it locally."""
    if request.kind not in _MESSAGE_KIND:
        return OnlineReply(outcome=Outcome.ERROR)
    linked: TxnRecord | None = None
    original: PreauthOriginal | None = None
    if request.kind != PREAUTH:
        ref = request.original or PreauthRef()
        found = _original(svc, request, ref)
        if isinstance(found, Notice):
            return OnlineReply(outcome=Outcome.DECLINED, notice=found)
        linked, original = found
    keys = await svc.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    message = _message(svc, request, keys, original)
    kind = Kind(request.kind)
    masked = linked.masked_pan if linked is not None else request.card.masked_pan
    detail: dict[str, object] = {}
    if original is not None:
        detail = {"original_stan": original.stan, "original_batch": original.batch,
                  "original_date": original.date}
    sent = svc.begin(kind, "bank", message, request.amount, masked, detail=detail)
    crashpoint(f"{request.kind}.before_send")
    answer, response = await svc.exchange(message, keys)
    crashpoint(f"{request.kind}.after_answer")
    decision = rules.decide(kind, answer)
    svc.log_decision(decision, sent.stan)
    svc.apply_keys(decision, None)
    auth = (response.get(38) or "").strip() if response is not None else ""
    rrn = (response.get(37) or "").strip() if response is not None else ""
    _journal(svc, decision, sent.txn_id, request.kind, linked, answer.rc, auth, rrn,
             response)
    crashpoint(f"{request.kind}.after_commit")
    reply = OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=sent.stan,
                        batch=sent.batch, amount=sent.amount, masked_pan=masked)
    if response is None:
        return reply
    return replace(reply, rc=answer.rc, auth_code=auth, rrn=rrn, when=svc.host_when(response))


def _original(svc: TransactionService, request: PreauthRequest,
              ref: PreauthRef) -> tuple[TxnRecord | None, PreauthOriginal] | Notice:
    """The journal original (if referred to by trace) and field 38/61 values, or why not."""
    if ref.stan == 0:
        if len(ref.auth_code.strip()) != 6 or len(ref.date) != 4 or not ref.date.isdigit():
            return Notice.PREAUTH_UNKNOWN
        return None, PreauthOriginal(auth_code=ref.auth_code.strip(), date=ref.date)
    record = original_of(svc, request.kind, ref.stan)
    if isinstance(record, Notice):
        return record
    if request.card.masked_pan != record.masked_pan:
        return Notice.VOID_OTHER_CARD
    if request.kind == COMPLETION and request.amount > record.amount:
        return Notice.PREAUTH_OVER
    when = _local(record.created_at)
    date = str(record.detail.get(HOST_DATE) or (when.strftime("%m%d") if when else ""))
    return record, PreauthOriginal(auth_code=record.auth_code or "", date=date,
                                   batch=record.batch, stan=record.stan)


def _message(svc: TransactionService, request: PreauthRequest, keys: WorkingKeys,
             original: PreauthOriginal | None) -> Message:
    track2, encrypted = svc.track2(request.card.track2, keys)
    stan, batch = svc.journal.next_stan(), svc.journal.batch_no
    cfg = svc.config
    sale = m.sale_request(stan=stan, tid=cfg.tid, mid=cfg.mid, batch=batch,
                          amount=request.amount, track2=track2, expiry=request.card.expiry,
                          pin_block=request.pin_block, track_encrypted=encrypted,
                          operator=svc.operator(), double_length_keys=cfg.key_mode != "001")
    message = preauth_family_request(_MESSAGE_KIND[request.kind], sale, batch=batch,
                                     original=original)
    return m.add_mac(message, svc.mac(keys))


def _journal(svc: TransactionService, decision: rules.Decision, txn_id: int, kind: str,
             linked: TxnRecord | None, rc: str, auth: str, rrn: str,
             response: Message | None) -> None:
    """Carry the decision out on the journal (the linked mark in the same transaction)."""
    journal = svc.journal
    if decision.journal is JournalEffect.FAILED:
        journal.complete_txn(txn_id, status=TxnStatus.FAILED)
    elif decision.journal is JournalEffect.DECLINED:
        journal.complete_txn(txn_id, status=TxnStatus.DECLINED, rc=rc)
    elif decision.journal in (JournalEffect.APPROVED, JournalEffect.APPROVED_LINKED):
        detail = host_stamp(response)  # F13 (61.3 of later requests) and F12 (rebuilt slips)
        if decision.journal is JournalEffect.APPROVED_LINKED and linked is not None:
            journal.complete_linked(txn_id, rc=rc, auth_code=auth or None, rrn=rrn or None,
                                    detail_update=detail, original=linked.id,
                                    mark=_MARK[kind], original_kind=_ORIGINAL_KIND[kind])
        else:
            journal.complete_txn(txn_id, status=TxnStatus.APPROVED, rc=rc,
                                 auth_code=auth or None, rrn=rrn or None,
                                 detail_update=detail)
    elif decision.reversal is Reason.A0:
        journal.set_reversal_reason(txn_id, Reason.A0.value, auth_code=auth or None)


def _local(created_at: str) -> dt.datetime | None:
    """A journal timestamp (ISO 8601, UTC) as naive local time, or None if unreadable."""
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().replace(tzinfo=None)
    except ValueError:
        return None
