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
    "wallet.swipe": ("刷卡 (s)", "Swipe (s)"),
    "wallet.tap": ("挥卡 (t)", "Tap (t)"),
    "wallet.scan": ("扫码 (b)", "Scan (b)"),
    "choose.swipe": ("刷卡: 选择测试卡", "Swipe: choose a card"),
    "choose.tap": ("挥卡: 选择非接卡", "Tap: choose an RFID card"),
    "choose.scan": ("扫码: 选择券码", "Scan: choose a code"),
    "choose.hint": ("↑↓+回车 或 数字键选择, Esc 关闭",
                    "↑↓+Enter or a digit picks, Esc closes"),
    "printer": ("打印机", "Printer"),
    "printer.out": ("缺纸 (p)", "Paper out (p)"),
    "printer.reload": ("装纸 (r)", "Reload (r)"),
    "host": ("主机报文", "Host messages"),
    "status.starting": ("正在启动…", "starting…"),
    "status.online": ("联机", "online"),
    "status.offline": ("脱机", "offline"),
    "status.signed_on": ("已签到", "signed on"),
    "status.not_signed_on": ("未签到", "not signed on"),
    "status.batch": ("批次 {batch:06d}", "batch {batch:06d}"),
    "status.reversal": ("冲正待发", "reversal pending"),
    "status.no_reversal": ("无冲正", "no reversal"),
    "status.paper": ("纸张正常", "paper ok"),
    "status.no_paper": ("缺纸", "paper out"),
    "help": ("s 刷卡  t 挥卡  b 扫码  p 缺纸  r 装纸  Ctrl+Q 退出",
             "s swipe  t tap  b scan  p paper out  r reload  Ctrl+Q quit"),
    "key.ENTER": ("确认", "ENTER"),
    "key.CANCEL": ("取消", "CANCEL"),
    "key.CLEAR": ("清除", "CLEAR"),
    "key.MENU": ("菜单", "MENU"),
    "key.UP": ("上", "UP"),
    "key.DOWN": ("下", "DOWN"),
}


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
