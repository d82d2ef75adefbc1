"""What every message handler of the reference host shares: store, clock, keys, MAC.

:class:`HostContext` is the small toolbox the handlers in :mod:`.signon`, :mod:`.bank`
and :mod:`.xmenu` work with. It also holds the terminal gate every MAC'd request
passes first (:meth:`HostContext.admit`):

1. unknown TID, or a TID that belongs to another MID -> ``03`` (invalid merchant);
2. terminal never signed on (no MAK) -> ``77`` (sign on again; the response header's
   processing-requirement digit is set to ``3`` = re-sign-on, reference §1.1);
3. MAC missing or wrong -> ``A0`` (nothing is processed).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from xpos.errors import DecodeError
from xpos.model import mask_pan
from xpos.proto.codec import Message, asking_sign_on
from xpos.proto.messages import add_mac, needs_mac, verify_mac
from xpos.refhost.rows import LedgerDraft, LedgerEntry, TerminalRow
from xpos.refhost.store import HostStore
from xpos.security.mac import MacAlgorithm, compute_mac

RC_APPROVED = "00"
RC_INVALID_MERCHANT = "03"
RC_SIGN_ON_AGAIN = "77"
RC_BAD_MAC = "A0"
RC_FORMAT_ERROR = "30"
RC_DUPLICATE = "94"


@dataclass(frozen=True, kw_only=True)
class Gate:
    """The outcome of :meth:`HostContext.admit`: the terminal (if known) and a refusal code."""

    terminal: TerminalRow | None
    rc: str | None


@dataclass(frozen=True, kw_only=True)
class RequestKey:
    """The identity of a request: who sent it, in which batch, with which STAN."""

    tid: str
    batch: int
    stan: int


class HostContext:
    """Store, clock, randomness and MAC for the handlers.

    Args:
        store: The host database.
        mac_algorithm: The MAC algorithm the terminals use.
        mak_kcv: ``"full"`` or ``"first8"``: what the MAK's KCV in field 62 covers.
        clock: Returns the current time (local time of the host).
        rng: Returns n random bytes (keys, auth codes).
        refund_window_days: How old a sale may be and still be refunded (:mod:`.refund`).
        x_void_window_s: How long after a redemption an X void is accepted, unless the
            provider has its own window (:mod:`.redeem`).
    """

    def __init__(self, store: HostStore, *, mac_algorithm: MacAlgorithm, mak_kcv: str,
                 clock: Callable[[], datetime], rng: Callable[[int], bytes] = os.urandom,
                 refund_window_days: int = 30, x_void_window_s: int = 86_400) -> None:
        self.store = store
        self.x_void_window_s = x_void_window_s
        self.refund_window_days = refund_window_days
        self.mac_algorithm = mac_algorithm
        self.mak_kcv = mak_kcv
        self.clock = clock
        self.rng = rng

    def admit(self, request: Message) -> Gate:
        """Run the terminal gate (module docstring) on a MAC'd request."""
        terminal = self.store.terminal(request.get(41) or "")
        if terminal is None or terminal.mid != request.get(42):
            return Gate(terminal=None, rc=RC_INVALID_MERCHANT)
        if terminal.mak is None:
            return Gate(terminal=terminal, rc=RC_SIGN_ON_AGAIN)
        if not self._mac_ok(terminal.mak, request):
            return Gate(terminal=terminal, rc=RC_BAD_MAC)
        return Gate(terminal=terminal, rc=None)

    def _mac_ok(self, mak: bytes, request: Message) -> bool:
        try:
            return verify_mac(request, lambda data: compute_mac(self.mac_algorithm, mak, data))
        except ValueError:  # odd hex, wrong MAK length, unencodable message
            return False

    def seal(self, terminal: TerminalRow | None, response: Message) -> Message:
        """MAC the response when its kind carries a MAC and the terminal has a MAK.

        A ``77`` answer also asks for a re-sign-on in the header.
        """
        if response.get(39) == RC_SIGN_ON_AGAIN:
            response = response.replace(header=asking_sign_on(response.header))
        mak = None if terminal is None else terminal.mak
        if mak is None or not needs_mac(response):
            return response
        return add_mac(response, lambda data: compute_mac(self.mac_algorithm, mak, data))

    def reversed_before(self, key: RequestKey) -> bool:
        """True if a reversal of this trace was accepted before its original arrived.

        A late original must then not be processed: the terminal believes it reversed.
        """
        entry = self.store.find(key.tid, key.batch, key.stan, ("reversal",))
        return entry is not None and entry.rc == RC_APPROVED

    def now(self) -> datetime:
        """The current time."""
        return self.clock()

    def auth_code(self) -> str:
        """A fresh 6-digit authorization code."""
        return f"{int.from_bytes(self.rng(4), 'big') % 1_000_000:06d}"

    def record(self, key: RequestKey, *, kind: str, rc: str, amount: int = 0,
               pan: str = "", ref: str = "", when: datetime | None = None) -> LedgerEntry:
        """Record an answer that moves nothing (a decline, a sign-on …)."""
        return self.store.record(self.draft(key, kind=kind, rc=rc, amount=amount, pan=pan,
                                            ref=ref, when=when))

    def draft(self, key: RequestKey, *, kind: str, rc: str, amount: int = 0, pan: str = "",
              ref: str = "", auth_code: str | None = None, account: int | None = None,
              when: datetime | None = None) -> LedgerDraft:
        """A ledger draft for this request; ``pan`` is masked here."""
        return LedgerDraft(tid=key.tid, stan=key.stan, batch=key.batch, kind=kind,
                           amount=amount, masked_pan=mask_pan(pan) if pan else "", rc=rc,
                           when=when or self.now(), auth_code=auth_code, account=account,
                           ref=ref)


def request_key(request: Message) -> RequestKey:
    """TID (41), batch (60.2) and STAN (11) of a request.

    Raises:
        DecodeError: if field 11 or 60.2 is missing or not numeric.
    """
    stan = request.get(11) or ""
    batch = (request.get(60) or "")[2:8]
    if not stan.isdigit():
        raise DecodeError("field 11 (STAN) missing", field="11", position=0)
    if len(batch) != 6 or not batch.isdigit():
        raise DecodeError("field 60.2 (batch) missing", field="60", position=0)
    return RequestKey(tid=request.get(41) or "", batch=int(batch), stan=int(stan))


def amount_of(request: Message) -> int:
    """Field 4 as integer fen.

    Raises:
        DecodeError: if field 4 is missing or not numeric.
    """
    value = request.get(4) or ""
    if not value.isdigit():
        raise DecodeError("field 4 (amount) missing", field="4", position=0)
    return int(value)
