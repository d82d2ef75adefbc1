"""Menu texts shared by the menu parser and menu folder tests."""

from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "xpos" / "menus"

MAIN = """\
[menu]
id = "main"
title = "主菜单"
title_en = "Main menu"
version = 1

[[menu.items]]
label = "消费"
label_en = "Sale"
action = "builtin:sale"

[[menu.items]]
label = "X菜单"
label_en = "X menu"
action = "menu:x"
"""

X = """\
[menu]
id = "x"
title = "X菜单"
title_en = "X menu"
version = 2

[[menu.items]]
label = "订单验证"
label_en = "Verify order"
action = "builtin:voucher_verify"
"""
