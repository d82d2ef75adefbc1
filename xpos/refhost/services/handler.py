"""X3 session messages at the reference host (0100 / 780000 and 790000 -> 0110).

Checks, in order:

====  ==================================================================
rc    condition
====  ==================================================================
40    the TPDU destination is not the platform's (a plain CUP host does not know X3)
03    unknown TID / TID not under this MID             (terminal gate)
77    terminal not signed on                            (terminal gate)
A0    MAC missing or wrong                              (terminal gate)
30    field 62 missing or malformed TLV
00    answered with the next step (an ``END`` when the session ends)
====  ==================================================================

Every answer is recorded in the ledger (kind ``x3``; an abandon with bank debits also
records one ``x3_abandon`` row per debit, with its trace in ``ref``, so the platform's
books show every debit taken in an abandoned session). A bank debit step is accepted only
when the bank ledger holds that terminal's approved, unreversed sale of the expected
amount under the reported trace. A third-party debit decrypts the track with the
terminal's TDK, checks the card (a member card, not blocked), its password (PIN block
under the PIK) and its balance, then debits it. A hidden input value opens with the
terminal's TDK, bound to this session, step and field (:func:`_unsealer`); an input step
with ``verify = "member_password"`` is checked against the member card (:func:`_verify`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from xpos.errors import DecodeError, SecurityError
from xpos.model import format_fen, mask_pan
from xpos.proto.codec import Message
from xpos.proto.interactive import (
    PlatformStep,
    SessionRequest,
    StepReport,
    parse_session_request,
    parse_step,
    step_items,
    step_response,
)
from xpos.proto.tlv import encode_tlv
from xpos.refhost.context import RC_APPROVED, RC_FORMAT_ERROR, HostContext, RequestKey, request_key
from xpos.refhost.rows import CardKind, CardStatus, TerminalRow, pin_matches
from xpos.refhost.services.hidden import Unseal
from xpos.refhost.services.registry import ServiceRegistry
from xpos.refhost.services.runner import Payments, SessionBook
from xpos.security.pinblock import decrypt_pin_block, pin_from_clear_block
from xpos.security.platform_track import open_track
from xpos.security.platform_value import open_value

PLATFORM_DESTINATION = "0008"
"""The TPDU destination address the platform is reached by (the terminal's default)."""

RC_NOT_SUPPORTED = "40"


def book_of(ctx: HostContext) -> SessionBook:
    """The session book attached to ``ctx`` (made over the shipped services at first use)."""
    book = getattr(ctx, "x3_sessions", None)
    if not isinstance(book, SessionBook):
        book = SessionBook(ServiceRegistry())
        ctx.x3_sessions = book  # type: ignore[attr-defined]
    return book


def attach_services(ctx: HostContext, registry: ServiceRegistry) -> SessionBook:
    """Serve the services of ``registry`` (e.g. a folder the host's operator edits)."""
    book = SessionBook(registry)
    ctx.x3_sessions = book  # type: ignore[attr-defined]
    return book


def session_id(key: RequestKey) -> str:
    """The id of the session an open with this key starts (TID + batch + trace)."""
    return f"{key.tid}{key.batch:06d}{key.stan:06d}"


def handle_session(ctx: HostContext, request: Message) -> Message:
    """Answer an open, step result or abandon (checks in the order of the module table)."""
    if request.tpdu[2:6] != PLATFORM_DESTINATION:
        return _bare(ctx, request, RC_NOT_SUPPORTED)
    key = request_key(request)
    gate = ctx.admit(request)
    if gate.rc is not None or gate.terminal is None:
        ctx.record(key, kind="x3", rc=gate.rc or "03")
        return _reply(ctx, request, gate.terminal, gate.rc or "03", None)
    try:
        wanted = parse_session_request(request)
    except DecodeError:
        ctx.record(key, kind="x3", rc=RC_FORMAT_ERROR)
        return _reply(ctx, request, gate.terminal, RC_FORMAT_ERROR, None)
    step = _step(ctx, key, gate.terminal, wanted)
    ctx.record(key, kind="x3", rc=RC_APPROVED, ref=wanted.session or session_id(key))
    return _reply(ctx, request, gate.terminal, RC_APPROVED, step)


def _step(ctx: HostContext, key: RequestKey, terminal: TerminalRow,
          wanted: SessionRequest) -> PlatformStep:
    book, now = book_of(ctx), ctx.now()
    if wanted.is_open:
        return book.open(session_id(key), wanted, now)
    if wanted.abandon:
        for stan in wanted.bank_stans:
            sale = ctx.store.find(key.tid, key.batch, stan, ("sale",))
            ctx.record(RequestKey(tid=key.tid, batch=key.batch, stan=stan), kind="x3_abandon",
                       rc=RC_APPROVED, amount=sale.amount if sale else 0, ref=wanted.session)
        return book.abandon(wanted, now)
    payments = Payments(bank=lambda stan, amount: _bank_check(ctx, key, stan, amount),
                        third_party=lambda report, amount: _third_party(
                            ctx, key, terminal, report, amount),
                        unseal=_unsealer(terminal, wanted.session),
                        verify=lambda kind, values: _verify(ctx, kind, values))
    return book.report(wanted, now, payments)


def _bank_check(ctx: HostContext, key: RequestKey, stan: int, amount: int) -> str | None:
    sale = ctx.store.find(key.tid, key.batch, stan, ("sale",))
    if sale is None or not sale.approved or sale.reversed or sale.amount != amount:
        return "银行扣款未确认 / bank debit not confirmed"
    return None


def _third_party(ctx: HostContext, key: RequestKey, terminal: TerminalRow,
                 report: StepReport, amount: int) -> str:
    if not report.track_cipher or terminal.tdk is None or report.pin_block is None:
        return "30"
    try:
        track = open_track(bytes.fromhex(report.track_cipher), terminal.tdk)
    except (SecurityError, ValueError):
        return "30"
    pan = track.upper().replace("=", "D").partition("D")[0]
    card = ctx.store.card(pan)
    if card is None or card.kind is not CardKind.MEMBER or mask_pan(pan) != report.masked_pan:
        return "14"
    if card.status is CardStatus.BLOCKED:
        return "62"
    rc = _password(terminal, card.pin_hash, pan, report.pin_block)
    if rc is not None:
        ctx.record(key, kind="x3_debit", rc=rc, amount=amount, pan=pan)
        return rc
    draft = ctx.draft(key, kind="x3_debit", rc=RC_APPROVED, amount=amount, pan=pan,
                      auth_code=ctx.auth_code(), account=card.id)
    if ctx.store.debit(draft) is None:
        ctx.record(key, kind="x3_debit", rc="51", amount=amount, pan=pan)
        return "51"
    return RC_APPROVED


def _password(terminal: TerminalRow, pin_hash: str | None, pan: str, block: bytes) -> str | None:
    if pin_hash is None:
        return None
    try:
        clear = decrypt_pin_block(terminal.pik or b"", block)
        return None if pin_matches(pin_hash, pin_from_clear_block(clear, pan)) else "55"
    except (SecurityError, ValueError):
        return "99"


def _unsealer(terminal: TerminalRow, session: str) -> Unseal | None:
    """Opens a hidden value of ``session`` with the terminal's TDK (None without one)."""
    tdk = terminal.tdk
    if tdk is None:
        return None

    def unseal(cipher: bytes, number: int, position: int) -> str | None:
        try:
            return open_value(cipher, tdk, session=session, number=number, position=position)
        except SecurityError:
            return None
    return unseal


def _verify(ctx: HostContext, kind: str, values: tuple[str, ...]) -> Mapping[str, str] | str:
    """``member_password``: the member card and its password; keeps ``{balance}``."""
    if kind != "member_password" or len(values) != 2:
        return "无法验证\ncannot verify"
    card = ctx.store.card(values[0])
    if card is None or card.kind is not CardKind.MEMBER:
        return "会员卡号不存在\nno such member card"
    if card.status is CardStatus.BLOCKED:
        return "会员卡已冻结\nmember card blocked"
    if card.pin_hash is None or not pin_matches(card.pin_hash, values[1]):
        return "会员密码错误\nwrong member password"
    return {"balance": format_fen(card.balance)}


def _reply(ctx: HostContext, request: Message, terminal: TerminalRow | None, rc: str,
           step: PlatformStep | None) -> Message:
    entry_rrn = f"{int(request.get(11) or 0):012d}"
    response = step_response(request, rc=rc, when=ctx.now(), rrn=entry_rrn, step=step)
    return ctx.seal(terminal, response)


def _bare(ctx: HostContext, request: Message, rc: str) -> Message:
    response = step_response(request, rc=rc, when=ctx.now(), rrn=f"{0:012d}", step=None)
    return response.replace(drop=(64,))


def corrupt_step(ctx: HostContext, response: Message, *, unknown: bool) -> Message:
    """A fault for tests: the answer's step made unknown (``ZZZ``) or its TLV malformed.

    The answer is MAC'd again, so the terminal meets the bad step itself.
    """
    if response.get(62) is None:
        return response
    if unknown:
        step = replace(parse_step(response), code="ZZZ")
        raw = encode_tlv(step_items(step)).hex().upper()
    else:
        raw = "DF5005414243"  # a length of 5 with 3 bytes of value
    terminal = ctx.store.terminal(response.get(41) or "")
    return ctx.seal(terminal, response.replace(set={62: raw}, drop=(64,)))
