"""An X-menu query: one MAC'd request, its answer decided by the rules, nothing journaled.

The voucher query (740000) and the order query (710000) ask the platform and keep
nothing: no journal row, no reversal (a lost answer changes nothing on the host). Both
are sent and judged here the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xpos.core import rules
from xpos.core.flows.online import OnlineReply
from xpos.core.rules import Kind
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService


async def ask_platform(txn: TransactionService, message: Message, keys: WorkingKeys,
                       kind: Kind, stan: int) -> tuple[OnlineReply, Message | None]:
    """MAC ``message``, exchange it and decide its answer as ``kind`` (not journaled).

    Returns:
        The reply the flow gets (outcome, notice, STAN, rc) and the response message,
        ``None`` when there was no usable answer.
    """
    message = m.add_mac(message, txn.mac(keys))
    answer, response = await txn.exchange(message, keys)
    decision = rules.decide(kind, answer)
    txn.log_decision(decision, stan)
    txn.apply_keys(decision, None)
    reply = OnlineReply(outcome=decision.outcome, notice=decision.notice, stan=stan,
                        rc=answer.rc or None)
    return reply, response
