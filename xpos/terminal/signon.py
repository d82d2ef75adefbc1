"""Sign-on (签到, 0800/0810) on the transaction service's public surface.

Theory of operation
-------------------
The terminal asks for working keys (PIK/MAK/TDK under the TMK) and the batch number. The
keys are taken only when field 62 decodes under the TMK and every key check value
matches; the money rules (``Kind.SIGN_ON``) decide what the answer means. An approved
answer's batch (60.2) is taken by the journal, which refuses a batch that would reuse
one after a journal recovery: then the keys are dropped and the terminal stays not
signed on.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core.flows.online import Notice, OnlineReply, Outcome
from xpos.core.rules import Check, Keys, Kind, decide
from xpos.errors import JournalError, KeyCheckError, KeyMissingError, SecurityError
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys, parse_signon_keys

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

log = logging.getLogger("xpos.terminal.txn")


async def sign_on(svc: TransactionService) -> OnlineReply:
    """0800/0810: fetch PIK/MAK/TDK under the TMK, check their KCVs, take the batch."""
    cfg, journal = svc.config, svc.journal
    try:
        tmk = svc.keystore.tmk
    except KeyMissingError:
        return OnlineReply(outcome=Outcome.ERROR, notice=Notice.NO_TMK)
    stan = journal.next_stan()
    request = m.sign_on_request(stan=stan, tid=cfg.tid, mid=cfg.mid, batch=journal.batch_no,
                                mode=cfg.key_mode, operator=svc.operator())
    answer, response = await svc.exchange(request)
    keys: WorkingKeys | None = None
    if response is not None:
        keys = _signon_keys(svc, response, tmk)
        answer = replace(answer, check=_key_check(response, keys))
    decision = decide(Kind.SIGN_ON, answer)
    svc.log_decision(decision, stan)
    installing = decision.keys is Keys.INSTALL and response is not None
    if installing and response is not None and not _take_batch(svc, response):
        svc.keystore.clear_working_keys()
        return OnlineReply(outcome=Outcome.ERROR, rc=answer.rc or None, stan=stan)
    svc.apply_keys(decision, keys)
    reply = OnlineReply(outcome=decision.outcome, rc=answer.rc or None,
                        notice=decision.notice, stan=stan)
    if decision.keys is not Keys.INSTALL or response is None:
        return reply
    return replace(reply, batch=journal.batch_no, when=svc.host_when(response))


def _take_batch(svc: TransactionService, response: Message) -> bool:
    """Take the batch of an approved 0810's 60.2; False if the journal refused it.

    After a journal recovery (batch 0) the host must open a new batch: the same batch as
    the lost journal's, or none, leaves the terminal not signed on.
    """
    journal = svc.journal
    try:
        journal.set_batch_no(_batch_from_60(response) or journal.batch_no)
    except JournalError as exc:
        log.error("sign-on refused: %s", exc)
        return False
    return True


def _signon_keys(svc: TransactionService, response: Message,
                 tmk: bytes) -> WorkingKeys | None:
    field62 = response.get(62)
    if (response.get(39) or "") != "00" or not field62:
        return None
    try:
        return parse_signon_keys(bytes.fromhex(field62), tmk, mode=svc.config.key_mode,
                                 mak_kcv=svc.config.mak_kcv)
    except (KeyCheckError, SecurityError, ValueError) as exc:
        log.warning("sign-on keys rejected: %s", exc)
        return None


def _key_check(response: Message, keys: WorkingKeys | None) -> Check:
    if keys is not None:
        return Check.OK
    return Check.BAD if response.get(62) else Check.ABSENT


def _batch_from_60(response: Message) -> int | None:
    field60 = response.get(60) or ""
    return int(field60[2:8]) if len(field60) >= 8 and field60[2:8].isdigit() else None
