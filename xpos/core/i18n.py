"""The message catalogue: every text the core puts on the screen, Chinese first.

The catalogue is data, ``{key: (zh, en)}``. Every text fits one 20-column display
row, or several rows joined by newlines (the display splits them). :func:`t` picks a
language (``"zh"`` is the default; ``"en"`` is the only other one) and fills
``{placeholders}``.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh", "en")
"""Supported languages; the first is the default."""

CATALOGUE: Mapping[str, tuple[str, str]] = {
    # step machine chrome
    "amount.label": ("金额:", "Amount:"),
    "amount.zero": ("金额不能为零", "Amount must not be 0"),
    "amount.confirm": ("确认请按确认键", "ENTER to confirm"),
    "input.too_short": ("长度不足", "Too short"),
    "card.read_error": ("读卡失败 请重试", "Read failed, retry"),
    "card.cancel_hint": ("按取消键退出", "CANCEL to quit"),
    "confirm.hint": ("1.是  2.否", "1.Yes  2.No"),
    "pin.prompt": ("请持卡人输入密码", "Cardholder: PIN"),
    "pin.timeout": ("输入密码超时", "PIN entry timed out"),
    "pin.amount": ("金额: {amount}", "Amount: {amount}"),
    "print.busy": ("正在打印…", "Printing..."),
    # flows: common outcomes
    "txn.cancelled": ("交易已取消", "Cancelled"),
    "txn.approved": ("交易成功", "Approved"),
    "card.timeout": ("读卡超时", "Card read timed out"),
    "card.no_pan": ("读卡失败", "Card read failed"),
    "outcome.no_response": ("交易超时 将自动冲正", "No reply, reversing"),
    "outcome.no_reply": ("主机无应答", "No reply from host"),
    "outcome.unreachable": ("连接主机失败", "Host unreachable"),
    "outcome.bad_mac": ("MAC校验错 将自动冲正", "MAC error, reversing"),
    "outcome.rejected": ("应答报文错误", "Bad host reply"),
    "outcome.not_signed_on": ("请先签到", "Please sign on first"),
    "outcome.error": ("交易失败", "Transaction failed"),
    "online.no_tmk": ("未装主密钥", "No master key"),
    "online.bad_keys": ("工作密钥校验错", "Key check failed"),
    "online.reversal_pending": ("冲正未完成\n请稍后再试", "Reversal pending,\nretry later"),
    "online.reversal_failed": ("冲正不成功\n请与客服联系", "Reversal failed,\ncall support"),
    "fault.journal_lost": ("交易记录丢失\n请联系维护", "Journal lost,\ncall maintenance"),
    "fault.keys_lost": ("密钥丢失\n请联系维护", "Keys lost,\ncall maintenance"),
    "print.paper_out": ("打印机缺纸", "Printer out of paper"),
    "print.reload": ("装纸后按确认键重打", "Load paper, ENTER"),
    "print.failed": ("打印失败", "Print failed"),
    # sign-on
    "sign_on.title": ("签到", "Sign on"),
    "sign_on.busy": ("签到中…", "Signing on..."),
    "sign_on.ok": ("签到成功", "Signed on"),
    "sign_on.batch": ("批次号: {batch:06d}", "Batch: {batch:06d}"),
    # sale
    "sale.title": ("消费", "Sale"),
    "sale.amount": ("请输入金额", "Enter amount"),
    "sale.swipe": ("请刷卡", "Swipe card"),
    # void
    "void.title": ("撤销", "Void"),
    "supervisor.prompt": ("请输入主管密码", "Supervisor password"),
    "supervisor.label": ("主管密码", "Password"),
    "supervisor.wrong": ("主管密码错误", "Wrong password"),
    "supervisor.refused": ("密码错误次数过多\n交易已取消", "Too many wrong\npasswords"),
    "void.trace_prompt": ("请输入原凭证号", "Original trace no."),
    "void.trace": ("凭证号", "Trace no."),
    "void.original": ("原交易: {stan:06d}", "Original: {stan:06d}"),
    "void.card": ("卡号:", "Card:"),
    "void.date": ("日期: {date}", "Date: {date}"),
    "void.confirm": ("确认撤销?", "Void this sale?"),
    "online.void_unknown": ("无此交易", "No such transaction"),
    "online.void_done": ("原交易已撤销", "Already voided"),
    "online.void_not_approved": ("原交易未成功\n不能撤销", "Original not\napproved"),
    "online.void_other_batch": ("原交易已结算\n不能撤销", "Original settled"),
    "online.void_not_sale": ("原交易不是消费\n不能撤销", "Original not a sale"),
    "online.void_other_card": ("卡号与原交易不符", "Not the original\ncard"),
    # X menu: voucher / order verification
    "voucher.title": ("订单验证", "Order verification"),
    "voucher.prompt": ("请输入券号/扫码", "Key or scan code"),
    "voucher.code": ("券号", "Code"),
    "voucher.order_prompt": ("请输入订单号", "Enter order number"),
    "voucher.order": ("订单号", "Order number"),
    "voucher.ok": ("验证成功", "Verified"),
    "voucher.quantity": ("数量: {quantity}", "Quantity: {quantity}"),
    # reprints (B2/B3) and totals (B1)
    "reprint.title": ("重打印", "Reprint"),
    "reprint.trace_prompt": ("请输入凭证号", "Enter trace number"),
    "reprint.trace": ("凭证号", "Trace no."),
    "reprint.not_found": ("无此交易", "No such transaction"),
    "reprint.done": ("重打印完成", "Reprinted"),
    "totals.title": ("交易汇总", "Totals"),
    "totals.page": ("交易汇总 {page}/{pages}", "Totals {page}/{pages}"),
    "totals.batch": ("批次号: {batch:06d}", "Batch: {batch:06d}"),
    "totals.bank": ("银行卡", "Bank card"),
    "totals.x": ("X菜单", "X menu"),
    "totals.kind.sale": ("消费", "Sale"),
    "totals.kind.void": ("撤销", "Void"),
    "totals.kind.voucher": ("券兑换", "Voucher"),
    "totals.count": ("{label} {count}笔", "{label} x{count}"),
    "totals.sum": ("合计 {count}笔", "Total x{count}"),
    "totals.none": ("无交易", "None"),
    "totals.print": ("打印汇总单?", "Print totals?"),
    "till.from": ("收银机发起", "From the till"),
    "till.busy": ("终端忙 请稍后", "Terminal busy"),
    "till.not_supported": ("终端不支持该交易", "Not supported"),
}


def t(key: str, lang: str = "zh", /, **kw: object) -> str:
    """Look up ``key`` in ``lang`` and fill its placeholders.

    Args:
        key: A catalogue key, e.g. ``"sale.amount"``.
        lang: ``"zh"`` (default) or ``"en"``; anything else falls back to Chinese.
        **kw: Values for ``{placeholders}``.

    Returns:
        The text; an unknown key comes back as itself so that a screen never crashes.
    """
    pair = CATALOGUE.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kw) if kw else text


def pick(pair: tuple[str, str], lang: str = "zh") -> str:
    """Choose from a ``(zh, en)`` pair, Chinese unless ``lang`` is ``"en"``."""
    return pair[1] if lang == "en" else pair[0]
