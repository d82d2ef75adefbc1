"""Online transactions: the shell that carries out the money rules.

Theory of operation
-------------------
A flow yields ``Online(request)``; the runtime hands the request to
:class:`TransactionService`. Every decision (approve, decline, bad MAC, re-sign-on,
which reversal answers count, retries and give-up, the year of the host's date) is made
by the pure table in :mod:`xpos.core.rules`; this module only builds messages, talks to
the host link, describes what came back as a :class:`~xpos.core.rules.Answer` and
carries out the :class:`~xpos.core.rules.Decision`: journal writes, key changes, the
reply to the flow. The order of effects that keeps money safe:

1. Before any new online transaction, a pending reversal (from an earlier transaction
   that got no valid answer) is sent first, with a fresh MAC; each counted attempt is
   journaled before it is sent, and :func:`~xpos.core.rules.after_reversal` says whether
   to go on, stop for now, or give it up (冲正不成功 请与客服联系).
2. A sale, a void (and an X-menu redemption) is written to the journal *with its reversal
   record* (reason 98) in one SQLite transaction before a byte leaves the terminal.
3. The answer (or its absence) is looked up in the rules; the journal row, the
   reversal's reason and the working keys change as the decision says. An approved
   void marks its original sale voided in the same SQLite transaction as its own
   approval.

A void is refused here, before anything is sent, unless its original (found in the
journal by trace number, in the current batch) is an approved sale not yet voided and
the card swiped is the original's. The supervisor password and the void lookup are
answered locally from the configuration and the journal.

Sensitive data (track 2, PIN block) lives only in the request message in memory; the
journal gets the masked PAN and the reversal fields without 2/35/36/52/53.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from xpos.core import rules
from xpos.core.flows.online import (
    BalanceRequest,
    Notice,
    OnlineReply,
    OnlineRequest,
    OrderBankPay,
    OrderComboPay,
    OrderPartyPay,
    OrderQuery,
    Outcome,
    ReadinessRequest,
    RefundLookup,
    RefundRequest,
    ReprintRequest,
    SaleRequest,
    SettleReprintRequest,
    SettleRequest,
    SettleStatus,
    SignOnRequest,
    SupervisorCheck,
    TotalsRequest,
    VoidLookup,
    VoidRequest,
    VoucherDetails,
    VoucherRequest,
    XRecordsRequest,
)
from xpos.core.flows.preauth_requests import PreauthLookup, PreauthRequest
from xpos.core.flows.remote import SessionOpen, SessionResult
from xpos.core.rules import Answer, Check, Decision, JournalEffect, Keys, Kind, Next, Reach, Reason
from xpos.errors import (
    CodecError,
    HostTimeoutError,
    HostUnreachableError,
    JournalError,
    KeyCheckError,
    KeyMissingError,
    RemoteProtocolError,
    SecurityError,
)
from xpos.journal import Journal, ReversalDraft, ReversalRecord, TxnRecord, TxnStatus
from xpos.model import mask_code
from xpos.proto import messages as m
from xpos.proto.codec import Message, asks_sign_on
from xpos.proto.order import parse_order_message
from xpos.security.keys import WorkingKeys, parse_signon_keys
from xpos.security.keystore import KeyStore
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.track import encrypt_track2
from xpos.terminal import cardops, preauth
from xpos.terminal.config import TerminalConfig
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.hostlink import HostLink
from xpos.terminal.local import reprint_reply, totals_reply, x_records_reply
from xpos.terminal.orders import OrderService
from xpos.terminal.platform import PlatformSessions
from xpos.terminal.settle import SettlementRunner
from xpos.terminal.slip_rebuild import slip_source

log = logging.getLogger(__name__)

_ANSWERED_STATUS = {JournalEffect.APPROVED: TxnStatus.APPROVED,
                    JournalEffect.APPROVED_VOIDING: TxnStatus.APPROVED,
                    JournalEffect.DECLINED: TxnStatus.DECLINED}
_RRN_LENGTH = 12


@dataclass(frozen=True, kw_only=True)
class _Sent:
    """What the journal knows about a request on its way."""

    kind: Kind
    txn_id: int
    stan: int
    batch: int
    amount: int
    masked_pan: str
    code_masked: str = ""
    voids: int | None = None
    """For a void: the journal id of the sale it undoes."""


Sent = _Sent
"""What the journal knows about a request on its way (:meth:`TransactionService.begin`)."""


class TransactionService:
    """Runs online requests for flows: journal, reversal queue, MAC, host link."""

    def __init__(self, *, config: TerminalConfig, journal: Journal, keystore: KeyStore,
                 link: HostLink, on_keys: Callable[[WorkingKeys], None] | None = None,
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        """Wire the service.

        Args:
            config: Working parameters.
            journal: The terminal journal.
            keystore: Where TMK and working keys live.
            link: The host link.
            on_keys: Called with new working keys after a sign-on (loads the PIN pad).
            clock: Local wall clock (for receipts when the host sends no time).
        """
        self._cfg = config
        self._journal = journal
        self._keys = keystore
        self._link = link
        self._on_keys = on_keys
        self._clock = clock or dt.datetime.now
        self.last_txn_id: int | None = None
        self.platform = PlatformSessions(self)
        self.orders = OrderService(self)
        self.settlement = SettlementRunner(self)

    async def handle(self, request: OnlineRequest) -> OnlineReply:
        """Run one online request and describe its outcome for the flow (an X request
        only while the platform is available: :meth:`PlatformSessions.guarded`)."""
        return await self.platform.guarded(request, lambda: self._handle(request))

    async def _handle(self, request: OnlineRequest) -> OnlineReply:
        if isinstance(request, SignOnRequest):
            return await self.sign_on()
        if isinstance(request, ReadinessRequest):
            ready = self._working_keys() is not None and not self._journal.needs_batch
            if ready and self._journal.open_settlement() is not None:
                return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.SETTLE_PENDING)
            return OnlineReply(outcome=Outcome.APPROVED if ready else Outcome.NOT_SIGNED_ON)
        if isinstance(request, SaleRequest):
            return await self.sale(request)
        if isinstance(request, SupervisorCheck):
            return self.check_supervisor(request)
        if isinstance(request, VoidLookup):
            return self.void_lookup(request.stan)
        if isinstance(request, VoidRequest):
            return await self.void(request)
        if isinstance(request, ReprintRequest):
            return reprint_reply(self._journal, request, slip_source(self._cfg))
        if isinstance(request, TotalsRequest):
            return totals_reply(self._journal, self._clock(), request.domain)
        if isinstance(request, PreauthLookup):  # the pre-authorisation family
            return preauth.lookup(self, request)
        if isinstance(request, PreauthRequest):
            return await preauth.run(self, request)
        if isinstance(request, SessionOpen | SessionResult):
            return await self.platform.handle(request)
        if isinstance(request, XRecordsRequest):
            return x_records_reply(self._journal, request)
        if isinstance(request, OrderQuery | OrderBankPay | OrderPartyPay | OrderComboPay):
            return await self.orders.handle(request)
        if isinstance(request, SettleStatus):
            return self.settlement.status()
        if isinstance(request, SettleRequest):
            return await self.settlement.run()
        if isinstance(request, SettleReprintRequest):
            return self.settlement.reprint()
        if isinstance(request, RefundLookup):
            return cardops.refund_lookup(self._journal, request)
        if isinstance(request, RefundRequest):
            return await cardops.refund(self, request)
        if isinstance(request, BalanceRequest):
            return await cardops.balance(self, request)
        return await self.voucher(request)

    # -- sign-on ---------------------------------------------------------------------

    async def sign_on(self) -> OnlineReply:
        """0800/0810: fetch PIK/MAK/TDK under the TMK, check their KCVs, take the batch."""
        try:
            tmk = self._keys.tmk
        except KeyMissingError:
            return OnlineReply(outcome=Outcome.ERROR, notice=Notice.NO_TMK)
        stan = self._journal.next_stan()
        request = m.sign_on_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid,
                                    batch=self._journal.batch_no, mode=self._cfg.key_mode,
                                    operator=self._operator())
        answer, response = await self._exchange(request)
        keys: WorkingKeys | None = None
        if response is not None:
            keys = self._signon_keys(response, tmk)
            answer = replace(answer, check=_key_check(response, keys))
        decision = rules.decide(Kind.SIGN_ON, answer)
        self._log(decision, stan)
        installing = decision.keys is Keys.INSTALL and response is not None
        if installing and response is not None and not self._take_batch(response):
            self._keys.clear_working_keys()
            return OnlineReply(outcome=Outcome.ERROR, rc=answer.rc or None, stan=stan)
        self._apply_keys(decision, keys)
        reply = OnlineReply(outcome=decision.outcome, rc=answer.rc or None,
                            notice=decision.notice, stan=stan)
        if decision.keys is not Keys.INSTALL or response is None:
            return reply
        return replace(reply, batch=self._journal.batch_no, when=self._when(response))

    def _take_batch(self, response: Message) -> bool:
        """Take the batch of an approved 0810's 60.2; False if the journal refused it.

        After a journal recovery (batch 0) the host must open a new batch: the same
        batch as the lost journal's, or none, leaves the terminal not signed on.
        """
        try:
            self._journal.set_batch_no(_batch_from_60(response) or self._journal.batch_no)
        except JournalError as exc:
            log.error("sign-on refused: %s", exc)
            return False
        return True

    def _signon_keys(self, response: Message, tmk: bytes) -> WorkingKeys | None:
        field62 = response.get(62)
        if (response.get(39) or "") != "00" or not field62:
            return None
        try:
            return parse_signon_keys(bytes.fromhex(field62), tmk, mode=self._cfg.key_mode,
                                     mak_kcv=self._cfg.mak_kcv)
        except (KeyCheckError, SecurityError, ValueError) as exc:
            log.warning("sign-on keys rejected: %s", exc)
            return None

    # -- sale ------------------------------------------------------------------------

    async def sale(self, request: SaleRequest, *,
                   detail: dict[str, object] | None = None) -> OnlineReply:
        """0200/0210 with the pending-reversal discipline (``detail`` goes to the journal)."""
        keys = await self._prepare()
        if isinstance(keys, OnlineReply):
            return keys
        track2, encrypted = self._track2(request.card.track2, keys)
        stan, batch = self._journal.next_stan(), self._journal.batch_no
        message = m.sale_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid, batch=batch,
                                 amount=request.amount, track2=track2,
                                 expiry=request.card.expiry, pin_block=request.pin_block,
                                 track_encrypted=encrypted, operator=self._operator(),
                                 double_length_keys=self._cfg.key_mode != "001")
        message = m.add_mac(message, self._mac(keys))
        sent = self._begin(Kind.SALE, "bank", message, request.amount,
                           request.card.masked_pan, detail=detail or {})
        return await self._finish(message, sent, keys)

    # -- void ------------------------------------------------------------------------

    def check_supervisor(self, request: SupervisorCheck) -> OnlineReply:
        """APPROVED when the password is the configured one (compared in constant time)."""
        ok = hmac.compare_digest(request.password.encode("utf-8"),
                                 self._cfg.supervisor_password.encode("utf-8"))
        return OnlineReply(outcome=Outcome.APPROVED if ok else Outcome.DECLINED)

    def void_lookup(self, stan: int) -> OnlineReply:
        """The sale with trace number ``stan`` as the void flow shows it, or why not."""
        original = self._voidable(stan)
        if isinstance(original, Notice):
            return OnlineReply(outcome=Outcome.DECLINED, notice=original)
        return OnlineReply(outcome=Outcome.APPROVED, stan=original.stan, batch=original.batch,
                           amount=original.amount, masked_pan=original.masked_pan,
                           auth_code=original.auth_code or "", rrn=original.rrn or "",
                           when=_local_time(original.created_at))

    def _voidable(self, stan: int) -> TxnRecord | Notice:
        """The journal's sale ``stan`` of the current batch if it may be voided, else why not."""
        if not 1 <= stan <= 999999:
            return Notice.VOID_UNKNOWN
        record = self._journal.by_stan(stan, self._journal.batch_no)
        if record is None:
            other = self._journal.by_stan(stan)
            return Notice.VOID_UNKNOWN if other is None else Notice.VOID_OTHER_BATCH
        if record.kind != Kind.SALE.value:
            return Notice.VOID_NOT_SALE
        if record.status is not TxnStatus.APPROVED:
            return Notice.VOID_NOT_APPROVED
        if record.voided:
            return Notice.VOID_DONE
        return Notice.VOID_REFUNDED if self._refunded(record) else record

    def _refunded(self, sale: TxnRecord) -> bool:
        """Whether a refund of ``sale`` (by its RRN) is in the journal, approved or unknown."""
        return bool(sale.rrn) and any(
            row.kind == Kind.REFUND.value and row.detail.get("original_rrn") == sale.rrn
            and row.status in (TxnStatus.APPROVED, TxnStatus.PENDING)
            for row in self._journal.transactions(domain="bank"))

    async def void(self, request: VoidRequest) -> OnlineReply:
        """0200/0210 F3 200000: a full or partial void (the host decides whether a partial
        one is allowed), journaled with its reversal before it is sent."""
        original = self._voidable(request.stan)
        if isinstance(original, Notice):
            return OnlineReply(outcome=Outcome.DECLINED, notice=original)
        if request.card.masked_pan != original.masked_pan:
            return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.VOID_OTHER_CARD)
        amount = request.amount or original.amount  # 0 / None: the whole amount
        if amount > original.amount:
            return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.VOID_OVER_AMOUNT)
        keys = await self._prepare()
        if isinstance(keys, OnlineReply):
            return keys
        track2, encrypted = self._track2(request.card.track2, keys)
        stan, batch = self._journal.next_stan(), self._journal.batch_no
        rrn = original.rrn or ""
        source = m.Original(batch=original.batch, stan=original.stan,
                            rrn=rrn if len(rrn) == _RRN_LENGTH else "",
                            auth_code=original.auth_code or "")
        message = m.void_request(original=source, stan=stan, tid=self._cfg.tid,
                                 mid=self._cfg.mid, batch=batch, amount=amount,
                                 track2=track2, expiry=request.card.expiry,
                                 pin_block=request.pin_block, track_encrypted=encrypted,
                                 operator=self._operator(),
                                 double_length_keys=self._cfg.key_mode != "001")
        message = m.add_mac(message, self._mac(keys))
        detail: dict[str, object] = {"original_stan": original.stan,
                                     "original_batch": original.batch}
        if amount < original.amount:
            detail["original_amount"] = original.amount  # a partial void (adjust, B5)
        sent = self._begin(Kind.VOID, "bank", message, amount, original.masked_pan,
                           detail=detail)
        return await self._finish(message, replace(sent, voids=original.id), keys)

    # -- X menu: voucher verification --------------------------------------------------

    async def voucher(self, request: VoucherRequest) -> OnlineReply:
        """0100/0110 F3 700000: verify and redeem a voucher through the platform."""
        keys = await self._prepare()
        if isinstance(keys, OnlineReply):
            return keys
        stan, batch = self._journal.next_stan(), self._journal.batch_for("x")
        member = request.member_card
        message = m.voucher_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid,
                                    batch=batch, code=request.code, method=request.method,
                                    order_no=request.order_no,
                                    member_pan=member.pan if member and member.pan else None,
                                    member_uid=member.uid if member and not member.pan
                                    else None)
        message = m.add_mac(message, self._mac(keys))
        sent = self._begin(Kind.VOUCHER, "x", message, 0,
                           member.masked_pan if member else "",
                           detail={"code": mask_code(request.code or request.order_no or ""),
                                   "method": request.method})
        return await self._finish(message, sent, keys)

    # -- shared machinery ------------------------------------------------------------

    async def _prepare(self) -> WorkingKeys | OnlineReply:
        """The working keys once pending reversals are out, or the reply that stops us."""
        keys = self._working_keys()
        if keys is None or self._journal.needs_batch:  # no batch yet: after a recovery
            return OnlineReply(outcome=Outcome.NOT_SIGNED_ON)
        if self._journal.open_settlement() is not None:  # finish the settlement first
            return OnlineReply(outcome=Outcome.DECLINED, notice=Notice.SETTLE_PENDING)
        blocked = await self._flush_reversal(keys)
        if blocked is None:
            await self.orders.flush(keys)  # X2 payments left pending (docs: orders.py)
        return keys if blocked is None else blocked

    def _begin(self, kind: Kind, domain: str, message: Message, amount: int,
               masked_pan: str, *, detail: dict[str, object]) -> _Sent:
        # The reversal builder already leaves out PAN, track and PIN (REVERSAL_STRIPPED).
        reversal = m.reversal_request(message, reason=Reason.R98.value)
        stan = int(message.get(11) or 0)
        batch = self._journal.batch_for(domain)
        self.last_txn_id = txn_id = self._journal.begin_txn(
            kind=kind.value, domain=domain, stan=stan, batch=batch, amount=amount,
            masked_pan=masked_pan, tid=self._cfg.tid, mid=self._cfg.mid, detail=detail,
            reversal=ReversalDraft(mti=reversal.mti, fields=dict(reversal.fields)))
        return _Sent(kind=kind, txn_id=txn_id, stan=stan, batch=batch, amount=amount,
                     masked_pan=masked_pan, code_masked=str(detail.get("code", "")))

    async def _finish(self, message: Message, sent: _Sent, keys: WorkingKeys) -> OnlineReply:
        crashpoint(f"{sent.kind.value}.before_send")
        answer, response = await self._exchange(message, keys)
        crashpoint(f"{sent.kind.value}.after_answer")
        decision = rules.decide(sent.kind, answer)
        self._log(decision, sent.stan)
        self._apply_keys(decision, None)
        auth = (response.get(38) or "").strip() if response is not None else ""
        rrn = (response.get(37) or "").strip() if response is not None else ""
        voucher = None
        if decision.journal is JournalEffect.APPROVED and response is not None:
            voucher = self._voucher_details(message, response, sent)
        self._apply_journal(decision, sent, rc=answer.rc, auth=auth, rrn=rrn, voucher=voucher)
        crashpoint(f"{sent.kind.value}.after_commit")
        reply = OnlineReply(outcome=decision.outcome, notice=decision.notice,
                            stan=sent.stan, batch=sent.batch, amount=sent.amount,
                            masked_pan=sent.masked_pan)
        if response is None:
            return reply
        return replace(reply, rc=answer.rc, auth_code=auth, rrn=rrn,
                       when=self._when(response), voucher=voucher,
                       message=_host_message(message, response))

    def _apply_journal(self, decision: Decision, sent: _Sent, *, rc: str, auth: str, rrn: str,
                       voucher: VoucherDetails | None) -> None:
        status = _ANSWERED_STATUS.get(decision.journal)
        if decision.journal is JournalEffect.FAILED:
            self._journal.complete_txn(sent.txn_id, status=TxnStatus.FAILED)
        elif status is not None:
            detail = {"title": voucher.title, "quantity": voucher.quantity,
                      "provider": voucher.provider} if voucher else None
            voids = sent.voids if decision.journal is JournalEffect.APPROVED_VOIDING else None
            self._journal.complete_txn(sent.txn_id, rc=rc, auth_code=auth or None,
                                       rrn=rrn or None, status=status, detail_update=detail,
                                       voids=voids)
        elif decision.reversal is Reason.A0:
            self._journal.set_reversal_reason(sent.txn_id, Reason.A0.value,
                                              auth_code=auth or None)

    def _apply_keys(self, decision: Decision, keys: WorkingKeys | None) -> None:
        if decision.keys is Keys.DROP:
            self._keys.clear_working_keys()
        elif decision.keys is Keys.INSTALL and keys is not None:
            self._keys.set_working_keys(keys)
            if self._on_keys is not None:
                self._on_keys(keys)

    def _voucher_details(self, request: Message, response: Message,
                         sent: _Sent) -> VoucherDetails | None:
        if m.classify(request) is not m.MessageKind.VOUCHER_VERIFY:
            return None
        info = m.parse_voucher_response(response)
        if info is None:
            return None
        return VoucherDetails(title=info.title, quantity=info.quantity,
                              provider=info.provider, code_masked=sent.code_masked)

    async def _flush_reversal(self, keys: WorkingKeys) -> OnlineReply | None:
        """Send pending reversals first (the rules say which answers take them).

        An attempt is counted (in the journal, before sending) once the host link is up.

        Returns:
            ``None`` when none is left; else the reply the flow shows instead of going on.
        """
        while (record := self._journal.pending_reversal()) is not None:
            try:
                await self._link.connect()
            except HostUnreachableError:
                return OnlineReply(outcome=Outcome.UNREACHABLE)
            attempts = self._journal.reversal_attempted(record.id)
            crashpoint("reversal.before_send")
            decision = await self._send_reversal(record, keys)
            after = rules.after_reversal(decision, attempts=attempts,
                                         retries=self._cfg.reversal_retries)
            if after.next is Next.GO_ON:
                continue
            if after.next is Next.GIVE_UP:
                log.error("reversal of STAN %s given up after %d attempts",
                          record.fields.get(11), attempts)
                self._journal.finish_reversal(record.id, txn_status=TxnStatus.FAILED)
            return OnlineReply(outcome=after.outcome or Outcome.ERROR, notice=after.notice)
        return None

    async def _send_reversal(self, record: ReversalRecord, keys: WorkingKeys) -> Decision:
        """Send one reversal and carry out what the rules decide about its answer."""
        reversal = Message(mti=record.mti, fields=dict(record.fields))
        reversal = m.add_mac(reversal.replace(set={39: record.reason}), self._mac(keys))
        answer, _ = await self._exchange(reversal, keys)
        crashpoint("reversal.after_answer")
        decision = rules.decide(Kind.REVERSAL, answer)
        self._log(decision, int(record.fields.get(11) or 0))
        self._apply_keys(decision, None)
        if decision.journal is JournalEffect.REVERSED:
            self._journal.finish_reversal(record.id, txn_status=TxnStatus.REVERSED)
        elif decision.reversal is not Reason.KEEP and decision.reversal.value != record.reason:
            self._journal.set_reversal_reason(record.txn_id, decision.reversal.value)
        return decision

    async def _exchange(self, request: Message,
                        keys: WorkingKeys | None = None) -> tuple[Answer, Message | None]:
        """Send ``request``; describe what came back (MAC checked with ``keys`` if given)."""
        try:
            response = await self._link.exchange(request)
        except HostUnreachableError as exc:
            log.warning("host unreachable: %s", exc)
            return Answer(reach=Reach.UNREACHABLE), None
        except HostTimeoutError:
            self.platform.observe(request, Answer(reach=Reach.TIMEOUT))  # X: platform gone?
            return Answer(reach=Reach.TIMEOUT), None
        except RemoteProtocolError as exc:
            log.warning("bad response: %s", exc)
            return Answer(reach=Reach.MALFORMED), None
        check = Check.ABSENT
        if keys is not None and response.get(64) is not None:
            check = Check.OK if m.verify_mac(response, self._mac(keys)) else Check.BAD
        resign = asks_sign_on(response.header)
        answer = Answer(reach=Reach.ANSWERED, rc=response.get(39) or "", check=check,
                        resign=resign)
        self.platform.observe(request, answer)  # X answered 40/12: a plain CUP host
        return answer, response

    def _log(self, decision: Decision, stan: int) -> None:
        level = logging.INFO if decision.outcome is Outcome.APPROVED else logging.WARNING
        if decision.keys is Keys.DROP:
            level = logging.WARNING
        log.log(level, "STAN %06d %s", stan, decision.why)

    def _working_keys(self) -> WorkingKeys | None:
        try:
            return self._keys.working_keys
        except KeyMissingError:
            return None

    def _mac(self, keys: WorkingKeys) -> Callable[[bytes], bytes]:
        algorithm = MacAlgorithm(self._cfg.mac_algorithm)
        return lambda data: compute_mac(algorithm, keys.mak, data)

    def _track2(self, track2: str, keys: WorkingKeys) -> tuple[str, bool]:
        if self._cfg.encrypt_track and keys.tdk is not None:
            return encrypt_track2(track2, keys.tdk), True
        return track2, False  # sale_request writes the separator as D

    def _operator(self) -> str:
        return self._cfg.operator.ljust(3)[:3]

    def _when(self, response: Message) -> dt.datetime:
        return rules.host_time(self._clock(), response.get(13), response.get(12))

    # -- for the X3 platform sessions (xpos.terminal.platform) --------------------------

    @property
    def config(self) -> TerminalConfig:
        """The working parameters."""
        return self._cfg

    @property
    def journal(self) -> Journal:
        """The terminal journal."""
        return self._journal

    async def prepare(self) -> WorkingKeys | OnlineReply:
        """The working keys once pending reversals are out, or the reply that stops us."""
        return await self._prepare()

    def working_keys(self) -> WorkingKeys | None:
        """The working keys, or None before a sign-on."""
        return self._working_keys()

    def mac(self, keys: WorkingKeys) -> Callable[[bytes], bytes]:
        """The MAC function of the link under ``keys``."""
        return self._mac(keys)

    async def exchange(self, request: Message,
                       keys: WorkingKeys | None = None) -> tuple[Answer, Message | None]:
        """Send ``request``; describe what came back (MAC checked with ``keys`` if given)."""
        return await self._exchange(request, keys)

    def now(self) -> dt.datetime:
        """The local wall clock."""
        return self._clock()

    # -- for the sibling services (xpos.terminal.cardops, preauth, orders, settle) ------

    def begin(self, kind: Kind, domain: str, message: Message, amount: int,
              masked_pan: str, *, detail: dict[str, object]) -> Sent:
        """Journal ``message`` (pending) and its reversal (reason 98) in one transaction."""
        return self._begin(kind, domain, message, amount, masked_pan, detail=detail)

    async def finish(self, message: Message, sent: Sent, keys: WorkingKeys) -> OnlineReply:
        """Send a journaled request, decide on the answer by the rules and carry it out."""
        return await self._finish(message, sent, keys)

    def apply_journal(self, decision: Decision, sent: Sent, *, rc: str, auth: str, rrn: str,
                      voucher: VoucherDetails | None) -> None:
        """Carry out the decision's journal effect on the row of ``sent``."""
        self._apply_journal(decision, sent, rc=rc, auth=auth, rrn=rrn, voucher=voucher)

    def apply_keys(self, decision: Decision, keys: WorkingKeys | None) -> None:
        """Carry out the decision's working-key effect (drop, install ``keys``, keep)."""
        self._apply_keys(decision, keys)

    def log_decision(self, decision: Decision, stan: int) -> None:
        """Log the decision's one line (warning when not approved or keys dropped)."""
        self._log(decision, stan)

    def track2(self, track2: str, keys: WorkingKeys) -> tuple[str, bool]:
        """Track 2 as sent (TDK-encrypted when configured) and whether it is encrypted."""
        return self._track2(track2, keys)

    def operator(self) -> str:
        """The operator number as field 63 carries it (3 characters)."""
        return self._operator()

    def host_when(self, response: Message) -> dt.datetime:
        """The host's date and time of ``response`` (F13 + F12) on the local clock's year."""
        return self._when(response)


def _local_time(created_at: str) -> dt.datetime | None:
    """A journal timestamp (ISO 8601, UTC) as naive local time, or None if unreadable."""
    try:
        return dt.datetime.fromisoformat(created_at).astimezone().replace(tzinfo=None)
    except ValueError:
        return None


def _key_check(response: Message, keys: WorkingKeys | None) -> Check:
    if keys is not None:
        return Check.OK
    return Check.BAD if response.get(62) else Check.ABSENT


def _batch_from_60(response: Message) -> int | None:
    field60 = response.get(60) or ""
    return int(field60[2:8]) if len(field60) >= 8 and field60[2:8].isdigit() else None


def _host_message(request: Message, response: Message) -> str:
    """The platform's own words (voucher DF14, X2 DF26) in an X answer, or ``""``."""
    kind = m.classify(request)
    if kind is m.MessageKind.PARTY_DEBIT:
        try:
            return parse_order_message(response)
        except CodecError:
            return ""
    if kind is not m.MessageKind.VOUCHER_VERIFY:
        return ""
    try:
        info = m.parse_voucher_response(response)
    except CodecError:
        return ""
    return info.message if info is not None else ""
