"""Pending reversals, sent before anything else goes online.

Every online request first empties the journal's reversal queue: each pending reversal
is sent (its attempt counted in the journal before sending, once the host link is up)
and the money rules decide what its answer means — reversed (done), keep trying, give
up after ``reversal_retries`` (the transaction is marked failed), or stop and tell the
flow (host unreachable, keys to renew). Nothing else is sent while one is pending.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import OnlineReply, Outcome
from xpos.core.rules import Decision, JournalEffect, Kind, Next, Reason
from xpos.errors import HostUnreachableError
from xpos.journal import ReversalRecord, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys
from xpos.terminal.crashpoints import crashpoint

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

log = logging.getLogger(__name__)


async def flush(svc: TransactionService, connect: Callable[[], Awaitable[None]],
                keys: WorkingKeys) -> OnlineReply | None:
    """Send the pending reversals, oldest first.

    Args:
        svc: The transaction service (journal, configuration, exchange).
        connect: Opens the host link (raises ``HostUnreachableError``).
        keys: The working keys to MAC with.

    Returns:
        ``None`` when none is left; else the reply the flow shows instead of going on.
    """
    journal = svc.journal
    while (record := journal.pending_reversal()) is not None:
        try:
            await connect()
        except HostUnreachableError:
            return OnlineReply(outcome=Outcome.UNREACHABLE)
        attempts = journal.reversal_attempted(record.id)
        crashpoint("reversal.before_send")
        decision = await send(svc, record, keys)
        after = rules.after_reversal(decision, attempts=attempts,
                                     retries=svc.config.reversal_retries)
        if after.next is Next.GO_ON:
            continue
        if after.next is Next.GIVE_UP:
            log.error("reversal of STAN %s given up after %d attempts",
                      record.fields.get(11), attempts)
            journal.finish_reversal(record.id, txn_status=TxnStatus.FAILED)
        return OnlineReply(outcome=after.outcome or Outcome.ERROR, notice=after.notice)
    return None


async def send(svc: TransactionService, record: ReversalRecord, keys: WorkingKeys) -> Decision:
    """Send one reversal and carry out what the rules decide about its answer."""
    reversal = Message(mti=record.mti, fields=dict(record.fields))
    reversal = m.add_mac(reversal.replace(set={39: record.reason}), svc.mac(keys))
    answer, _ = await svc.exchange(reversal, keys)
    crashpoint("reversal.after_answer")
    decision = rules.decide(Kind.REVERSAL, answer)
    svc.log_decision(decision, int(record.fields.get(11) or 0))
    svc.apply_keys(decision, None)
    if decision.journal is JournalEffect.REVERSED:
        svc.journal.finish_reversal(record.id, txn_status=TxnStatus.REVERSED)
    elif decision.reversal is not Reason.KEEP and decision.reversal.value != record.reason:
        svc.journal.set_reversal_reason(record.txn_id, decision.reversal.value)
    return decision
