import ast
import re
from pathlib import Path

import pytest

import xpos.core
from xpos.core.i18n import CATALOGUE, t
from xpos.core.responses import RESPONSE_MESSAGES, response_message
from xpos.core.screen import COLS, text_width

CORE = Path(xpos.core.__file__).parent


KEY_LIKE = re.compile(r"[a-z_]+\.[a-z_]+")


def catalogue_keys_used_in_core():
    namespaces = {key.split(".")[0] for key in CATALOGUE}
    keys = set()
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and KEY_LIKE.fullmatch(text):
                keys.add(text)
    return {key for key in keys if key.split(".")[0] in namespaces}


def rows(text):
    return text.format(batch=999999, amount="999999.99", quantity=99, page=9, pages=9,
                       count=9999, label="Voucher", stan=999999,
                       date="2026/12/31", code="999999", rc="A0").split("\n")


def test_every_catalogue_key_used_in_the_core_exists():
    used = catalogue_keys_used_in_core()
    assert "sale.amount" in used
    assert sorted(used - CATALOGUE.keys()) == []


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_fits_a_display_row_in_both_languages(key):
    for text in CATALOGUE[key]:
        assert all(text_width(row) <= COLS for row in rows(text)), text


def test_t_defaults_to_chinese_and_fills_placeholders():
    assert t("sale.amount") == "请输入金额"
    assert t("sale.amount", "en") == "Enter amount"
    assert t("sign_on.batch", "zh", batch=12) == "批次号: 000012"


def test_t_unknown_language_falls_back_to_chinese_and_unknown_key_to_itself():
    assert t("sale.amount", "fr") == "请输入金额"
    assert t("no.such.key") == "no.such.key"


@pytest.mark.parametrize(
    ("rc", "text"),
    [
        ("00", "交易成功"),
        ("14", "无效卡号"),
        ("51", "余额不足"),
        ("54", "卡已过期"),
        ("55", "密码错误"),
        ("75", "密码错误次数超限"),
        ("96", "系统故障"),
        ("25", "券号不存在"),
        ("V1", "券已使用"),
        ("V2", "券已过期"),
        ("A0", "MAC校验错"),
    ],
)
def test_response_codes_in_chinese(rc, text):
    assert response_message(rc) == text


def test_unknown_response_code_shows_the_code():
    assert response_message("Z9") == "交易失败(Z9)"
    assert response_message("Z9", "en") == "Declined (Z9)"
    assert response_message(None) == "交易失败"
    assert response_message("a0") == "MAC校验错"


def test_unknown_response_code_shows_no_control_characters():
    assert response_message("\x1b[") == "交易失败()"


@pytest.mark.parametrize("rc", sorted(RESPONSE_MESSAGES))
def test_every_response_message_fits_a_display_row(rc):
    for text in RESPONSE_MESSAGES[rc]:
        assert all(text_width(row) <= COLS for row in text.split("\n")), text
