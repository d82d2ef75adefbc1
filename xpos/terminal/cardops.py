"""Refund (退货) and balance inquiry (查余额): the shell side, on the transaction service.

Theory of operation
-------------------
Both run on :class:`~xpos.terminal.txn.TransactionService`'s machinery (pending
reversals first, MAC, host link, the money rules) but neither ever gets a reversal
record (reference §1.6):

* **Refund.** The original is named by its RRN and date; if the journal holds an
  approved sale with that RRN, its batch and STAN go into field 61 and a card that is
  not the original's is refused before anything is sent. The refund is journaled
  (kind ``refund``, pending, *no* reversal) before it is sent. The rules decide the
  rest: approved / declined complete the row; without a usable answer (timeout,
  malformed, bad MAC) the row stays ``pending`` with its outcome unknown and the flow
  says 退货结果未知 请与收单行核实 (docs/operations.md): nothing is reversed.
* **Balance.** Journaled as kind ``balance`` with amount 0 and no reversal: the row
  keeps that an inquiry happened and its response code, never the balance. The balance
  (field 54) travels to the flow in :attr:`OnlineReply.balance` only, for the screen.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import (
    BalanceRequest,
    Notice,
    OnlineReply,
    Outcome,
    RefundLookup,
    RefundRequest,
)
from xpos.core.rules import JournalEffect, Kind
from xpos.journal import Journal, TxnRecord, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.refund import RefundOriginal, balance_request, parse_balance, refund_request

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService, _Sent

_RRN_LENGTH = 12


def find_original(journal: Journal, rrn: str) -> TxnRecord | None:
    """The newest approved bank sale in the journal with this RRN, or None."""
    found = [r for r in journal.transactions(domain="bank")
             if r.kind == Kind.SALE.value and r.status is TxnStatus.APPROVED
             and (r.rrn or "") == rrn]
    return found[-1] if found else None


def refund_lookup(journal: Journal, request: RefundLookup) -> OnlineReply:
    """The local original of a refund for the screen, or DECLINED (nothing to show)."""
    record = find_original(journal, request.rrn)
    if record is None:
        return OnlineReply(outcome=Outcome.DECLINED)
    return OnlineReply(outcome=Outcome.APPROVED, stan=record.stan, batch=record.batch,
                       amount=record.amount, masked_pan=record.masked_pan,
                       rrn=record.rrn or "", auth_code=record.auth_code or "")


async def refund(service: TransactionService, request: RefundRequest) -> OnlineReply:
    """0220/0230: journal (no reversal), send, carry out the rules' decision."""
    if len(request.rrn) != _RRN_LENGTH or request.amount <= 0:
        return OnlineReply(outcome=Outcome.DECLINED, rc="13" if request.amount <= 0 else "30")
    local = find_original(service.journal, request.rrn)
    if local is not None and request.card.masked_pan != local.masked_pan:
        return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.REFUND_OTHER_CARD)
    keys = await service.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal = service.config, service.journal
    track2, encrypted = service.track2(request.card.track2, keys)
    stan, batch = journal.next_stan(), journal.batch_no
    original = RefundOriginal(rrn=request.rrn, date=request.date,
                              batch=local.batch if local else 0,
                              stan=local.stan if local else 0)
    message = refund_request(original=original, stan=stan, tid=cfg.tid, mid=cfg.mid,
                             batch=batch, amount=request.amount, track2=track2,
                             expiry=request.card.expiry, pin_block=request.pin_block,
                             track_encrypted=encrypted,
                             double_length_keys=cfg.key_mode != "001")
    message = m.add_mac(message, service.mac(keys))
    sent = _journal_first(service, Kind.REFUND, message, request.amount,
                          request.card.masked_pan,
                          detail={"original_rrn": request.rrn, "original_date": request.date})
    return await service.finish(message, sent, keys)


async def balance(service: TransactionService, request: BalanceRequest) -> OnlineReply:
    """0200/0210 F3 310000: the balance for the screen; journaled without it."""
    if request.pin_block is None:
        return OnlineReply(outcome=Outcome.DECLINED, rc="55")
    keys = await service.prepare()
    if isinstance(keys, OnlineReply):
        return keys
    cfg, journal = service.config, service.journal
    track2, encrypted = service.track2(request.card.track2, keys)
    message = balance_request(stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid,
                              batch=journal.batch_no, track2=track2,
                              expiry=request.card.expiry, pin_block=request.pin_block,
                              track_encrypted=encrypted, operator=service.operator(),
                              double_length_keys=cfg.key_mode != "001")
    message = m.add_mac(message, service.mac(keys))
    sent = _journal_first(service, Kind.BALANCE, message, 0, request.card.masked_pan,
                          detail={})
    answer, response = await service.exchange(message, keys)
    decision = rules.decide(Kind.BALANCE, answer)
    service.log_decision(decision, sent.stan)
    service.apply_keys(decision, None)
    amount = parse_balance(response) if response is not None else None
    if decision.journal is JournalEffect.APPROVED and amount is None:
        decision = replace(decision, outcome=Outcome.REJECTED, journal=JournalEffect.FAILED)
    service.apply_journal(decision, sent, rc=answer.rc, auth="", rrn="", voucher=None)
    reply = OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=sent.stan,
                        batch=sent.batch, masked_pan=sent.masked_pan,
                        rc=answer.rc or None)
    if decision.outcome is not Outcome.APPROVED or response is None:
        return reply
    return replace(reply, balance=amount, when=service.host_when(response))


def _journal_first(service: TransactionService, kind: Kind, message: Message, amount: int,
                   masked_pan: str, *, detail: dict[str, object]) -> _Sent:
    """Journal the request as pending, with no reversal record, before it is sent."""
    from xpos.terminal.txn import _Sent  # txn imports this module

    journal = service.journal
    stan, batch = int(message.get(11) or 0), journal.batch_no
    service.last_txn_id = txn_id = journal.begin_txn(
        kind=kind.value, domain="bank", stan=stan, batch=batch, amount=amount,
        masked_pan=masked_pan, tid=service.config.tid, mid=service.config.mid, detail=detail,
        reversal=None)
    return _Sent(kind=kind, txn_id=txn_id, stan=stan, batch=batch, amount=amount,
                 masked_pan=masked_pan)
