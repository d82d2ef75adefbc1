"""Online transactions: the money rules between a flow and the host link.

Theory of operation
-------------------
A flow yields ``Online(request)``; the runtime hands the request to
:class:`TransactionService`, which owns the order of effects that keeps money safe:

1. Before any new online transaction, a pending reversal (from an earlier transaction
   that got no valid answer) is sent first, with a fresh MAC. It is retried
   ``reversal_retries + 1`` times over successive transactions, then given up (the
   terminal shows 冲正不成功 请与客服联系 and the original is marked failed).
2. A sale (and an X-menu redemption) is written to the journal *with its reversal
   record* in one SQLite transaction before a byte leaves the terminal.
3. Unreachable host (nothing was sent): the transaction fails and its reversal is
   dropped. Timeout, malformed or mismatched answer: the reversal stays (reason 98).
   A ``00`` answer with a bad MAC: the reversal stays with reason A0.
4. A valid answer completes the journal row and deletes the reversal in one transaction.

Sensitive data (track 2, PIN block) lives only in the request message in memory; the
journal gets the masked PAN and the reversal fields without 2/35/36/52/53.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from xpos.core.flows.online import (
    OnlineReply,
    OnlineRequest,
    Outcome,
    ReadinessRequest,
    SaleRequest,
    SignOnRequest,
    VoucherDetails,
    VoucherRequest,
)
from xpos.errors import (
    HostError,
    HostTimeoutError,
    HostUnreachableError,
    KeyCheckError,
    KeyMissingError,
    RemoteProtocolError,
    SecurityError,
)
from xpos.journal import Journal, ReversalDraft, ReversalRecord, TxnStatus
from xpos.model import mask_code
from xpos.proto import messages as m
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys, parse_signon_keys
from xpos.security.keystore import KeyStore
from xpos.security.mac import MacAlgorithm, compute_mac
from xpos.security.track import encrypt_track2
from xpos.terminal.config import TerminalConfig
from xpos.terminal.hostlink import HostLink

log = logging.getLogger(__name__)

_PROCESSING_DIGIT = 5  # header digit 6: the host's processing requirement (reference §1.1)
_RESIGN_REQUIRED = "3"
_REVERSAL_ACCEPTED = frozenset({"00", "12", "25"})  # 12/25: the host has no such original


@dataclass(frozen=True, kw_only=True)
class _Sent:
    """What the journal knows about a request on its way."""

    txn_id: int
    stan: int
    batch: int
    amount: int
    masked_pan: str
    code_masked: str = ""


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

    async def handle(self, request: OnlineRequest) -> OnlineReply:
        """Run one online request and describe its outcome for the flow."""
        if isinstance(request, SignOnRequest):
            return await self.sign_on()
        if isinstance(request, ReadinessRequest):
            ready = self._working_keys() is not None
            return OnlineReply(outcome=Outcome.APPROVED if ready else Outcome.NOT_SIGNED_ON)
        if isinstance(request, SaleRequest):
            return await self.sale(request)
        return await self.voucher(request)

    # -- sign-on ---------------------------------------------------------------------

    async def sign_on(self) -> OnlineReply:
        """0800/0810: fetch PIK/MAK/TDK under the TMK, check their KCVs, take the batch."""
        try:
            tmk = self._keys.tmk
        except KeyMissingError:
            return OnlineReply(outcome=Outcome.ERROR, message="no_tmk")
        stan = self._journal.next_stan()
        request = m.sign_on_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid,
                                    batch=self._journal.batch_no, mode=self._cfg.key_mode,
                                    operator=self._operator())
        response = await self._exchange_plain(request)
        if isinstance(response, OnlineReply):
            return response
        rc = response.get(39) or ""
        if rc != "00":
            return OnlineReply(outcome=Outcome.DECLINED, rc=rc, stan=stan)
        try:
            keys = parse_signon_keys(bytes.fromhex(response.get(62) or ""), tmk,
                                     mode=self._cfg.key_mode, mak_kcv=self._cfg.mak_kcv)
        except (KeyCheckError, SecurityError, ValueError) as exc:
            log.warning("sign-on keys rejected: %s", exc)
            return OnlineReply(outcome=Outcome.ERROR, rc=rc, message="bad_keys", stan=stan)
        self._keys.set_working_keys(keys)
        self._journal.set_batch_no(_batch_from_60(response) or self._journal.batch_no)
        if self._on_keys is not None:
            self._on_keys(keys)
        return OnlineReply(outcome=Outcome.APPROVED, rc=rc, stan=stan,
                           batch=self._journal.batch_no, when=self._when(response))

    # -- sale ------------------------------------------------------------------------

    async def sale(self, request: SaleRequest) -> OnlineReply:
        """0200/0210 with the pending-reversal discipline."""
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
        sent = self._begin("sale", "bank", message, request.amount,
                           request.card.masked_pan, detail={})
        return await self._finish(message, sent, keys)

    # -- X menu: voucher verification --------------------------------------------------

    async def voucher(self, request: VoucherRequest) -> OnlineReply:
        """0100/0110 F3 700000: verify and redeem a voucher through the platform."""
        keys = await self._prepare()
        if isinstance(keys, OnlineReply):
            return keys
        stan, batch = self._journal.next_stan(), self._journal.batch_no
        member = request.member_card
        message = m.voucher_request(stan=stan, tid=self._cfg.tid, mid=self._cfg.mid,
                                    batch=batch, code=request.code, method=request.method,
                                    order_no=request.order_no,
                                    member_pan=member.pan if member else None)
        message = m.add_mac(message, self._mac(keys))
        sent = self._begin("voucher", "x", message, 0, member.masked_pan if member else "",
                           detail={"code": mask_code(request.code or request.order_no or ""),
                                   "method": request.method})
        return await self._finish(message, sent, keys)

    # -- shared machinery ------------------------------------------------------------

    async def _prepare(self) -> WorkingKeys | OnlineReply:
        """The working keys once pending reversals are out, or the reply that stops us."""
        keys = self._working_keys()
        if keys is None:
            return OnlineReply(outcome=Outcome.NOT_SIGNED_ON)
        blocked = await self._flush_reversal(keys)
        return keys if blocked is None else blocked

    def _begin(self, kind: str, domain: str, message: Message, amount: int,
               masked_pan: str, *, detail: dict[str, object]) -> _Sent:
        # The reversal builder already leaves out PAN, track and PIN (REVERSAL_STRIPPED).
        reversal = m.reversal_request(message, reason="98")
        stan = int(message.get(11) or 0)
        batch = self._journal.batch_no
        self.last_txn_id = txn_id = self._journal.begin_txn(
            kind=kind, domain=domain, stan=stan, batch=batch, amount=amount,
            masked_pan=masked_pan, tid=self._cfg.tid, mid=self._cfg.mid, detail=detail,
            reversal=ReversalDraft(mti=reversal.mti, fields=dict(reversal.fields)))
        return _Sent(txn_id=txn_id, stan=stan, batch=batch, amount=amount,
                     masked_pan=masked_pan, code_masked=str(detail.get("code", "")))

    async def _finish(self, message: Message, sent: _Sent, keys: WorkingKeys) -> OnlineReply:
        base = OnlineReply(outcome=Outcome.ERROR, stan=sent.stan, batch=sent.batch,
                           amount=sent.amount, masked_pan=sent.masked_pan)
        try:
            response = await self._link.exchange(message)
        except HostUnreachableError as exc:
            log.warning("host unreachable: %s", exc)
            self._journal.complete_txn(sent.txn_id, status=TxnStatus.FAILED)
            return replace(base, outcome=Outcome.UNREACHABLE)
        except HostTimeoutError:
            return replace(base, outcome=Outcome.NO_RESPONSE)
        except RemoteProtocolError as exc:
            log.warning("bad response: %s", exc)
            return replace(base, outcome=Outcome.REJECTED)
        return self._apply(message, response, sent, keys, base)

    def _apply(self, message: Message, response: Message, sent: _Sent, keys: WorkingKeys,
               base: OnlineReply) -> OnlineReply:
        rc = response.get(39) or ""
        approved = rc == "00"
        auth, rrn = (response.get(38) or "").strip(), (response.get(37) or "").strip()
        if response.header[_PROCESSING_DIGIT] == _RESIGN_REQUIRED:
            log.warning("host asks for a new sign-on; working keys dropped")
            self._keys.clear_working_keys()
        if approved and not m.verify_mac(response, self._mac(keys)):
            self._journal.set_reversal_reason(sent.txn_id, "A0", auth_code=auth or None)
            return replace(base, outcome=Outcome.BAD_MAC, rc=rc)
        voucher = self._voucher_details(message, response, sent) if approved else None
        detail = {"title": voucher.title, "quantity": voucher.quantity,
                  "provider": voucher.provider} if voucher else None
        self._journal.complete_txn(sent.txn_id, rc=rc, auth_code=auth or None, rrn=rrn or None,
                                   status=TxnStatus.APPROVED if approved else TxnStatus.DECLINED,
                                   detail_update=detail)
        outcome = Outcome.APPROVED if approved else Outcome.DECLINED
        return replace(base, outcome=outcome, rc=rc, auth_code=auth, rrn=rrn,
                       when=self._when(response), voucher=voucher)

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
        """Send pending reversals first.

        A reversal is accepted only by a ``0410`` with ``00`` (or ``12``/``25``: the host
        has no such original) whose MAC verifies, whatever the code; any other answer
        keeps it pending with reason ``06``. An attempt counts only once the host was
        reached.

        Returns:
            ``None`` when none is left; else the reply the flow shows instead of going on:
            host unreachable, reversal still pending (will be retried), or given up after
            ``reversal_retries + 1`` attempts (冲正不成功 请与客服联系).
        """
        while (record := self._journal.pending_reversal()) is not None:
            try:
                await self._link.connect()
            except HostUnreachableError:
                return OnlineReply(outcome=Outcome.UNREACHABLE)
            attempts = self._journal.reversal_attempted(record.id)
            if await self._send_reversal(record, keys):
                self._journal.finish_reversal(record.id, txn_status=TxnStatus.REVERSED)
                continue
            if attempts > self._cfg.reversal_retries:
                log.error("reversal of STAN %s given up after %d attempts",
                          record.fields.get(11), attempts)
                self._journal.finish_reversal(record.id, txn_status=TxnStatus.FAILED)
                return OnlineReply(outcome=Outcome.ERROR, message="reversal_failed")
            return OnlineReply(outcome=Outcome.NO_RESPONSE, message="reversal_pending")
        return None

    async def _send_reversal(self, record: ReversalRecord, keys: WorkingKeys) -> bool:
        """Send one reversal; True when the host accepted it."""
        reversal = Message(mti=record.mti, fields=dict(record.fields))
        reversal = m.add_mac(reversal.replace(set={39: record.reason}), self._mac(keys))
        try:
            response = await self._link.exchange(reversal)
        except (HostError, RemoteProtocolError) as exc:
            log.warning("reversal of STAN %s not answered: %s", record.fields.get(11), exc)
            return False
        rc = response.get(39) or ""
        accepted = rc in _REVERSAL_ACCEPTED and m.verify_mac(response, self._mac(keys))
        if not accepted:
            log.warning("reversal of STAN %s refused (rc %s)", record.fields.get(11), rc)
            if record.reason != "06":
                self._journal.set_reversal_reason(record.txn_id, "06")
        return accepted

    async def _exchange_plain(self, request: Message) -> Message | OnlineReply:
        try:
            return await self._link.exchange(request)
        except HostUnreachableError:
            return OnlineReply(outcome=Outcome.UNREACHABLE)
        except HostTimeoutError:
            return OnlineReply(outcome=Outcome.NO_RESPONSE)
        except RemoteProtocolError:
            return OnlineReply(outcome=Outcome.REJECTED)

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
        """The host's time of the transaction (F13 MMDD + F12 hhmmss), else local time.

        The year is not on the wire: it is the local year, moved by one when that puts
        the date more than half a year from the local clock (New Year's Eve).
        """
        local = self._clock()
        date, time = response.get(13), response.get(12)
        if not date or not time:
            return local
        try:
            when = local.replace(month=int(date[:2]), day=int(date[2:]), hour=int(time[:2]),
                                 minute=int(time[2:4]), second=int(time[4:]), microsecond=0)
        except ValueError:
            return local
        half_year = dt.timedelta(days=183)
        with contextlib.suppress(ValueError):
            if when - local > half_year:
                when = when.replace(year=when.year - 1)
            elif local - when > half_year:
                when = when.replace(year=when.year + 1)
        return when


def _batch_from_60(response: Message) -> int | None:
    field60 = response.get(60) or ""
    return int(field60[2:8]) if len(field60) >= 8 and field60[2:8].isdigit() else None
