"""Sign-on (0800 -> 0810): fresh working keys under the terminal's TMK.

Unknown TID, or a TID under another MID -> ``03``. A sign-on mode in 60.3 other than
``001`` / ``003`` / ``004`` -> ``30``. Otherwise the host draws new random PIK and MAK
(8 bytes for mode 001, else 16) and, for mode 004, a 16-byte TDK, stores them, and
answers ``00`` with field 62 built by :func:`xpos.security.keys.build_signon_keys`
(keys under the TMK + KCVs) and the terminal's current batch number in 60.2.
The batch number stays the same across sign-ons; only settlement would open a new
batch (:meth:`HostStore.set_batch`). A sign-on with 60.2 = ``000000`` comes from a
terminal that lost its journal (docs/operations.md): the host then opens a batch above
every batch it has seen from that terminal (:meth:`HostStore.open_new_batch`) and
answers it in 60.2, so the terminal can never repeat a (batch, STAN).
"""

from __future__ import annotations

from xpos.proto.codec import Message
from xpos.proto.messages import sign_on_response
from xpos.refhost.context import (
    RC_APPROVED,
    RC_FORMAT_ERROR,
    RC_INVALID_MERCHANT,
    HostContext,
    request_key,
)
from xpos.security.keys import SIGNON_LAYOUTS, WorkingKeys, build_signon_keys

ACQUIRER_ID = "48020000"
"""Field 32 of an approved 0810: the demo acquiring institution."""
RECOVERY_BATCH = 0
"""60.2 of a sign-on from a terminal without a batch (its journal was recovered)."""


def handle_sign_on(ctx: HostContext, request: Message) -> Message:
    """Answer a sign-on request."""
    key = request_key(request)
    terminal = ctx.store.terminal(key.tid)
    mode = (request.get(60) or "")[8:11]
    layout = SIGNON_LAYOUTS.get(mode)
    if terminal is None or terminal.mid != request.get(42):
        return _refuse(ctx, request, RC_INVALID_MERCHANT)
    if layout is None:
        return _refuse(ctx, request, RC_FORMAT_ERROR)
    keys = WorkingKeys(pik=ctx.rng(layout.key_len), mak=ctx.rng(layout.key_len),
                       tdk=ctx.rng(16) if "TDK" in layout.names else None)
    field62 = build_signon_keys(keys, terminal.tmk, mode=mode, mak_kcv=ctx.mak_kcv)
    when = ctx.now()
    if key.batch == RECOVERY_BATCH:
        ctx.store.open_new_batch(key.tid)
    batch = ctx.store.set_working_keys(key.tid, pik=keys.pik, mak=keys.mak, tdk=keys.tdk,
                                       when=when)
    entry = ctx.record(key, kind="sign_on", rc=RC_APPROVED, when=when)
    return sign_on_response(request, rc=RC_APPROVED, field62=field62, batch=batch, when=when,
                            rrn=entry.rrn, acquirer_id=ACQUIRER_ID)


def _refuse(ctx: HostContext, request: Message, rc: str) -> Message:
    key = request_key(request)
    when = ctx.now()
    entry = ctx.record(key, kind="sign_on", rc=rc, when=when)
    return sign_on_response(request, rc=rc, field62=None, batch=key.batch, when=when,
                            rrn=entry.rrn)
