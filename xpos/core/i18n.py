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
    "print.offline": ("打印机未连接", "Printer offline"),
    "print.reconnect": ("接好后按确认键重打", "Reconnect, ENTER"),
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
    "online.void_refunded": ("原交易已退货\n不能撤销", "Original refunded"),
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
    # the pre-authorisation family (issue 10)
    "preauth.title": ("预授权", "Pre-auth"),
    "preauth_void.title": ("预授权撤销", "Pre-auth void"),
    "completion.title": ("预授权完成", "Auth complete"),
    "completion_void.title": ("预授权完成撤销", "Complete void"),
    "preauth.amount": ("请输入预授权金额", "Pre-auth amount"),
    "completion.amount": ("请输入完成金额", "Completion amount"),
    "preauth.original_amount": ("请输入原交易金额", "Original amount"),
    "preauth.trace_prompt": ("请输入原凭证号\n无凭证号直接按确认",
                             "Original trace no.\nENTER if none"),
    "preauth.auth_prompt": ("请输入原授权码", "Original auth code"),
    "preauth.auth": ("授权码", "Auth code"),
    "preauth.date_prompt": ("请输入原交易日期", "Original date"),
    "preauth.date": ("月日(MMDD)", "MMDD"),
    "preauth.confirm": ("确认?", "Confirm?"),
    "preauth.auth_code": ("授权码: {code}", "Auth code: {code}"),
    "online.preauth_unknown": ("无此原交易", "No such original"),
    "online.preauth_not_preauth": ("原交易不是预授权", "Not a pre-auth"),
    "online.preauth_not_completion": ("原交易不是\n预授权完成", "Not a completion"),
    "online.preauth_not_approved": ("原交易未成功", "Original not\napproved"),
    "online.preauth_voided": ("原交易已撤销", "Original voided"),
    "online.preauth_completed": ("原预授权已完成", "Already completed"),
    "online.preauth_over": ("超出预授权金额", "Over the held amount"),
    "online.preauth_other_batch": ("原交易已结算\n不能撤销", "Original settled"),
    "totals.kind.preauth": ("预授权", "Pre-auth"),
    "totals.kind.preauth_void": ("预授权撤销", "Pre-auth void"),
    "totals.kind.completion": ("预授权完成", "Completion"),
    "totals.kind.completion_void": ("完成撤销", "Compl. void"),
    "online.platform_unavailable": ("平台不可用", "Platform unavailable"),
    "online.platform_error": ("平台数据错误", "Bad platform data"),
    "x3.title": ("互动业务", "Services"),
    "x3.too_long": ("业务步骤过多\n已结束", "Too many steps,\nended"),
    "x3.swipe_tp": ("请刷第三方卡", "Swipe 3rd-party card"),
    "totals.kind.x3_session": ("互动业务", "Service"),
    # X2 order payment (订单支付) and J1
    "order.title": ("订单支付", "Order payment"),
    "order.prompt": ("请输入订单号/券号", "Order/coupon no."),
    "order.code": ("订单号", "Order no."),
    "order.total": ("订单金额: {amount}", "Total: {amount}"),
    "order.due": ("应付金额: {amount}", "Due: {amount}"),
    "order.confirm": ("确认支付?", "Pay now?"),
    "order.paid": ("支付成功", "Paid"),
    "order.method": ("支付方式", "Pay by"),
    "order.by_bank": ("银行卡", "Bank card"),
    "order.by_party": ("第三方卡", "Third-party card"),
    "order.party_swipe": ("请刷第三方卡", "Swipe 3rd-party card"),
    "order.rc.55": ("第三方卡密码错误", "Wrong card password"),
    "totals.kind.third-party debit": ("第三方卡", "3rd-party card"),
    # X4 X-menu records
    "xrec.title": ("X交易查询", "X records"),
    "xrec.totals": ("X交易汇总", "X totals"),
    "xrec.by.trace": ("按凭证号", "By trace no."),
    "xrec.by.order": ("按订单号", "By order no."),
    "xrec.by.code": ("按券号", "By voucher code"),
    "xrec.by.date": ("按日期", "By date"),
    "xrec.prompt.trace": ("请输入凭证号", "Enter trace no."),
    "xrec.prompt.order": ("请输入订单号", "Enter order no."),
    "xrec.prompt.code": ("请输入券号/扫码", "Key or scan code"),
    "xrec.prompt.date": ("请输入日期YYYYMMDD", "Date YYYYMMDD"),
    "xrec.none": ("无此记录", "No such record"),
    "xrec.trace": ("凭证号: {stan:06d}", "Trace: {stan:06d}"),
    "xrec.st.approved": ("状态: 成功", "Status: approved"),
    "xrec.st.declined": ("状态: 拒绝", "Status: declined"),
    "xrec.st.failed": ("状态: 失败", "Status: failed"),
    "xrec.st.pending": ("状态: 未完成", "Status: pending"),
    "xrec.st.reversed": ("状态: 已冲正", "Status: reversed"),
    "xrec.print": ("打印查询结果?", "Print the records?"),
    "order.rc.25": ("无此订单", "No such order"),
    "order.rc.P1": ("订单已支付", "Order already paid"),
    "order.rc.P2": ("银行卡交易不符", "Bank leg mismatch"),
    "online.order_notice_pending": ("银行卡已扣款\n订单通知稍后补发",
                                    "Card debited,\norder notice later"),
    "online.order_notice_refused": ("银行卡已扣款\n订单未确认\n请联系客服",
                                    "Card debited, order\nnot confirmed:\ncall support"),
    # settlement (B4)
    "settle.title": ("结算", "Settlement"),
    "settle.confirm": ("确认结算?", "Settle now?"),
    "settle.resume": ("继续结算?", "Continue it?"),
    "settle.done": ("结算成功", "Settled"),
    "settle.balanced": ("对账平", "Balanced"),
    "settle.unbalanced": ("对账不平 已批上送", "Unbalanced, uploaded"),
    "settle.unfinished": ("结算未完成", "Not finished"),
    "settle.reprint_title": ("重打结算单", "Reprint settlement"),
    "settle.no_slip": ("无结算单", "No settlement slip"),
    "online.settle_pending": ("结算未完成\n请先结算", "Settlement pending\nsettle first"),
    "online.settle_refused": ("主机拒绝结算 {rc}", "Host refused: {rc}"),
    # refund (退货) and balance inquiry (查余额)
    "refund.title": ("退货", "Refund"),
    "refund.rrn_prompt": ("请输入原参考号", "Original ref. no."),
    "refund.rrn": ("参考号", "Ref. no."),
    "refund.date_prompt": ("请输入原交易日期", "Original date"),
    "refund.date": ("日期(MMDD)", "Date (MMDD)"),
    "refund.bad_date": ("日期错误", "Invalid date"),
    "refund.original": ("原交易: {stan:06d}", "Original: {stan:06d}"),
    "refund.amount": ("请输入退货金额", "Refund amount"),
    "refund.confirm": ("确认退货?", "Refund this amount?"),
    "refund.unknown_rrn": ("无原始交易", "No such original"),
    "refund.not_refundable": ("原交易不能退货", "Not refundable"),
    "refund.over": ("超出可退货金额", "Over refundable amt"),
    "online.refund_unknown": ("退货结果未知\n请与收单行核实", "Refund unknown,\ncheck acquirer"),
    "online.refund_other_card": ("卡号与原交易不符", "Not the original\ncard"),
    "online.no_reply": ("主机无应答", "No reply from host"),
    "online.balance_bad_mac": ("MAC校验错", "MAC error"),
    "totals.kind.refund": ("退货", "Refund"),
    "balance.title": ("查余额", "Balance"),
    "balance.shown": ("余额: {amount}", "Balance: {amount}"),
    "void.amount": ("撤销金额 0=全额", "Amount, 0 = all"),
    "void.partial_refused": ("发卡行不支持\n部分撤销", "Issuer allows no\npartial void"),
    "online.void_over_amount": ("超过原交易金额", "Over original amount"),
    "till.from": ("收银机发起", "From the till"),
    "till.busy": ("终端忙 请稍后", "Terminal busy"),
    "till.not_supported": ("终端不支持该交易", "Not supported"),
    # X2 combined payment (xpos.core.flows.order_combo)
    "order.by_combo": ("组合支付", "Combined"),
    "order.combo_party": ("第三方已付:{amount}", "Party paid {amount}"),
    "order.combo_undone": ("第三方卡扣款已退回", "Party debit returned"),
    # Refund from the till (xpos.core.flows.till)
    "refund.bad_original": ("原交易信息错误", "Bad RRN or date"),
    # X2: the order-paid notice refused, the money legs undone (xpos.terminal.order_undo)
    "online.order_undone": ("订单未确认\n款项已撤销", "Order not confirmed\npayment returned"),
    "online.order_undo_pending": ("订单未确认\n款项将自动撤销",
                                  "Order not confirmed\nrefund to follow"),
    # X1 redemption in parts and its X void (xpos.core.flows.voucher, voucher_void)
    "redeem.left": ("剩余 {quantity} 份", "{quantity} left"),
    "redeem.value": ("单价: {amount}", "Each: {amount}"),
    "redeem.expires": ("有效期至 {date}", "Valid to {date}"),
    "redeem.units": ("核销份数(确认=全部)", "Items (ENTER=all)"),
    "redeem.units_bad": ("份数须为1至{quantity}", "Items: 1 to {quantity}"),
    "redeem.confirm": ("确认核销 {quantity} 份?", "Redeem {quantity}?"),
    "redeem.done": ("已核销 {quantity} 份", "Redeemed {quantity}"),
    "xvoid.title": ("核销撤销", "Redemption void"),
    "xvoid.confirm": ("确认撤销核销?", "Void redemption?"),
    "xvoid.units": ("撤销 {quantity} 份", "{quantity} restored"),
    "online.xvoid_not_redemption": ("原交易不是核销\n不能撤销", "Not a redemption"),
    "totals.kind.voucher_void": ("核销撤销", "Redemption void"),
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
