from pathlib import Path

import pytest

from xpos.core.flows import FlowContext, Online, Outcome, SignOnRequest
from xpos.core.menus import load_menus, menu_flow, parse_menu
from xpos.core.steps import AmountStep, Display, Input, ResultCode, Select
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.errors import ConfigError, MenuError

SHIPPED = Path(__file__).resolve().parents[2] / "menus"
CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")

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


def write(tmp_path, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_shipped_menus_load():
    menus = load_menus(SHIPPED)
    assert menus.versions == {"main": 1, "x": 1}
    assert [item.action for item in menus["main"].items] == [
        "builtin:sign_on",
        "builtin:sale",
        "menu:x",
    ]
    assert [item.action for item in menus["x"].items] == ["builtin:voucher_verify"]


def test_valid_menus_load_with_titles_and_versions(tmp_path):
    menus = load_menus(write(tmp_path, main=MAIN, x=X))
    assert menus.root == "main"
    assert menus["x"].version == 2
    assert menus["main"].title_in("en") == "Main menu"
    assert menus["main"].items[1].kind == "menu"
    assert menus["main"].items[1].target == "x"


@pytest.mark.parametrize(
    ("broken", "key"),
    [
        (MAIN.replace("version = 1", "version = "), "<toml>"),
        ("extra = 1\n" + MAIN, "extra"),
        (MAIN.replace("version = 1", 'version = 1\ncolour = "red"'), "menu.colour"),
        (
            MAIN.replace('action = "menu:x"', 'action = "menu:x"\nicon = "x.png"'),
            "menu.items[1].icon",
        ),
        (MAIN.replace('title = "主菜单"\n', ""), "menu.title"),
        (MAIN.replace('title_en = "Main menu"\n', ""), "menu.title_en"),
        (MAIN.replace('action = "builtin:sale"\n', ""), "menu.items[0].action"),
        (MAIN.replace("version = 1", 'version = "1"'), "menu.version"),
        (MAIN.replace("version = 1", "version = true"), "menu.version"),
        (MAIN.replace("version = 1", "version = 0"), "menu.version"),
        (MAIN.replace('id = "main"', "id = 7"), "menu.id"),
        (MAIN.replace('label = "消费"', 'label = ""'), "menu.items[0].label"),
        (MAIN.replace('label = "消费"', 'label = "消费消费消费消费消费"'), "menu.items[0].label"),
        (MAIN.replace('label_en = "Sale"', 'label_en = ["Sale"]'), "menu.items[0].label_en"),
        (MAIN.replace('title = "主菜单"', 'title = "主菜单主菜单主菜单主菜单"'), "menu.title"),
        (MAIN.replace("builtin:sale", "builtin:refund"), "menu.items[0].action"),
        (MAIN.replace("builtin:sale", "http://evil.example/sale"), "menu.items[0].action"),
        (MAIN.replace("builtin:sale", "sale"), "menu.items[0].action"),
        (MAIN.replace("menu:x", "menu:y"), "menu.items[1].action"),
        (MAIN.replace("menu:x", "menu:X!"), "menu.items[1].action"),
        ("[settings]\nid = 1\n", "settings"),
        ('menu = "main"\n', "menu"),
        (MAIN.split("[[menu.items]]")[0] + "items = []\n", "menu.items"),
        (MAIN.split("[[menu.items]]")[0] + 'items = "sale"\n', "menu.items"),
        (MAIN.split("[[menu.items]]")[0] + 'items = ["sale"]\n', "menu.items[0]"),
    ],
)
def test_malformed_main_menu_error_names_file_and_key(tmp_path, broken, key):
    write(tmp_path, main=broken, x=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert info.value.path == str(tmp_path / "main.toml")
    assert info.value.key == key
    assert str(tmp_path / "main.toml") in str(info.value)


def test_menu_error_is_a_config_error_and_a_value_error(tmp_path):
    write(tmp_path, main=MAIN.replace("menu:x", "menu:y"), x=X)
    with pytest.raises(ConfigError):
        load_menus(tmp_path)
    with pytest.raises(ValueError):
        load_menus(tmp_path)


def test_bad_menu_id_is_refused(tmp_path):
    write(tmp_path, main=MAIN, x=X.replace('id = "x"', 'id = "X menu"'))
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "x.toml"), "menu.id")


def test_duplicate_menu_ids_name_the_second_file(tmp_path):
    write(tmp_path, main=MAIN, x=X, y=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "y.toml"), "menu.id")
    assert "x.toml" in str(info.value)


def test_menu_loop_is_refused_at_the_link_that_closes_it(tmp_path):
    looped = X + '\n[[menu.items]]\nlabel = "返回"\nlabel_en = "Back"\naction = "menu:main"\n'
    write(tmp_path, main=MAIN, x=looped)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "x.toml"), "menu.items[1].action")
    assert "loop" in str(info.value)


def test_missing_root_menu_names_the_directory(tmp_path):
    write(tmp_path, x=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path), "menu.id")


def test_empty_or_missing_directory_is_an_error(tmp_path):
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert info.value.path == str(tmp_path)
    with pytest.raises(MenuError):
        load_menus(tmp_path / "nowhere")


def test_non_utf8_file_is_an_error(tmp_path):
    write(tmp_path, main=MAIN, x=X)
    (tmp_path / "x.toml").write_bytes(X.encode("gb18030"))
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "x.toml"), "<toml>")


def test_builtin_names_can_be_extended_by_the_caller():
    text = MAIN.replace("builtin:sale", "builtin:reprint")
    menu = parse_menu(text, path="main.toml", builtins={"reprint"})
    assert menu.items[0].target == "reprint"


def test_menu_flow_runs_a_builtin_and_comes_back_to_the_menu():
    menus = load_menus(SHIPPED)
    run = run_flow(
        menu_flow(menus, CTX),
        [
            expect(Select, keyed("1")),
            expect(Display, ok()),
            expect(Online, reply(batch=1)),
            expect(Display, ok()),
            expect(Select, keyed("CANCEL")),
        ],
    )
    assert run.done
    assert Online(request=SignOnRequest()) in run.history
    main = run.of_type(Select)[0]
    assert main.title == "主菜单"
    assert [label for _, label in main.items] == ["签到", "消费", "X菜单"]
    assert not main.submenu


def test_menu_flow_enters_the_x_menu_and_cancel_goes_back_one_level():
    menus = load_menus(SHIPPED)
    run = run_flow(
        menu_flow(menus, CTX),
        [
            keyed("3"),
            expect(Select, keyed("1")),
            expect(Input, step_result(ResultCode.CANCELLED)),
            expect(Select, keyed("CANCEL")),
            expect(Select, keyed("2")),
            expect(Online, reply(Outcome.APPROVED)),
            expect(AmountStep, keyed("CANCEL")),
            expect(Select, keyed("CANCEL")),
        ],
    )
    assert run.done
    x_menu = run.of_type(Select)[1]
    assert (x_menu.title, x_menu.submenu) == ("X菜单", True)
    assert [label for _, label in x_menu.items] == ["订单验证"]


def test_menu_timeout_in_a_submenu_closes_the_whole_menu():
    menus = load_menus(SHIPPED)
    run = run_flow(menu_flow(menus, CTX), [keyed("3"), step_result(ResultCode.TIMEOUT)])
    assert run.done


def test_menu_flow_in_english():
    ctx = FlowContext(merchant_name="Shop", tid="12345678", mid="123456789012345", lang="en")
    run = run_flow(menu_flow(load_menus(SHIPPED), ctx), [])
    main = run.expect(Select)
    assert main.title == "Main menu"
    assert [label for _, label in main.items] == ["Sign on", "Sale", "X menu"]


def test_menu_flow_ignores_an_unknown_item_id_and_asks_again():
    run = run_flow(menu_flow(load_menus(SHIPPED), CTX), [ok("99")])
    assert len(run.of_type(Select)) == 2
