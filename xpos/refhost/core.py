"""The reference host's message logic: one request in, one response (or none) out.

Theory of operation
-------------------
:class:`HostCore` does no I/O besides its SQLite store; the server feeds it decoded
requests and writes back what it returns. Dispatch is a table from
:class:`~xpos.proto.messages.MessageKind` to a handler:

=================  =========================================  ==========================
kind               handler                                    answers
=================  =========================================  ==========================
SIGN_ON 0800       :func:`.signon.handle_sign_on`              0810 + keys in 62
SALE 0200/000000   :func:`.bank.handle_sale`                   0210
VOID 0200/200000   :func:`.void.handle_void`                   0210
REVERSAL 0400      :func:`.bank.handle_reversal`               0410
VOUCHER 0100/7000  :func:`.xmenu.handle_voucher`               0110 + TLV in 62
PREAUTH family     :func:`.preauth.handle_preauth_family`      0110 / 0210
SESSION 0100/78,79 :func:`.services.handler.handle_session`    0110 + next step in 62
ORDER_QUERY 7100   :func:`.orders.handle_order_query`          0110 + TLV in 62
VOUCHER_QUERY 7400 :func:`.redeem.handle_voucher_query`       0110 + TLV in 62
VOUCHER_VOID 7402  :func:`.redeem.handle_voucher_void`        0110 + TLV in 62
ORDER_PAID 7200    :func:`.orders.handle_order_paid`           0110 (+ DF26 in 62)
PARTY_DEBIT 7300   :func:`.orders.handle_party_debit`          0210 (+ DF26 in 62)
SETTLE 0500        :func:`.settle.handle_settle`               0510 + results in 48
X_SETTLE 0500/70   :func:`.settle.handle_settle`               0510 + result in 48
BATCH_UPLOAD 0320  :func:`.settle.handle_batch_upload`         0330
BATCH_END 0320     :func:`.settle.handle_batch_end`            0330 (batch closed)
REFUND 0220/2000   :func:`.refund.handle_refund`               0230
BALANCE 0200/3100  :func:`.balance.handle_balance`             0210 + balance in 54
=================  =========================================  ==========================

(0400s of the pre-authorisation family, F25 ``06``, are answered by
:func:`.preauth.handle_any_reversal`, which hands every other 0400 to the bank's.)
A sale, void or voucher (also an X1 voucher query or X void) in a batch the terminal has
settled is answered ``12`` without processing (:func:`.settle.batch_closed`).

Anything else that is a request (a known MTI class the catalogue does not list, e.g. a
void or settlement) is answered ``40`` (function not supported) with the identifying
fields echoed and no MAC; a response MTI sent to the host is ignored (``None``).
A request the handlers cannot read (missing STAN or batch, bad field content) is
answered ``30`` (format error) the same way.

Faults (:mod:`.faults`) are applied here when the server passes the one it took: a
``DECLINE`` replaces processing by an answer with the planned code, ``DROP`` processes
and returns ``None``, ``BAD_MAC`` processes and corrupts field 64. ``DELAY`` and
``CLOSE`` concern the connection and are the server's business.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xpos.errors import CodecError, RemoteProtocolError, SecurityError
from xpos.proto.codec import Message
from xpos.proto.interactive import step_response
from xpos.proto.messages import (
    MessageKind,
    classify,
    is_response,
    response_mti,
    reversal_response,
    sale_response,
    sign_on_response,
    swap_tpdu,
    voucher_response,
)
from xpos.proto.order import order_paid_response
from xpos.proto.refund import balance_response
from xpos.proto.routing import PLATFORM_DESTINATION, is_x_class
from xpos.refhost.balance import handle_balance
from xpos.refhost.bank import handle_reversal, handle_sale
from xpos.refhost.context import RC_FORMAT_ERROR, HostContext, request_key
from xpos.refhost.faults import Fault, FaultKind, corrupt_mac
from xpos.refhost.orders import handle_order_paid, handle_order_query, handle_party_debit
from xpos.refhost.preauth import FAMILY_MESSAGES, handle_any_reversal, handle_preauth_family
from xpos.refhost.redeem import handle_voucher_query, handle_voucher_void
from xpos.refhost.refund import handle_refund
from xpos.refhost.services.handler import attach_services, corrupt_step, handle_session
from xpos.refhost.services.registry import ServiceRegistry
from xpos.refhost.settle import (
    RC_CLOSED,
    SETTLE_KINDS,
    batch_closed,
    book_unjournaled,
    handle_batch_end,
    handle_batch_upload,
    handle_settle,
)
from xpos.refhost.settle import answer as settle_answer
from xpos.refhost.signon import handle_sign_on
from xpos.refhost.store import HostStore
from xpos.refhost.void import handle_void
from xpos.refhost.xmenu import handle_voucher
from xpos.security.mac import MacAlgorithm

log = logging.getLogger(__name__)

RC_NOT_SUPPORTED = "40"
_ECHO = (3, 4, 11, 41, 42, 49, 60)

Handler = Callable[[HostContext, Message], Message]
HANDLERS: dict[MessageKind, Handler] = {
    MessageKind.SIGN_ON: handle_sign_on,
    MessageKind.SALE: handle_sale,
    MessageKind.VOID: handle_void,
    MessageKind.REVERSAL: handle_reversal,
    MessageKind.VOUCHER_VERIFY: handle_voucher,
    MessageKind.SESSION_OPEN: handle_session,
    MessageKind.SESSION_STEP: handle_session,
    MessageKind.ORDER_QUERY: handle_order_query,
    MessageKind.ORDER_PAID: handle_order_paid,
    MessageKind.PARTY_DEBIT: handle_party_debit,
    MessageKind.SETTLE: handle_settle,
    MessageKind.X_SETTLE: handle_settle,
    MessageKind.BATCH_UPLOAD: handle_batch_upload,
    MessageKind.BATCH_END: handle_batch_end,
    MessageKind.REFUND: handle_refund,
    MessageKind.BALANCE: handle_balance,
    MessageKind.VOUCHER_QUERY: handle_voucher_query,
    MessageKind.VOUCHER_VOID: handle_voucher_void,
}
LEDGER_KINDS: dict[MessageKind, str] = {
    MessageKind.SIGN_ON: "sign_on",
    MessageKind.SALE: "sale",
    MessageKind.VOID: "void",
    MessageKind.REVERSAL: "reversal",
    MessageKind.VOUCHER_VERIFY: "voucher",
    MessageKind.SESSION_OPEN: "x3",
    MessageKind.SESSION_STEP: "x3",
    MessageKind.ORDER_QUERY: "order_query",
    MessageKind.ORDER_PAID: "order_paid",
    MessageKind.PARTY_DEBIT: "x_debit",
    MessageKind.SETTLE: "settle",
    MessageKind.X_SETTLE: "x_settle",
    MessageKind.BATCH_UPLOAD: "batch_upload",
    MessageKind.BATCH_END: "batch_end",
    MessageKind.REFUND: "refund",
    MessageKind.BALANCE: "balance",
    MessageKind.VOUCHER_QUERY: "voucher_query",
    MessageKind.VOUCHER_VOID: "voucher_void",
}
# the pre-authorisation family (xpos/refhost/preauth.py); its reversals are told apart
# there (F25 06) and every other 0400 goes on to bank.handle_reversal
HANDLERS |= dict.fromkeys(FAMILY_MESSAGES, handle_preauth_family)
HANDLERS[MessageKind.REVERSAL] = handle_any_reversal
LEDGER_KINDS |= {kind: kind.value for kind in FAMILY_MESSAGES}


def _local_now() -> datetime:
    return datetime.now().astimezone()


class HostCore:
    """The host's decision logic over a :class:`HostStore`.

    Args:
        store: The host database.
        mac_algorithm: MAC algorithm for requests and responses.
        mak_kcv: ``"full"`` or ``"first8"``: what the MAK's KCV in field 62 covers.
        clock: The host clock (local time); tests pass a fixed one.
        rng: Random bytes for keys and auth codes; tests may pass a seeded one.
    """

    def __init__(self, store: HostStore, *, mac_algorithm: MacAlgorithm = MacAlgorithm.CUP_ECB,
                 mak_kcv: str = "full", clock: Callable[[], datetime] = _local_now,
                 rng: Callable[[int], bytes] = os.urandom) -> None:
        self.store = store
        self.context = HostContext(store, mac_algorithm=mac_algorithm, mak_kcv=mak_kcv,
                                   clock=clock, rng=rng)
        # X3 services: the shipped ones and the operator's folder next to the database.
        attach_services(self.context, ServiceRegistry(extra=Path(store.path).parent / "services"))

    @staticmethod
    def kind_of(request: Message) -> MessageKind | None:
        """The request's kind, or None if the catalogue does not know it."""
        try:
            return classify(request)
        except RemoteProtocolError:
            return None

    def handle(self, request: Message, fault: Fault | None = None) -> Message | None:
        """Answer one request.

        Args:
            request: A decoded request.
            fault: The fault the server took for this request, if any.

        Returns:
            The response, or None when nothing must be sent (a response MTI came in,
            or a ``DROP`` fault).
        """
        if is_response(request.mti):
            return None
        kind = self.kind_of(request)
        if kind is None:
            return self.bare_answer(request, RC_NOT_SUPPORTED)
        if is_x_class(request) and request.tpdu[2:6] != PLATFORM_DESTINATION:
            return self.bare_answer(request, RC_NOT_SUPPORTED)  # X, sent to the acquirer
        if fault is not None and fault.kind is FaultKind.DECLINE:
            return self._declined(kind, request, fault.code)
        try:
            if batch_closed(self.context, kind, request):  # settled: no late transaction
                return self._declined(kind, request, RC_CLOSED)
            if fault is not None and fault.kind is FaultKind.UNBALANCED:
                book_unjournaled(self.context, request)
            response = HANDLERS[kind](self.context, request)
        except (CodecError, SecurityError) as exc:  # messages hold no card data
            log.info("%s %s answered %s: %s", request.mti, kind.value, RC_FORMAT_ERROR, exc)
            return self.bare_answer(request, RC_FORMAT_ERROR)
        if fault is not None and fault.kind is FaultKind.DROP:
            return None
        if fault is not None and fault.kind is FaultKind.BAD_MAC:
            return corrupt_mac(response)
        if fault is not None and fault.kind in (FaultKind.BAD_TLV, FaultKind.UNKNOWN_STEP):
            return corrupt_step(self.context, response, unknown=fault.kind is
                                FaultKind.UNKNOWN_STEP)
        return response

    def _declined(self, kind: MessageKind, request: Message, rc: str) -> Message | None:
        """Answer with ``rc`` without processing (fault ``DECLINE``); recorded and MAC'd."""
        ctx = self.context
        try:
            key = request_key(request)
        except CodecError:
            return self.bare_answer(request, rc)
        amount = request.get(4) or "0"
        entry = ctx.record(key, kind=LEDGER_KINDS[kind], rc=rc,
                           amount=int(amount) if amount.isdigit() else 0)
        when = ctx.now()
        terminal = ctx.store.terminal(key.tid)
        if kind in (MessageKind.SALE, MessageKind.VOID, MessageKind.PARTY_DEBIT,
                    MessageKind.REFUND, *FAMILY_MESSAGES):
            response = sale_response(request, rc=rc, auth_code=None, rrn=entry.rrn, when=when)
        elif kind is MessageKind.BALANCE:
            response = balance_response(request, rc=rc, balance=None, rrn=entry.rrn, when=when)
        elif kind is MessageKind.ORDER_PAID:  # echoes F4, as the terminal checks
            response = order_paid_response(request, rc=rc, message="", when=when, rrn=entry.rrn)
        elif kind in (MessageKind.VOUCHER_VERIFY, MessageKind.ORDER_QUERY,
                      MessageKind.ORDER_PAID, MessageKind.VOUCHER_QUERY,
                      MessageKind.VOUCHER_VOID):
            response = voucher_response(request, rc=rc, info=None, when=when, rrn=entry.rrn)
        elif kind is MessageKind.REVERSAL:
            response = reversal_response(request, rc=rc, when=when)
        elif kind in (MessageKind.SESSION_OPEN, MessageKind.SESSION_STEP):
            response = step_response(request, rc=rc, when=when, rrn=entry.rrn, step=None)
        elif kind in SETTLE_KINDS:
            response = settle_answer(ctx, request, rc)
        else:
            response = sign_on_response(request, rc=rc, field62=None, batch=key.batch,
                                        when=when, rrn=entry.rrn)
        return ctx.seal(terminal, response)

    @staticmethod
    def bare_answer(request: Message, rc: str) -> Message | None:
        """A bare answer with ``rc`` (fields 3, 4, 11, 41, 42, 49, 60 echoed, no MAC).

        Nothing is processed or recorded. ``None`` when no answer can be built (the MTI
        is not 4 digits) or none is due (a response MTI came in).
        """
        if len(request.mti) != 4 or not request.mti.isdigit() or is_response(request.mti):
            return None
        fields = {n: request.fields[n] for n in _ECHO if n in request.fields}
        fields[39] = rc
        return Message(mti=response_mti(request.mti), fields=fields,
                       tpdu=swap_tpdu(request.tpdu), header=request.header)
