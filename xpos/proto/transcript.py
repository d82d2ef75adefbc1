"""Human-readable, masked message summaries for logs, the emulator's traffic pane and QA
evidence.

Nothing sensitive survives :func:`describe`: field 2 is masked 6/4, tracks (35, 36)
become ``<track masked 621234*********4567>`` or ``<track>``, the PIN block (52) becomes
``<PIN block>``, a balance (54) ``<balance>``, sign-on keys (62 of 08xx) become
``<keys>``, ICC data only shows its size, and X-menu TLV shows voucher codes masked to
their last 4 characters; X2 order TLV is shown by tag name (the keyed order/coupon
number masked to its last 4, a card balance by size only); X3 session TLV is shown by
tag name, its encrypted track and PIN block by size only, a sealed hidden input value
(``DF4E``) as ``sealed[position]=<sealed>``.
"""

from __future__ import annotations

from collections.abc import Callable

from xpos.errors import DecodeError
from xpos.model import mask_pan
from xpos.proto import order
from xpos.proto.catalogue import message_type
from xpos.proto.codec import Message
from xpos.proto.interactive import TAG_PIN, TAG_SEALED, TAG_TRACK, X3_TAG_NAMES
from xpos.proto.spec import FIELDS
from xpos.proto.tlv import decode_tlv
from xpos.proto.voucher import (
    TAG_CODE,
    TAG_EXPIRES,
    TAG_MEMBER,
    TAG_MESSAGE,
    TAG_METHOD,
    TAG_ORDER,
    TAG_PROVIDER,
    TAG_QUANTITY,
    TAG_TITLE,
    TAG_UNITS,
    TAG_VALUE,
    mask_voucher_code,
)
from xpos.proto.voucher_x import TAG_ORIGINAL_BATCH, TAG_ORIGINAL_STAN

__all__ = ["describe"]

_TLV_TEXT: dict[int, tuple[str, Callable[[str], str]]] = {
    TAG_CODE: ("code", mask_voucher_code),
    TAG_METHOD: ("method", str),
    TAG_ORDER: ("order", str),
    TAG_MEMBER: ("member", mask_pan),
    TAG_TITLE: ("title", str),
    TAG_QUANTITY: ("qty", str),
    TAG_PROVIDER: ("provider", str),
    TAG_MESSAGE: ("message", str),
}
_TLV_TEXT.update({tag: (name, str) for tag, name in X3_TAG_NAMES.items()})
_TLV_TEXT.update({  # X2 orders (xpos.proto.order): the keyed code masked like a voucher's
    order.TAG_KEYED: ("keyed", mask_voucher_code), order.TAG_TITLE: ("title", str),
    order.TAG_TOTAL: ("total", str), order.TAG_DUE: ("due", str),
    order.TAG_REASON: ("reason", str), order.TAG_ORDER_NO: ("order", str),
    order.TAG_MESSAGE: ("message", str), order.TAG_BANK_LEG: ("bank_leg", str),
    order.TAG_BANK_AMOUNT: ("bank_amount", str), order.TAG_PARTY_LEG: ("party_leg", str),
    order.TAG_PARTY_AMOUNT: ("party_amount", str)})
_TLV_HIDDEN = {TAG_TRACK: "track", TAG_PIN: "pin_block",  # X3: sizes only
               order.TAG_BALANCE: "balance"}  # X2: a card balance, like field 54
_X_TLV: tuple[str, ...] = ("70", "71", "72", "73", "78", "79")  # F3 of X messages, TLV in 62
_X_TLV += ("74",)  # X1 query and X void (xpos.proto.voucher_x)
_TLV_TEXT.update({  # X1 redemption in parts: value, validity, items, the voided original
    TAG_VALUE: ("value", str), TAG_EXPIRES: ("expires", str), TAG_UNITS: ("units", str),
    TAG_ORIGINAL_STAN: ("original_stan", str), TAG_ORIGINAL_BATCH: ("original_batch", str)})
_MIN_PAN = 12


def _title(msg: Message) -> str:
    row = message_type(msg)
    return row.description if row is not None else "unknown message"


def _pan(value: str) -> str:
    return mask_pan(value) if value.isdigit() else "<PAN>"


def _track(value: str) -> str:
    pan, sep, _ = value.partition("D")
    if sep and pan.isdigit() and _MIN_PAN <= len(pan) <= 19:
        return f"<track masked {mask_pan(pan)}>"
    return "<track>"


def _tlv(value: str) -> str:
    try:
        items = decode_tlv(bytes.fromhex(value))
    except (DecodeError, ValueError):
        return f"<bad TLV, {len(value) // 2} bytes>"
    parts = []
    for item in items:
        if item.tag == TAG_SEALED:  # X3: a hidden input value, never shown
            parts.append(f"sealed[{item.value[0] if item.value else 0}]=<sealed>")
            continue
        name, show = _TLV_TEXT.get(item.tag, (_TLV_HIDDEN.get(item.tag, f"{item.tag:X}"), None))
        if show is None:
            parts.append(f"{name}=<{len(item.value)} bytes>")
            continue
        text = item.value.decode("utf-8", errors="replace")
        parts.append(f"{name}={show(text)!r}")
    return "TLV " + " ".join(parts)


def _field62(msg: Message, value: str) -> str:
    if msg.mti.startswith("08"):
        return "<keys>"
    if (msg.get(3) or "")[:2] in _X_TLV:
        return _tlv(value)
    return f"<{len(value) // 2} bytes>"


def _show(msg: Message, number: int, value: str) -> str:
    if number == 2:
        return _pan(value)
    if number == 35:
        return _track(value)
    if number == 36:
        return "<track>"
    if number == 52:
        return "<PIN block>"
    if number == 54:
        return "<balance>"  # a balance inquiry's answer reaches the screen only
    if number == 55:
        return f"<ICC data, {len(value) // 2} bytes>"
    if number == 62:
        return _field62(msg, value)
    return repr(value) if value != value.strip() or not value else value


def describe(msg: Message, *, one_line: bool = False) -> str:
    """Summarise ``msg`` with all sensitive data masked.

    Args:
        msg: The message.
        one_line: One line (``n=value`` pairs) instead of one line per field.
    """
    head = f"{msg.mti} {_title(msg)}"
    shown = [(n, _show(msg, n, v)) for n, v in msg.fields.items()]
    if one_line:
        return head + " | " + " ".join(f"{n}={text}" for n, text in shown)
    lines = [f"{head} · TPDU {msg.tpdu} · header {msg.header}"]
    for number, text in shown:
        spec = FIELDS.get(number)
        name = spec.name if spec else "?"
        lines.append(f"  {number:>2} {name:<28.28} {text}")
    return "\n".join(lines)
