"""X3 interactive sessions in the shell: journal, routing, MAC, platform availability.

Theory of operation
-------------------
:class:`PlatformSessions` carries out the session flow's :class:`SessionOpen` and
:class:`SessionResult` requests (:mod:`xpos.core.flows.interactive`):

1. **Routing.** Every X-class message (:mod:`xpos.proto.routing`: voucher, orders,
   third-party debit, X settlement, sessions) goes over the acquirer link with the TPDU
   destination ``platform_tpdu_destination`` (the source stays the terminal's), put
   there by the host link's session, the one place that addresses messages; the
   acquirer's front end routes on it. MAC'd both ways with the MAK.
2. **Availability.** When an X-class message gets no answer, or the answer ``40``/``12``
   (a plain CUP host that does not know X messages), the platform is marked unavailable
   for ``platform_retry_s`` (:meth:`PlatformSessions.observe`, on every exchange): until
   then every X request (a session open, a voucher, an order query or payment) is
   refused at once with 平台不可用, without sending (:meth:`PlatformSessions.guarded`;
   no waiting out the timeout on every try). Reversals are never held back.
3. **Journal.** An open is journaled (kind ``x3_session``, domain ``x``, amount 0) before
   it is sent; the row stays PENDING while the session runs and is completed APPROVED
   when the platform ends the session (``END``), FAILED when it refuses or is abandoned.
   A bank debit inside the session is an ordinary sale, journaled with its reversal.
4. **Abandon.** Before a new session opens (after pending reversals have gone out), every
   session still PENDING in the journal (power cut, network cut) is reported abandoned,
   with the trace numbers of the approved bank debits journaled after it, so the platform
   learns of every debit: an unconfirmed debit was reversed first by the bank rules.
5. **Idempotence.** A step result that gets no valid answer is sent once more (same
   session, same step number: the platform answers a repeat with the same next step).

The session id is the open request's TID + batch (6) + trace (6), so a journal row alone
names its session. Card data goes to the platform as the masked PAN plus the whole
track 2 encrypted under the TDK (:mod:`xpos.security.platform_track`; no TDK: the masked
PAN only); a PIN only as the PIN block; a hidden input value sealed under the TDK
(:func:`seal_hidden`, :mod:`xpos.security.platform_value`), its clear place left empty.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from xpos.core.flows.online import (
    Notice,
    OnlineReply,
    OrderBankPay,
    OrderComboPay,
    OrderPartyPay,
    OrderQuery,
    Outcome,
    VoucherRequest,
)
from xpos.core.flows.remote import CAPABILITIES, HostStep, SessionOpen, SessionResult
from xpos.core.rules import Answer, Check, Reach
from xpos.core.steps import InputField
from xpos.errors import DecodeError, SecurityError
from xpos.journal import TxnRecord, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.proto.interactive import (
    PlatformStep,
    StepReport,
    open_request,
    parse_step,
    result_request,
)
from xpos.proto.routing import is_x_class
from xpos.security.keys import WorkingKeys
from xpos.security.platform_track import seal_track
from xpos.security.platform_value import seal_value

if TYPE_CHECKING:
    from xpos.terminal.txn import TransactionService

log = logging.getLogger(__name__)

SESSION_KIND = "x3_session"
"""Journal kind of an interactive session."""

UNKNOWN_FUNCTION = ("40", "12")
"""Answers of a host that does not know X3 messages: the platform is unavailable."""

_CODES = {"ok": "00", "cancelled": "10", "back": "11", "timeout": "12", "unable": "20",
          "beyond_capability": "30", "not_understood": "31", "missing_values": "36"}


def _starts_x(request: object) -> bool:
    """True for a request that starts an X-menu exchange (not X3: it has its own gate;
    not the bank leg or undo of a combined payment: those finish what was begun)."""
    if isinstance(request, OrderComboPay):
        return request.leg == "party"
    return isinstance(request, VoucherRequest | OrderQuery | OrderBankPay | OrderPartyPay)


def session_id(tid: str, batch: int, stan: int) -> str:
    """The session id of an open sent by ``tid`` with ``batch`` and ``stan``."""
    return f"{tid}{batch:06d}{stan:06d}"


class PlatformSessions:
    """Runs X3 session requests for the flows (see the module docstring)."""

    def __init__(self, txn: TransactionService) -> None:
        """Wire to the transaction service whose link, journal and keys it uses."""
        self._txn = txn
        self._unavailable_until: dt.datetime | None = None

    @property
    def available(self) -> bool:
        """False while the platform is marked unavailable."""
        until = self._unavailable_until
        return until is None or self._txn.now() >= until

    def mark_unavailable(self) -> None:
        """No answer, or ``40``/``12``: refuse X requests at once for ``platform_retry_s``."""
        self._unavailable_until = self._txn.now() + dt.timedelta(
            seconds=self._txn.config.platform_retry_s)
        log.warning("X platform unavailable for %.0f s", self._txn.config.platform_retry_s)

    def observe(self, message: Message, answer: Answer) -> None:
        """Watch every exchange: an X-class message (:mod:`xpos.proto.routing`) without
        an answer, or answered ``40``/``12``, marks the platform unavailable."""
        if not is_x_class(message) or message.mti == "0400":  # a reversal always goes
            return
        if answer.reach is Reach.TIMEOUT or (answer.reach is Reach.ANSWERED
                                             and answer.rc in UNKNOWN_FUNCTION):
            self.mark_unavailable()

    async def guarded(self, request: object,
                      run: Callable[[], Awaitable[OnlineReply]]) -> OnlineReply:
        """Run ``request`` unless it starts an X-menu exchange while the platform is
        unavailable (then 平台不可用 at once, nothing sent); a failure that made it
        unavailable by a ``40``/``12`` answer is shown as 平台不可用 too."""
        if not _starts_x(request):
            return await run()
        if not self.available:
            return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.PLATFORM_UNAVAILABLE)
        reply = await run()
        if (reply.outcome is Outcome.DECLINED and reply.notice is None
                and not self.available):  # answered 40/12 (a timeout keeps 交易超时)
            return replace(reply, notice=Notice.PLATFORM_UNAVAILABLE)
        return reply

    async def handle(self, request: SessionOpen | SessionResult) -> OnlineReply:
        """Carry out one session request."""
        if isinstance(request, SessionOpen):
            return await self.open(request)
        return await self.result(request)

    async def open(self, request: SessionOpen) -> OnlineReply:
        """Abandon leftover sessions, then open one (journaled before it is sent)."""
        if not self.available:
            return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.PLATFORM_UNAVAILABLE)
        keys = await self._txn.prepare()
        if isinstance(keys, OnlineReply):
            return keys
        stopped = await self._abandon_pending(keys)
        if stopped is not None:
            return stopped
        cfg, journal = self._txn.config, self._txn.journal
        stan, batch = journal.next_stan(), journal.batch_no
        message = open_request(stan=stan, tid=cfg.tid, mid=cfg.mid, batch=batch,
                               service=request.service, capabilities=CAPABILITIES)
        row = journal.begin_txn(kind=SESSION_KIND, domain="x", stan=stan, batch=batch,
                                amount=0, masked_pan="", tid=cfg.tid, mid=cfg.mid,
                                detail={"service": request.service})
        reply, response = await self._send(message, keys, attempts=1)
        return self._settle(row, reply, response, first=True)

    async def result(self, request: SessionResult) -> OnlineReply:
        """Report a step's result; the reply carries the next step."""
        keys = self._txn.working_keys()
        row = self._row(request.session)
        if keys is None or row is None:
            return OnlineReply(outcome=Outcome.NOT_SIGNED_ON if keys is None
                               else Outcome.ERROR)
        cfg, journal = self._txn.config, self._txn.journal
        report = self._report(request, keys)
        message = result_request(stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid,
                                 batch=journal.batch_no, session=request.session,
                                 number=request.number, report=report)
        reply, response = await self._send(message, keys, attempts=2)
        return self._settle(row.id, reply, response, first=False)

    # -- internals ---------------------------------------------------------------------

    def _row(self, session: str) -> TxnRecord | None:
        for record in reversed(self._pending()):
            if session_id(record.tid, record.batch, record.stan) == session:
                return record
        return None

    def _pending(self) -> list[TxnRecord]:
        return [r for r in self._txn.journal.transactions(domain="x")
                if r.kind == SESSION_KIND and r.status is TxnStatus.PENDING]

    def _report(self, request: SessionResult, keys: WorkingKeys) -> StepReport:
        card, track = request.card, ""
        if card is not None and card.track2 and keys.tdk is not None:
            try:
                track = seal_track(card.track2, keys.tdk).hex().upper()
            except SecurityError:
                track = ""
        values, sealed = seal_hidden(request, keys)
        return StepReport(result=_CODES[request.code.value], values=values,
                          amount=request.amount, bank_rc=request.bank_rc,
                          bank_stan=request.bank_stan, bank_rrn=request.bank_rrn,
                          masked_pan=card.masked_pan if card is not None else "",
                          track_cipher=track, pin_block=request.pin_block, sealed=sealed)

    async def _send(self, message: Message, keys: WorkingKeys, *,
                    attempts: int) -> tuple[OnlineReply, Message | None]:
        """Send (MAC'd, routed) up to ``attempts`` times while nothing valid comes back."""
        reply = OnlineReply(outcome=Outcome.ERROR)
        for attempt in range(attempts):
            stamped = message if attempt == 0 else message.replace(
                set={11: f"{self._txn.journal.next_stan():06d}"})
            sealed = m.add_mac(stamped, self._txn.mac(keys))  # routed by the session
            answer, response = await self._txn.exchange(sealed, keys)
            if answer.reach is Reach.UNREACHABLE:
                return OnlineReply(outcome=Outcome.UNREACHABLE), None
            if answer.reach is Reach.ANSWERED and response is not None:
                if answer.rc in UNKNOWN_FUNCTION:
                    break
                if answer.rc == "00" and answer.check is not Check.OK:
                    return OnlineReply(outcome=Outcome.BAD_MAC, rc=answer.rc), None
                if answer.rc != "00":
                    return OnlineReply(outcome=Outcome.DECLINED, rc=answer.rc), None
                return OnlineReply(outcome=Outcome.APPROVED, rc="00"), response
            reply = OnlineReply(outcome=Outcome.NO_RESPONSE)
        self.mark_unavailable()
        return replace_notice(reply), None

    def _settle(self, row: int, reply: OnlineReply, response: Message | None, *,
                first: bool) -> OnlineReply:
        """Complete the session's journal row as the answer says; the reply for the flow."""
        journal = self._txn.journal
        if response is None:
            answered = reply.outcome is Outcome.DECLINED and reply.notice is None
            if first or answered:  # else the session is abandoned before the next one
                journal.complete_txn(row, status=TxnStatus.FAILED, rc=reply.rc)
            return reply
        step = _host_step(response)
        if step.code == "END":
            journal.complete_txn(row, status=TxnStatus.APPROVED, rc="00")
        elif step.malformed and first:
            journal.complete_txn(row, status=TxnStatus.FAILED, rc="00")
        return OnlineReply(outcome=Outcome.APPROVED, rc="00", step=step)

    async def _abandon_pending(self, keys: WorkingKeys) -> OnlineReply | None:
        """Report every session left PENDING as abandoned (with its bank debits)."""
        journal, cfg = self._txn.journal, self._txn.config
        sessions = [r.id for r in journal.transactions(domain="x") if r.kind == SESSION_KIND]
        for record in self._pending():
            end = min((i for i in sessions if i > record.id), default=None)
            stans = [r.stan for r in journal.transactions(domain="bank")
                     if r.id > record.id and (end is None or r.id < end) and r.kind == "sale"
                     and r.status is TxnStatus.APPROVED]
            message = result_request(stan=journal.next_stan(), tid=cfg.tid, mid=cfg.mid,
                                     batch=journal.batch_no,
                                     session=session_id(record.tid, record.batch, record.stan),
                                     number=0, abandon="P", bank_stans=stans)
            reply, _ = await self._send(message, keys, attempts=1)
            if reply.outcome in (Outcome.UNREACHABLE, Outcome.NO_RESPONSE) or (
                    reply.notice is Notice.PLATFORM_UNAVAILABLE):
                return reply
            log.info("X3 session of STAN %06d abandoned (bank debits: %s)", record.stan, stans)
            journal.complete_txn(record.id, status=TxnStatus.FAILED, rc=reply.rc,
                                 detail_update={"abandoned": True, "bank_stans": stans})
        return None


def seal_hidden(request: SessionResult, keys: WorkingKeys) -> tuple[
        tuple[str, ...], tuple[tuple[int, bytes], ...]]:
    """The values with every hidden one emptied, and the hidden ones sealed under the TDK
    (:mod:`xpos.security.platform_value`). Without a TDK (or one that fails) a hidden
    value is left out, never sent in clear: the platform refuses the step."""
    values, sealed = list(request.values), []
    for index, value in enumerate(request.values):
        if not request.is_hidden(index):
            continue
        values[index] = ""
        if keys.tdk is None:
            continue
        try:
            sealed.append((index + 1, seal_value(value, keys.tdk, session=request.session,
                                                 number=request.number, position=index + 1)))
        except SecurityError:
            log.warning("X3 hidden value %d of step %d could not be sealed", index + 1,
                        request.number)
    return tuple(values), tuple(sealed)


def replace_notice(reply: OnlineReply) -> OnlineReply:
    """``reply`` as the flow shows a platform that is not there: 平台不可用."""
    return OnlineReply(outcome=Outcome.DECLINED, rc=reply.rc, notice=Notice.PLATFORM_UNAVAILABLE)


def _host_step(response: Message) -> HostStep:
    try:
        step = parse_step(response)
    except DecodeError as exc:
        log.warning("X3 step not understood: %s", exc)
        return HostStep(malformed=True)
    return to_host_step(step)


def to_host_step(step: PlatformStep) -> HostStep:
    """The core's view of a decoded platform step."""
    fields = tuple(InputField(label=f.label, min_len=f.min_len, max_len=f.max_len, kind=f.kind,
                              hidden=f.hidden) for f in step.fields)
    return HostStep(session=step.session, number=step.number, code=step.code, text=step.text,
                    fields=fields, items=step.items, amount=step.amount,
                    timeout_s=float(step.timeout_s) if step.timeout_s is not None else None)
