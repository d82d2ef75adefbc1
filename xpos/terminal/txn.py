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

The function-specific parts live beside this module and use its public surface:
sign-on (:mod:`.signon`), void (:mod:`.voidops`), refund and balance (:mod:`.cardops`),
the pre-auth family (:mod:`.preauth`), the X-menu voucher (:mod:`.xwords`).

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
from xpos.core.rules import Answer, Check, Decision, JournalEffect, Keys, Kind, Reach, Reason
from xpos.errors import (
    HostTimeoutError,
    HostUnreachableError,
    KeyMissingError,
    RemoteProtocolError,
)
from xpos.journal import Journal, ReversalDraft, TxnStatus
from xpos.proto import messages as m
from xpos.proto.codec import Message, asks_sign_on
from xpos.security.keys import WorkingKeys
from xpos.security.keystore import KeyStore
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.track import encrypt_track2
from xpos.terminal import cardops, preauth, redeem, reversals, signon, voidops, xwords
from xpos.terminal.config import TerminalConfig
from xpos.terminal.crashpoints import crashpoint
from xpos.terminal.host_stamp import host_stamp
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
        if isinstance(request, redeem.REQUESTS):  # X1 query and X void
            return await redeem.handle(self, request)
        return await self.voucher(request)

    # -- sign-on ---------------------------------------------------------------------

    async def sign_on(self) -> OnlineReply:
        """0800/0810: fetch PIK/MAK/TDK under the TMK, check their KCVs, take the batch
        (:mod:`xpos.terminal.signon`)."""
        return await signon.sign_on(self)

    # -- sale ------------------------------------------------------------------------

    async def sale(self, request: SaleRequest, *,
                   detail: dict[str, object] | None = None) -> OnlineReply:
        """0200/0210 with the pending-reversal discipline (``detail`` goes to the journal)."""
        keys = await self._prepare()
        if isinstance(keys, OnlineReply):
            return keys
        message = self.sale_message(request, keys)
        sent = self._begin(Kind.SALE, "bank", message, request.amount,
                           request.card.masked_pan, detail=detail or {})
        return await self._finish(message, sent, keys)

    def sale_message(self, request: SaleRequest, keys: WorkingKeys) -> Message:
        """The MAC'd 0200 of ``request`` on the next STAN (also the X2 bank leg's)."""
        track2, encrypted = self._track2(request.card.track2, keys)
        stan, batch = self._journal.next_stan(), self._journal.batch_no
        message = m.sale_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid, batch=batch,
                                 amount=request.amount, track2=track2,
                                 expiry=request.card.expiry, pin_block=request.pin_block,
                                 track_encrypted=encrypted, operator=self._operator(),
                                 double_length_keys=self._cfg.key_mode != "001")
        return m.add_mac(message, self._mac(keys))

    # -- void ------------------------------------------------------------------------

    def check_supervisor(self, request: SupervisorCheck) -> OnlineReply:
        """APPROVED when the password is the configured one (compared in constant time)."""
        ok = hmac.compare_digest(request.password.encode("utf-8"),
                                 self._cfg.supervisor_password.encode("utf-8"))
        return OnlineReply(outcome=Outcome.APPROVED if ok else Outcome.DECLINED)

    def void_lookup(self, stan: int) -> OnlineReply:
        """The sale with trace number ``stan`` as the void flow shows it, or why not."""
        return voidops.void_lookup(self, stan)

    async def void(self, request: VoidRequest) -> OnlineReply:
        """0200/0210 F3 200000: a full or partial void (:mod:`xpos.terminal.voidops`)."""
        return await voidops.void(self, request)

    # -- X menu: voucher verification --------------------------------------------------

    async def voucher(self, request: VoucherRequest) -> OnlineReply:
        """0100/0110 F3 700000: verify and redeem a voucher (:mod:`xpos.terminal.xwords`)."""
        return await xwords.voucher(self, request)

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
        self._apply_journal(decision, sent, rc=answer.rc, auth=auth, rrn=rrn, voucher=voucher,
                            stamp=host_stamp(response))
        crashpoint(f"{sent.kind.value}.after_commit")
        reply = OnlineReply(outcome=decision.outcome, notice=decision.notice,
                            stan=sent.stan, batch=sent.batch, amount=sent.amount,
                            masked_pan=sent.masked_pan)
        if response is None:
            return reply
        return replace(reply, rc=answer.rc, auth_code=auth, rrn=rrn,
                       when=self._when(response), voucher=voucher,
                       message=xwords.host_message(message, response))

    def _apply_journal(self, decision: Decision, sent: _Sent, *, rc: str, auth: str, rrn: str,
                       voucher: VoucherDetails | None,
                       stamp: dict[str, str] | None = None) -> None:
        status = _ANSWERED_STATUS.get(decision.journal)
        if decision.journal is JournalEffect.FAILED:
            self._journal.complete_txn(sent.txn_id, status=TxnStatus.FAILED)
        elif status is not None:
            detail = xwords.journal_detail(voucher) if voucher else {}
            if stamp and status is TxnStatus.APPROVED:
                detail |= stamp  # the host's date and time, for a slip rebuilt later
            voids = sent.voids if decision.journal is JournalEffect.APPROVED_VOIDING else None
            self._journal.complete_txn(sent.txn_id, rc=rc, auth_code=auth or None,
                                       rrn=rrn or None, status=status,
                                       detail_update=detail or None, voids=voids)
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
        return xwords.details(info, sent.code_masked)

    async def _flush_reversal(self, keys: WorkingKeys) -> OnlineReply | None:
        """Send pending reversals first (see :func:`xpos.terminal.reversals.flush`)."""
        return await reversals.flush(self, self._link.connect, keys)

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
    def keystore(self) -> KeyStore:
        """The terminal's key store (TMK and working keys)."""
        return self._keys

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

    async def flush_reversals(self, keys: WorkingKeys) -> OnlineReply | None:
        """Send the pending reversals now; the reply that stops us, or None when done."""
        return await self._flush_reversal(keys)

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

