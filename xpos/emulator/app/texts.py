"""The emulator's UI texts, Chinese first (``{key: (zh, en)}``), like :mod:`xpos.core.i18n`.

These are the labels of the emulator's own chrome (pane titles, buttons, the status
line). What the terminal itself shows comes from the core's catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping

from xpos.core.i18n import pick

UI_TEXTS: Mapping[str, tuple[str, str]] = {
    "title": ("X-POS 终端模拟器", "X-POS terminal emulator"),
    "display": ("显示屏", "Display"),
    "keypad": ("键盘", "Keypad"),
    "pinpad": ("密码键盘", "PIN pad"),
    "pinpad.idle": ("空闲", "idle"),
    "pinpad.ask": ("请输入密码:", "Enter PIN:"),
    "pinpad.hint": ("确认=提交 取消=放弃", "Enter=OK Esc=cancel"),
    "pinpad.bad": ("密码为4-12位数字", "PIN is 4-12 digits"),
    "wallet": ("测试卡券", "Wallet"),
    "wallet.bank": ("银行卡 (s)", "Bank cards (s)"),
    "wallet.member": ("会员/第三方 (s)", "Member/3rd (s)"),
    "wallet.rfid": ("挥卡 (t)", "Tap (t)"),
    "wallet.voucher": ("券码 (b扫 k输)", "Vouchers (b/k)"),
    "wallet.order": ("订单号 (b扫 k输)", "Orders (b/k)"),
    "choose.swipe": ("刷卡: 选择测试卡", "Swipe: choose a card"),
    "choose.tap": ("挥卡: 选择非接卡", "Tap: choose an RFID card"),
    "choose.scan": ("扫码: 选择券码或订单号", "Scan: choose a code or an order number"),
    "choose.key_in": ("输入: 选择券码或订单号 (逐键输入并按#)",
                      "Key in: choose a code (its digits and # are pressed)"),
    "choose.hint": ("↑↓+回车 或 编号键(1-9 a-z)选择, Esc 关闭",
                    "↑↓+Enter or the item's number/letter picks, Esc closes"),
    "printer": ("打印机", "Printer"),
    "printer.out": ("缺纸 (p)", "Paper out (p)"),
    "printer.reload": ("装纸 (r)", "Reload (r)"),
    "host": ("主机报文", "Host messages"),
    "host.short": ("主机报文", "Host"),
    "host.zoom": ("(h)", "(h)"),
    "host.unzoom": ("h 还原", "h back"),
    "status.starting": ("正在启动…", "starting…"),
    "status.online": ("联机", "online"),
    "status.offline": ("脱机", "offline"),
    "status.connecting": ("正在连接主机…", "connecting…"),
    "status.signed_on": ("已签到", "signed on"),
    "status.not_signed_on": ("未签到", "not signed on"),
    "status.batch": ("批次 {batch:06d}", "batch {batch:06d}"),
    "status.reversal": ("冲正待发", "reversal pending"),
    "status.no_reversal": ("无冲正", "no reversal"),
    "status.paper": ("纸张正常", "paper ok"),
    "status.no_paper": ("缺纸", "paper out"),
    "help": ("s 刷卡 t 挥卡 b 扫码 k 输码 p 缺纸 r 装纸 h 主机 e 收银机 Ctrl+Q 退出",
             "s swipe t tap b scan k key-in p paper r reload h host e till Ctrl+Q quit"),
    "hint.key": ("{key} 键此时无效, 请按显示屏提示操作",
                 "{key} does nothing here: see the display"),
    "hint.swipe": ("终端此时不读卡 (先选择交易, 如 2 消费)",
                   "the terminal is not reading cards now (choose a transaction first)"),
    "hint.tap": ("终端此时不读非接卡", "the terminal is not reading RFID cards now"),
    "hint.scan": ("终端此时不扫码 (先选择 3 X菜单, 1 订单验证 或 3 订单支付)",
                  "the terminal is not scanning now (X menu: verify or pay an order first)"),
    "hint.key_in": ("终端此时不要券码/订单号 (先选择 3 X菜单, 1 订单验证 或 3 订单支付)",
                    "the terminal asks for no code now (X menu: verify or pay an order first)"),
    "hint.small": ("窗口 {cols}×{rows} 太小, 需要至少 80×24",
                   "window {cols}×{rows} is too small: 80×24 needed"),
    "key.ENTER": ("确认", "ENTER"),
    "key.CANCEL": ("取消", "CANCEL"),
    "key.CLEAR": ("清除", "CLEAR"),
    "key.MENU": ("菜单", "MENU"),
    "key.UP": ("上", "UP"),
    "key.DOWN": ("下", "DOWN"),
}

NOTES: Mapping[str, tuple[str, str]] = {
    "approved": ("批准 00", "approved: 00"),
    "low balance: 51 above 5.00": ("余额5.00元, 超出返回51", "balance 5.00, above: 51"),
    "expired: 54": ("过期卡 54", "expired: 54"),
    "blocked: 62": ("冻结卡 62", "blocked: 62"),
    "member card (X menu)": ("会员卡=第三方卡 (X菜单)", "member = third-party card (X menu)"),
    "balance": ("余额{amount}", "balance {amount}"),
    "demo RFID card": ("会员卡(挥卡), 订单验证可用", "member card, tapped: order verification"),
    "valid: 00": ("有效 00", "valid: 00"),
    "already used: V1": ("已使用 V1", "already used: V1"),
    "expired: V2": ("已过期 V2", "expired: V2"),
    "order number for the member-card method: 00": ("会员卡验证用订单号 00",
                                                    "order number (member card): 00"),
}
"""The demo data's notes (``xpos.refhost.seed``, English) as the wallet shows them."""


def note(text: str, lang: str = "zh") -> str:
    """A demo note in ``lang``; a note without a translation is shown as it is.

    >>> note("valid: 00"), note("valid: 00", "en"), note("new")
    ('有效 00', 'valid: 00', 'new')
    """
    pair = NOTES.get(text)
    return text if pair is None else pick(pair, lang)


def ui(key: str, lang: str = "zh", /, **kw: object) -> str:
    """The UI text ``key`` in ``lang`` (``"en"``, else Chinese), placeholders filled.

    An unknown key comes back as itself.

    >>> ui("display"), ui("display", "en"), ui("status.batch", "en", batch=1)
    ('显示屏', 'Display', 'batch 000001')
    """
    pair = UI_TEXTS.get(key)
    if pair is None:
        return key
    text = pick(pair, lang)
    return text.format(**kw) if kw else text
