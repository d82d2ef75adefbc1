"""The host pane's X-menu words: field 62 of X messages, one TLV item per line, in words.

:func:`xpos.proto.transcript.describe` gives every message masked, field 62 of an X
message (voucher 70, order 71/72, third-party debit 73, X3 session 78/79) as one line of
``tag=value`` pairs. :func:`describe_words` keeps that description and replaces the
field-62 line by one line per TLV item, named in the emulator's language and shown in
words: amounts in yuan (``¥400.00``), an X3 step type and result code with their
meaning, a select item as ``id: label``, a text's line breaks as `` / ``.

Masking is the transcript's, and stricter where it can be: voucher, coupon and keyed
order codes keep their last 4 characters, a member card number its first 6 / last 4, an
RFID UID its last 4; the encrypted track stays ``<sealed, N bytes>``, the PIN block
``<PIN block>``, a balance ``<balance>``. A tag this table does not know shows only its
size. Values from the host are data: control characters are dropped
(:func:`~xpos.model.textwidth.printable`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from xpos.core.i18n import pick
from xpos.errors import DecodeError
from xpos.model import format_fen, mask_code, mask_pan
from xpos.model.textwidth import printable
from xpos.proto import interactive as x3
from xpos.proto import order
from xpos.proto import voucher as vc
from xpos.proto.codec import Message
from xpos.proto.tlv import decode_tlv
from xpos.proto.transcript import describe

X_PROCESSING = ("70", "71", "72", "73", "78", "79")
"""Field 3 (first two digits) of the X messages that carry TLV in field 62."""

_SEP = "\x1f"
_NAME_END = 34
"""Where the value starts in a transcript field line (``"  62 "`` + 28-column name + space)."""


def _amount(value: str) -> str:
    return f"¥{format_fen(int(value))}" if value.isdigit() and len(value) <= 12 else value


_MASKED_PAN = re.compile(r"[0-9]{6}\*{2,9}[0-9]{4}")


def _card(value: str) -> str:
    """A card number first 6 / last 4 (already masked: as it is; anything else: last 4)."""
    if value.isdigit():
        return mask_pan(value)
    return value if _MASKED_PAN.fullmatch(value) else mask_code(value)


def _step_type(value: str) -> str:
    return f"{value} {x3.STEP_TYPES.get(value, '?')}"


def _result(value: str) -> str:
    return f"{value} {x3.RESULT_CODES.get(value, '?')}"


def _item(value: str) -> str:
    ident, _, label = value.partition(_SEP)
    return f"{ident}: {label}"


def _field(value: str) -> str:
    label, low, high, kind, hidden = ([*value.split(_SEP), "", "", "", "", ""])[:5]
    return f"{label} {low}-{high} {kind}" + (" hidden" if hidden == "1" else "")


def _text(value: str) -> str:
    return " / ".join(value.split("\n"))


def _abandon(value: str) -> str:
    return f"{value} {x3.ABANDON_REASONS.get(value, '?')}"


Shown = Callable[[str], str]

_WORDS: Mapping[int, tuple[str, str, Shown]] = MappingProxyType({
    # X1 vouchers (xpos.proto.voucher)
    vc.TAG_CODE: ("券码", "voucher code", mask_code),
    vc.TAG_METHOD: ("验证方式", "method", str),
    vc.TAG_ORDER: ("订单号", "order number", str),
    vc.TAG_MEMBER: ("会员卡号", "member card", _card),
    vc.TAG_MEMBER_UID: ("会员卡UID", "member card UID", mask_code),
    vc.TAG_TITLE: ("商品", "title", _text),
    vc.TAG_QUANTITY: ("数量", "quantity", str),
    vc.TAG_PROVIDER: ("服务商", "provider", str),
    vc.TAG_MESSAGE: ("平台信息", "platform says", _text),
    # X2 orders (xpos.proto.order)
    order.TAG_KEYED: ("输入的订单号/券号", "keyed order/coupon", mask_code),
    order.TAG_TITLE: ("订单", "order title", _text),
    order.TAG_TOTAL: ("订单金额", "order total", _amount),
    order.TAG_DUE: ("应付金额", "amount due", _amount),
    order.TAG_REASON: ("原因", "reason", _text),
    order.TAG_ORDER_NO: ("订单号", "order number", str),
    order.TAG_MESSAGE: ("平台信息", "platform says", _text),
    order.TAG_BANK_LEG: ("银行卡支付参考", "bank leg", str),
    order.TAG_BANK_AMOUNT: ("银行卡金额", "bank amount", _amount),
    order.TAG_PARTY_LEG: ("第三方卡支付参考", "third-party leg", str),
    order.TAG_PARTY_AMOUNT: ("第三方卡金额", "third-party amount", _amount),
    order.TAG_BALANCE: ("第三方卡余额", "third-party balance", lambda _: "<balance>"),
    # X3 sessions (xpos.proto.interactive): terminal → platform
    x3.TAG_SERVICE: ("服务", "service", str),
    x3.TAG_CAPS: ("终端能力", "capabilities", str),
    x3.TAG_SESSION: ("会话", "session", str),
    x3.TAG_NUMBER: ("步骤", "step", str),
    x3.TAG_RESULT: ("结果", "result", _result),
    x3.TAG_VALUE: ("输入值", "value", _text),
    x3.TAG_AMOUNT: ("金额", "amount", _amount),
    x3.TAG_BANK_RC: ("银行应答码", "bank response code", str),
    x3.TAG_BANK_STAN: ("银行凭证号", "bank trace", str),
    x3.TAG_BANK_RRN: ("银行参考号", "bank RRN", str),
    x3.TAG_CARD: ("卡号", "card", _card),
    x3.TAG_TRACK: ("磁道(加密)", "track (sealed)", lambda _: "<sealed>"),
    x3.TAG_PIN: ("密码", "PIN", lambda _: "<PIN block>"),
    x3.TAG_ABANDON: ("放弃", "abandoned", _abandon),
    # X3 sessions: platform → terminal (one step)
    x3.S_SESSION: ("会话", "session", str),
    x3.S_NUMBER: ("步骤", "step", str),
    x3.S_TYPE: ("步骤类型", "step type", _step_type),
    x3.S_TEXT: ("显示", "text", _text),
    x3.S_FIELD: ("输入项", "field", _field),
    x3.S_ITEM: ("选项", "item", _item),
    x3.S_AMOUNT: ("金额", "amount", _amount),
    x3.S_TIMEOUT: ("超时(秒)", "timeout (s)", str),
})
"""TLV tag → (Chinese, English, how the value is shown)."""

_SIZED = (x3.TAG_TRACK, x3.TAG_PIN, order.TAG_BALANCE)
"""Tags whose value is never decoded: only their size is shown."""


def has_x_tlv(msg: Message) -> bool:
    """Whether field 62 of ``msg`` is X-menu TLV (not sign-on keys)."""
    return (not msg.mti.startswith("08") and msg.get(62) is not None
            and (msg.get(3) or "")[:2] in X_PROCESSING)


def tlv_lines(raw_hex: str, lang: str = "zh") -> list[str]:
    """The TLV of field 62 (hex), one line per item: ``      <word>: <value>``.

    >>> tlv_lines("df23053135303030", "en")
    ['      amount due: ¥150.00']
    """
    try:
        items = decode_tlv(bytes.fromhex(raw_hex))
    except (DecodeError, ValueError):
        return [f"      <bad TLV, {len(raw_hex) // 2} bytes>"]
    lines = []
    for item in items:
        known = _WORDS.get(item.tag)
        if known is None:
            lines.append(f"      {item.tag:X}: <{len(item.value)} bytes>")
            continue
        word = pick(known[:2], lang)
        if item.tag in _SIZED:
            lines.append(f"      {word}: {known[2]('')} ({len(item.value)} bytes)")
            continue
        value = item.value.decode("utf-8", errors="replace")
        lines.append(f"      {word}: {printable(known[2](value))}")
    return lines


def describe_words(direction: str, msg: Message, lang: str = "zh") -> str:
    """``msg`` as the host pane shows it: the transcript, field 62 of X messages in words.

    Args:
        direction: ``→host`` or ``←host``.
        msg: The message (from the terminal's side of the link).
        lang: ``"zh"`` or ``"en"`` for the TLV words.
    """
    text = f"{direction} {describe(msg)}"
    if not has_x_tlv(msg):
        return text
    lines = []
    for line in text.split("\n"):
        if line.startswith("  62 "):  # keep number and name (34 columns), value in words
            items = tlv_lines(msg.get(62) or "", lang)
            lines.append(line[:_NAME_END] + pick(("X菜单 TLV", "X-menu TLV"), lang))
            lines.extend(items)
        else:
            lines.append(line)
    return "\n".join(lines)
