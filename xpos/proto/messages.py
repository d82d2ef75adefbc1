"""Message builders: terminal requests and host responses, all pure.

Theory of operation
-------------------
Each builder returns a :class:`~xpos.proto.codec.Message` without field 64; the caller
adds the MAC with :func:`add_mac` and an injected MAC function (keys never enter this
package). Requests use the default TPDU/header; responses are built from the request
(:func:`xpos.proto._build.response_to`): MTI + 10, TPDU addresses swapped, header echoed,
identifying fields echoed.

Field choices (see docs/protocol.md for the tables):

* sign-on 0800: 11, 41, 42, 60 = ``00`` + batch + 60.3 key mode, 63 = operator.
* sale 0200: 3 ``000000``, 4, 11, 14, 22 ``021``/``022``, 25 ``00``, 26 ``12`` with a
  PIN, 35 track 2 (no field 2 for a swiped card), 41, 42, 49 ``156``, 52 with a PIN,
  53 with a PIN or an encrypted track, 60 = ``22`` + batch + ``000500``, 63 = operator.
* void 0200: 3 ``200000``, the sale's card/PIN fields, 37 = the original RRN (zeros if
  none), 38 = the original auth code, 60 = ``23`` + batch + ``000500``, 61 = original
  batch 6 + original STAN 6 (reference §1.4).
* reversal 0400: the original request minus 2, 26, 35, 36, 37, 52, 53, 55, 62 and 64,
  plus 39 = reason and 38 = the auth code if one was received (reference §1.6).

This module also re-exports the catalogue and voucher API so that callers import one
module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xpos.errors import EncodeError, LocalProtocolError, RemoteProtocolError
from xpos.model.iso import ReversalReason
from xpos.proto._build import (
    CURRENCY_CNY,
    FINANCIAL_60_TAIL,
    digits,
    field60,
    response_to,
    stan_field,
)
from xpos.proto.catalogue import (
    CATALOGUE,
    MacFunction,
    MessageKind,
    MessageType,
    add_mac,
    classify,
    is_response,
    needs_mac,
    request_mti,
    response_check,
    response_mti,
    swap_tpdu,
    verify_mac,
)
from xpos.proto.codec import Message
from xpos.proto.voucher import (
    VOUCHER_RESPONSE_CODES,
    VoucherInfo,
    VoucherRequest,
    mask_voucher_code,
    parse_voucher_request,
    parse_voucher_response,
    voucher_request,
    voucher_response,
)

__all__ = [
    "CATALOGUE",
    "REVERSAL_REASONS",
    "REVERSAL_STRIPPED",
    "SENSITIVE_FIELDS",
    "SIGN_ON_MODES",
    "VOUCHER_RESPONSE_CODES",
    "MacFunction",
    "MessageKind",
    "MessageType",
    "Original",
    "VoucherInfo",
    "VoucherRequest",
    "add_mac",
    "classify",
    "is_response",
    "mask_voucher_code",
    "needs_mac",
    "parse_original",
    "parse_voucher_request",
    "parse_voucher_response",
    "request_mti",
    "response_check",
    "response_mti",
    "reversal_request",
    "reversal_response",
    "sale_request",
    "sale_response",
    "sign_on_request",
    "sign_on_response",
    "swap_tpdu",
    "verify_mac",
    "void_request",
    "voucher_request",
    "voucher_response",
]

SIGN_ON_MODES = ("001", "003", "004")
"""60.3 of the sign-on: single DES, double length, double length + TDK (reference §1.5)."""
REVERSAL_REASONS = {reason.value: reason.text for reason in ReversalReason}
"""Field 39 of a reversal -> what it means (the codes: :class:`~xpos.model.iso.ReversalReason`)."""
SENSITIVE_FIELDS = (2, 35, 36, 52, 53)
"""Card and PIN data: PAN, tracks 2 and 3, PIN block, security control. Never stored."""
REVERSAL_STRIPPED = (*SENSITIVE_FIELDS, 26, 37, 55, 62, 64)
"""Fields of the original request that never go into a reversal (nor the journal)."""
_SIGN_ON_ECHO = (11, 41, 42)
_FINANCIAL_ECHO = (3, 4, 11, 25, 41, 42, 49, 60)
MAX_PIN_LENGTH = "12"


def sign_on_request(*, stan: int, tid: str, mid: str, batch: int, mode: str = "004",
                    operator: str = "01 ") -> Message:
    """Build a 0800 sign-on request (no MAC).

    Args:
        stan: Trace number (1..999999).
        tid: Terminal ID, 8 characters.
        mid: Merchant ID, 15 characters.
        batch: Current batch number.
        mode: 60.3: ``"001"``, ``"003"`` or ``"004"`` (keys wanted in field 62).
        operator: 63.1, 3 characters.

    Raises:
        EncodeError: a value out of range or an unknown mode.
    """
    if mode not in SIGN_ON_MODES:
        raise EncodeError(f"sign-on mode {mode!r} is not one of {SIGN_ON_MODES}", field="60")
    return Message(mti="0800", fields={11: stan_field(stan), 41: tid, 42: mid,
                                       60: field60("00", batch, mode), 63: operator})


def sign_on_response(req: Message, *, rc: str, field62: bytes | None, batch: int,
                     when: datetime, rrn: str, acquirer_id: str | None = None) -> Message:
    """Build the host's 0810 (no MAC). 60.2 carries the batch the terminal must use.

    Args:
        req: The 0800.
        rc: Response code.
        field62: The encrypted working keys with KCVs, or ``None`` (e.g. when declined).
        batch: The batch number for the terminal.
        when: Host date/time (sets the terminal clock through 12/13).
        rrn: Retrieval reference number, 12 characters.
        acquirer_id: Field 32, the acquiring institution (up to 11 digits), or ``None``.
    """
    mode = (req.get(60) or "")[8:11] or "004"
    extra = {37: rrn, 60: field60("00", batch, mode)}
    if acquirer_id is not None:
        extra[32] = acquirer_id
    if field62 is not None:
        extra[62] = field62.hex().upper()
    return response_to(req, echo=_SIGN_ON_ECHO, rc=rc, when=when, extra=extra)


def _field53(*, track_encrypted: bool, double_length: bool) -> str:
    """53: ``2`` ISO 9564-0 with PAN; ``6`` double-length TDES / ``0`` single DES;
    53.3 ``1`` track encrypted."""
    return "2" + ("6" if double_length else "0") + ("1" if track_encrypted else "0") + "0" * 13


def sale_request(*, stan: int, tid: str, mid: str, batch: int, amount: int, track2: str,
                 expiry: str, pin_block: bytes | None, track_encrypted: bool = False,
                 operator: str = "01 ", double_length_keys: bool = True) -> Message:
    """Build a 0200 magnetic-stripe sale (no MAC).

    Args:
        stan: Trace number.
        tid: Terminal ID.
        mid: Merchant ID.
        batch: Current batch number.
        amount: Amount in fen (1..999999999999).
        track2: Track 2 in wire form (``D`` separator; an ``=`` is converted), already
            TDK-encrypted by the caller when ``track_encrypted``.
        expiry: YYMM, or empty to omit field 14.
        pin_block: The encrypted PIN block (8 bytes) from the PIN pad, or ``None``.
        track_encrypted: Sets 53.3.
        operator: 63.1, 3 characters.
        double_length_keys: 53.2: ``6`` for the double-length keys of sign-on modes
            003/004, ``0`` for the single DES keys of mode 001.

    Raises:
        EncodeError: a value out of range.
    """
    has_pin = pin_block is not None
    fields = {3: "000000", 4: digits(amount, 12, "4", minimum=1), 11: stan_field(stan),
              22: "021" if has_pin else "022", 25: "00", 35: track2.replace("=", "D"),
              41: tid, 42: mid, 49: CURRENCY_CNY,
              60: field60("22", batch, FINANCIAL_60_TAIL), 63: operator}
    if expiry:
        fields[14] = expiry
    if pin_block is not None:
        if len(pin_block) != 8:
            raise EncodeError("PIN block must be 8 bytes", field="52")
        fields |= {26: MAX_PIN_LENGTH, 52: pin_block.hex().upper()}
    if has_pin or track_encrypted:
        fields[53] = _field53(track_encrypted=track_encrypted,
                              double_length=double_length_keys)
    return Message(mti="0200", fields=fields)


VOID_PROCESSING_CODE = "200000"
VOID_60_TYPE = "23"
NO_RRN = "0" * 12


@dataclass(frozen=True, kw_only=True)
class Original:
    """The transaction a void undoes, as field 37, 38 and 61 carry it.

    Attributes:
        batch: Its batch number (61.1).
        stan: Its trace number (61.2).
        rrn: Its retrieval reference number, or empty (sent as twelve zeros).
        auth_code: Its authorization code, or empty (field 38 left out).
    """

    batch: int
    stan: int
    rrn: str = ""
    auth_code: str = ""

    def field61(self) -> str:
        """61 = original batch (6 digits) + original STAN (6 digits)."""
        return digits(self.batch, 6, "61", minimum=1) + digits(self.stan, 6, "61", minimum=1)


def void_request(*, original: Original, stan: int, tid: str, mid: str, batch: int,
                 amount: int, track2: str, expiry: str, pin_block: bytes | None,
                 track_encrypted: bool = False, operator: str = "01 ",
                 double_length_keys: bool = True) -> Message:
    """Build a 0200 void (消费撤销) of a sale (no MAC), per reference §1.4.

    The card and PIN fields are those of :func:`sale_request`; 3 = ``200000``,
    60.1 = ``23``, 37 = the original RRN (zeros if none), 38 = the original auth code
    (left out if none), 61 = original batch + original STAN.

    Args:
        original: The sale being voided.
        stan: The void's own trace number.
        tid: Terminal ID.
        mid: Merchant ID.
        batch: Current batch number.
        amount: In fen: the original amount for a full void.
        track2: Track 2 in wire form (see :func:`sale_request`).
        expiry: YYMM, or empty.
        pin_block: The encrypted PIN block, or ``None``.
        track_encrypted: Sets 53.3.
        operator: 63.1.
        double_length_keys: 53.2 (see :func:`sale_request`).

    Raises:
        EncodeError: a value out of range.
    """
    sale = sale_request(stan=stan, tid=tid, mid=mid, batch=batch, amount=amount,
                        track2=track2, expiry=expiry, pin_block=pin_block,
                        track_encrypted=track_encrypted, operator=operator,
                        double_length_keys=double_length_keys)
    rrn = original.rrn.strip() or NO_RRN
    if len(rrn) != 12:
        raise EncodeError(f"original RRN must be 12 characters, got {len(rrn)}", field="37")
    extra = {3: VOID_PROCESSING_CODE, 37: rrn, 61: original.field61(),
             60: field60(VOID_60_TYPE, batch, FINANCIAL_60_TAIL)}
    if original.auth_code.strip():
        extra[38] = original.auth_code.strip()
    return sale.replace(set=extra)


def parse_original(request: Message) -> tuple[int, int] | None:
    """Original batch and STAN from field 61 of a void or its reversal, or ``None``."""
    field61 = request.get(61) or ""
    if len(field61) < 12 or not field61[:12].isdigit():
        return None
    return int(field61[:6]), int(field61[6:12])


def sale_response(req: Message, *, rc: str, auth_code: str | None, rrn: str,
                  when: datetime) -> Message:
    """Build the host's 0210 (no MAC); 38 only when an auth code is given."""
    extra = {37: rrn}
    if auth_code is not None:
        extra[38] = auth_code
    return response_to(req, echo=_FINANCIAL_ECHO, rc=rc, when=when, extra=extra)


def _reversible(msg: Message) -> bool:
    if is_response(msg.mti):
        return False
    try:
        kind = classify(msg)
    except RemoteProtocolError:
        return False
    return kind in (MessageKind.SALE, MessageKind.VOID, MessageKind.VOUCHER_VERIFY,
                    MessageKind.PREAUTH, MessageKind.PREAUTH_VOID, MessageKind.COMPLETION,
                    MessageKind.COMPLETION_VOID,
                    MessageKind.PARTY_DEBIT, MessageKind.VOUCHER_VOID)


def reversal_request(original: Message, *, reason: str,
                     auth_code: str | None = None) -> Message:
    """Build the 0400 reversal of ``original`` (no MAC), per reference §1.6.

    Keeps the same STAN and 3/4/22/25/60; removes :data:`REVERSAL_STRIPPED`; sets
    39 = ``reason`` and 38 = ``auth_code`` when one was received.

    Args:
        original: The original request (sale or voucher verification).
        reason: ``"98"`` timeout, ``"A0"`` bad response MAC, ``"06"`` other.
        auth_code: The approval code of the original, if a response gave one.

    Raises:
        EncodeError: (field ``"39"``) unknown reason.
        LocalProtocolError: ``original`` is not a reversible request.
    """
    if reason not in REVERSAL_REASONS:
        raise EncodeError(f"reversal reason {reason!r} not in {sorted(REVERSAL_REASONS)}",
                          field="39")
    if not _reversible(original):
        raise LocalProtocolError(f"MTI {original.mti} ({original.get(3)}) cannot be reversed")
    extra = {39: reason} | ({38: auth_code} if auth_code else {})
    return original.replace(mti="0400", drop=REVERSAL_STRIPPED, set=extra)


def reversal_response(req: Message, *, rc: str, when: datetime) -> Message:
    """Build the host's 0410 (no MAC)."""
    return response_to(req, echo=_FINANCIAL_ECHO, rc=rc, when=when)
