"""Void (撤销) and adjust (B5) of a sale, on the transaction service's public surface.

Theory of operation
-------------------
* **Lookup** (answered from the journal, nothing is sent): the sale with that trace number
  in the current batch, if it may be voided; otherwise the reason (unknown, other batch,
  not a sale, not approved, already voided, refunded).
* **Void** (0200, F3 200000): the same checks again, the same card as the original's and
  at most its amount (0 = the whole sale; a partial amount is an adjust that only the
  host may allow); journaled with its reversal before it is sent; on approval the
  original is marked voided in the same SQLite transaction (``Sent.voids``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core.flows.online import Notice, OnlineReply, Outcome, VoidRequest
from xpos.core.rules import Kind
from xpos.journal import TxnRecord, TxnStatus
from xpos.proto import messages as m

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

_RRN_LENGTH = 12


def void_lookup(svc: TransactionService, stan: int) -> OnlineReply:
    """The sale with trace number ``stan`` as the void flow shows it, or why not."""
    original = voidable(svc, stan)
    if isinstance(original, Notice):
        return OnlineReply(outcome=Outcome.DECLINED, notice=original)
    return OnlineReply(outcome=Outcome.APPROVED, stan=original.stan, batch=original.batch,
                       amount=original.amount, masked_pan=original.masked_pan,
                       auth_code=original.auth_code or "", rrn=original.rrn or "",
                       when=local_time(original.created_at))


def voidable(svc: TransactionService, stan: int) -> TxnRecord | Notice:
    """The journal's sale ``stan`` of the current batch if it may be voided, else why not."""
    journal = svc.journal
    if not 1 <= stan <= 999999:
        return Notice.VOID_UNKNOWN
    record = journal.by_stan(stan, journal.batch_no)
    if record is None:
        other = journal.by_stan(stan)
        return Notice.VOID_UNKNOWN if other is None else Notice.VOID_OTHER_BATCH
    if record.kind != Kind.SALE.value:
        return Notice.VOID_NOT_SALE
    if record.status is not TxnStatus.APPROVED:
        return Notice.VOID_NOT_APPROVED
    if record.voided:
        return Notice.VOID_DONE
    return Notice.VOID_REFUNDED if _refunded(svc, record) else record


def _refunded(svc: TransactionService, sale: TxnRecord) -> bool:
    """Whether a refund of ``sale`` (by its RRN) is in the journal, approved or unknown."""
    return bool(sale.rrn) and any(
        row.kind == Kind.REFUND.value and row.detail.get("original_rrn") == sale.rrn
        and row.status in (TxnStatus.APPROVED, TxnStatus.PENDING)
        for row in svc.journal.transactions(domain="bank"))


async def void(svc: TransactionService, request: VoidRequest) -> OnlineReply:
    """0200/0210 F3 200000: a full or partial void (the host decides whether a partial
    one is allowed), journaled with its reversal before it is sent."""
    original = voidable(svc, request.stan)
    if isinstance(original, Notice):
        return OnlineReply(outcome=Outcome.DECLINED, notice=original)
    if request.card.masked_pan != original.masked_pan:
        return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.VOID_OTHER_CARD)
    amount = request.amount or original.amount  # 0 / None: the whole amount
    if amount > original.amount:
        return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.VOID_OVER_AMOUNT)
    keys = await svc.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal = svc.config, svc.journal
    track2, encrypted = svc.track2(request.card.track2, keys)
    stan, batch = journal.next_stan(), journal.batch_no
    rrn = original.rrn or ""
    source = m.Original(batch=original.batch, stan=original.stan,
                        rrn=rrn if len(rrn) == _RRN_LENGTH else "",
                        auth_code=original.auth_code or "")
    message = m.void_request(original=source, stan=stan, tid=cfg.tid, mid=cfg.mid,
                             batch=batch, amount=amount, track2=track2,
                             expiry=request.card.expiry, pin_block=request.pin_block,
                             track_encrypted=encrypted, operator=svc.operator(),
                             double_length_keys=cfg.key_mode != "001")
    message = m.add_mac(message, svc.mac(keys))
    detail: dict[str, object] = {"original_stan": original.stan,
                                 "original_batch": original.batch}
    if amount < original.amount:
        detail["original_amount"] = original.amount  # a partial void (adjust, B5)
    sent = svc.begin(Kind.VOID, "bank", message, amount, original.masked_pan, detail=detail)
    return await svc.finish(message, replace(sent, voids=original.id), keys)


def local_time(created_at: str) -> dt.datetime | None:
    """A journal timestamp (ISO 8601, UTC) as naive local time, or None if unreadable."""
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().replace(tzinfo=None)
    except ValueError:
        return None
