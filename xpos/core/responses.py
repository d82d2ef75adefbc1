"""Host response codes (ISO 8583 field 39) and what the terminal shows for them.

Bank-card codes follow the CUP POS table; ``25``, ``V1`` and ``V2`` are the X-menu
voucher codes (docs/protocol.md); ``A0`` is the terminal's own MAC-failure reason;
``A7`` is the host's answer to a message for a terminal other than the one the
connection's certificate names (docs/security.md, terminal binding).
"""

from __future__ import annotations

from collections.abc import Mapping

from xpos.core.i18n import pick

RESPONSE_MESSAGES: Mapping[str, tuple[str, str]] = {
    "00": ("交易成功", "Approved"),
    "01": ("请持卡人与发卡行联系", "Refer to issuer"),
    "03": ("无效商户", "Invalid merchant"),
    "04": ("此卡被没收", "Pick up card"),
    "05": ("持卡人认证失败", "Do not honour"),
    "12": ("无效交易", "Invalid transaction"),
    "13": ("无效金额", "Invalid amount"),
    "14": ("无效卡号", "Invalid card number"),
    "15": ("此卡无对应发卡方", "No such issuer"),
    "25": ("券号不存在", "Unknown voucher"),
    "30": ("报文格式错误", "Format error"),
    "33": ("过期卡 请没收", "Expired card"),
    "40": ("发卡方不支持的交易", "Not supported"),
    "41": ("挂失卡 请没收", "Lost card"),
    "43": ("被窃卡 请没收", "Stolen card"),
    "51": ("余额不足", "Insufficient funds"),
    "54": ("卡已过期", "Expired card"),
    "55": ("密码错误", "Incorrect PIN"),
    "57": ("不允许持卡人\n进行的交易", "Not permitted (card)"),
    "58": ("不允许终端进行的交易", "Not permitted (POS)"),
    "59": ("有作弊嫌疑", "Suspected fraud"),
    "61": ("超出金额限制", "Over amount limit"),
    "62": ("受限制的卡", "Restricted card"),
    "64": ("原始金额错误", "Bad original amount"),
    "65": ("超出消费次数限制", "Too many uses"),
    "68": ("交易超时 请重试", "Host timeout, retry"),
    "75": ("密码错误次数超限", "PIN tries exceeded"),
    "77": ("请重新签到", "Sign on again"),
    "90": ("系统日切 请稍后重试", "Cutover, retry later"),
    "91": ("发卡方状态不正常", "Issuer unavailable"),
    "92": ("发卡方线路异常", "Issuer link down"),
    "94": ("重复交易", "Duplicate txn"),
    "96": ("系统故障", "System malfunction"),
    "97": ("终端未登记", "Unknown terminal"),
    "98": ("发卡方超时", "Issuer timeout"),
    "99": ("密码格式错", "PIN format error"),
    "A0": ("MAC校验错", "MAC error"),
    "A7": ("安全处理失败", "Security violation"),
    "V1": ("券已使用", "Voucher already used"),
    "V2": ("券已过期", "Voucher expired"),
    "V3": ("券未到使用日期", "Not valid yet"),
    "V4": ("非本商户券", "Another merchant's"),
    "V5": ("剩余份数不足", "Not that many left"),
    "V6": ("原核销已撤销", "Already voided"),
    "V7": ("已超过撤销时限", "Void window passed"),
}
"""Known response codes -> (zh, en) text."""


def response_message(rc: str | None, lang: str = "zh") -> str:
    """The text for a response code; unknown codes give ``交易失败(XX)``.

    Args:
        rc: The two-character field 39 value, or ``None`` when the host sent none.
        lang: ``"zh"`` (default) or ``"en"``.
    """
    if rc is None or not rc.strip():
        return pick(("交易失败", "Declined"), lang)
    pair = RESPONSE_MESSAGES.get(rc.upper())
    if pair is not None:
        return pick(pair, lang)
    code = "".join(c for c in rc if c.isalnum())[:2]
    return pick((f"交易失败({code})", f"Declined ({code})"), lang)
