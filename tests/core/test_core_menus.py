import pytest

from xpos.core.flows import FlowContext, Online, Outcome, SignOnRequest
from xpos.core.menus import MenuSet, menu_flow, parse_menu, parse_menus
from xpos.core.steps import AmountStep, Display, Input, ResultCode, Select
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.errors import ConfigError, MenuError

from .menu_samples import MAIN, SHIPPED, X

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")


def texts(**files: str) -> dict[str, str]:
    """Menu texts keyed as the folder reader keys them: ``menus/<name>.toml``."""
    return {f"menus/{name}.toml": text for name, text in files.items()}


def shipped() -> MenuSet:
    """The shipped menus, parsed from their text (the test reads the files, not the core)."""
    files = sorted(SHIPPED.glob("*.toml"))
    return parse_menus({f.name: f.read_text(encoding="utf-8") for f in files})


def test_shipped_menus_parse():
    menus = shipped()
    assert menus.versions == {"main": 1, "preauth": 1, "print": 1, "x": 1}
    assert [item.action for item in menus["main"].items] == [
        "builtin:sign_on",
        "builtin:sale",
        "menu:x",
        "menu:print",
        "builtin:void",
        "menu:preauth",
        "builtin:settle",
        "builtin:refund",
        "builtin:balance",
    ]
    assert [item.action for item in menus["preauth"].items] == [
        "builtin:preauth", "builtin:preauth_void", "builtin:completion",
        "builtin:completion_void",
    ]
    assert [item.action for item in menus["print"].items] == [
        "builtin:reprint_last",
        "builtin:reprint_trace",
        "builtin:totals",
        "builtin:settle_reprint",
    ]
    assert [item.action for item in menus["x"].items] == [
        "builtin:voucher_verify", "service:menu", "builtin:order_pay", "builtin:x_records",
        "builtin:x_totals", "builtin:voucher_void"]


def test_valid_menus_parse_with_titles_and_versions():
    menus = parse_menus(texts(main=MAIN, x=X))
    assert menus.root == "main"
    assert menus["x"].version == 2
    assert menus["main"].title_in("en") == "Main menu"
    assert menus["main"].items[1].kind == "menu"
    assert menus["main"].items[1].target == "x"
    assert menus["x"].path == "menus/x.toml"


def test_parse_menus_does_not_depend_on_the_mapping_order():
    forward = parse_menus(texts(main=MAIN, x=X))
    backward = parse_menus(dict(reversed(texts(main=MAIN, x=X).items())))
    assert forward == backward


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
        (MAIN.replace("builtin:sale", "builtin:no_such_flow"), "menu.items[0].action"),
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
def test_malformed_main_menu_error_names_file_and_key(broken, key):
    with pytest.raises(MenuError) as info:
        parse_menus(texts(main=broken, x=X))
    assert info.value.path == "menus/main.toml"
    assert info.value.key == key
    assert str(info.value).startswith(f"menus/main.toml: {key}: ")


def test_menu_error_is_a_config_error_and_a_value_error():
    broken = texts(main=MAIN.replace("menu:x", "menu:y"), x=X)
    with pytest.raises(ConfigError):
        parse_menus(broken)
    with pytest.raises(ValueError):
        parse_menus(broken)


def test_bad_menu_id_is_refused():
    with pytest.raises(MenuError) as info:
        parse_menus(texts(main=MAIN, x=X.replace('id = "x"', 'id = "X menu"')))
    assert (info.value.path, info.value.key) == ("menus/x.toml", "menu.id")


def test_duplicate_menu_ids_name_the_second_file():
    with pytest.raises(MenuError) as info:
        parse_menus(texts(main=MAIN, y=X, x=X))
    assert (info.value.path, info.value.key) == ("menus/y.toml", "menu.id")
    assert "menus/x.toml" in str(info.value)


def test_menu_loop_is_refused_at_the_link_that_closes_it():
    looped = X + '\n[[menu.items]]\nlabel = "返回"\nlabel_en = "Back"\naction = "menu:main"\n'
    with pytest.raises(MenuError) as info:
        parse_menus(texts(main=MAIN, x=looped))
    assert (info.value.path, info.value.key) == ("menus/x.toml", "menu.items[1].action")
    assert "loop" in str(info.value)


def test_missing_root_menu_names_the_origin():
    with pytest.raises(MenuError) as info:
        parse_menus(texts(x=X), origin="bundle-7")
    assert (info.value.path, info.value.key) == ("bundle-7", "menu.id")


def test_no_menus_at_all_is_an_error_naming_the_origin():
    with pytest.raises(MenuError) as info:
        parse_menus({}, origin="bundle-7")
    assert (info.value.path, info.value.key) == ("bundle-7", "menu")


def test_builtin_names_can_be_extended_by_the_caller():
    text = MAIN.replace("builtin:sale", "builtin:reprint")
    menu = parse_menu(text, path="main.toml", builtins={"reprint"})
    assert menu.items[0].target == "reprint"


def test_menu_flow_runs_a_builtin_and_comes_back_to_the_menu():
    menus = shipped()
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
    assert [label for _, label in main.items] == ["签到", "消费", "X菜单", "打印", "撤销",
                                                 "预授权", "结算", "退货", "查余额"]
    assert not main.submenu


def test_menu_flow_enters_the_x_menu_and_cancel_goes_back_one_level():
    menus = shipped()
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
    assert [label for _, label in x_menu.items] == [
        "订单验证", "互动业务", "订单支付", "X交易查询", "X交易汇总", "核销撤销"]


def test_menu_timeout_in_a_submenu_closes_the_whole_menu():
    menus = shipped()
    run = run_flow(menu_flow(menus, CTX), [keyed("3"), step_result(ResultCode.TIMEOUT)])
    assert run.done


def test_menu_flow_in_english():
    ctx = FlowContext(merchant_name="Shop", tid="12345678", mid="123456789012345", lang="en")
    run = run_flow(menu_flow(shipped(), ctx), [])
    main = run.expect(Select)
    assert main.title == "Main menu"
    assert [label for _, label in main.items] == ["Sign on", "Sale", "X menu", "Print", "Void",
                                                 "Pre-auth", "Settlement", "Refund", "Balance"]


def test_menu_flow_ignores_an_unknown_item_id_and_asks_again():
    run = run_flow(menu_flow(shipped(), CTX), [ok(id="99")])
    assert len(run.of_type(Select)) == 2


def test_a_service_action_names_a_platform_service_and_starts_a_session():
    from xpos.core.flows.remote import SessionOpen

    x_menu = X.replace('action = "builtin:voucher_verify"', 'action = "service:bills"')
    menus = parse_menus(texts(main=MAIN, x=x_menu))
    x_index = next(str(n + 1) for n, item in enumerate(menus["main"].items)
                   if item.action == "menu:x")
    run = run_flow(menu_flow(menus, CTX), [
        keyed(x_index),
        expect(Select, keyed("1")),
        expect(Online, reply(Outcome.DECLINED)),
    ])
    assert run.of_type(Online)[0].request == SessionOpen(service="bills")
    with pytest.raises(MenuError, match="bad service id"):
        parse_menus(texts(main=MAIN, x=X.replace('action = "builtin:voucher_verify"',
                                                 'action = "service:Bad!"')))
    with pytest.raises(MenuError, match="service:<id>"):
        parse_menus(texts(main=MAIN, x=X.replace('action = "builtin:voucher_verify"',
                                                 'action = "remote:bills"')))
