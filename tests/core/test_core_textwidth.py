from pathlib import Path

import pytest

from xpos.model.textwidth import char_width, fit_width, ljust_width, text_width

ROOT = Path(__file__).resolve().parents[2]
# The demo still carries its own copy until it imports ljust_width (other owner's file).
NOT_YET_SWITCHED: set[str] = set()


@pytest.mark.parametrize(
    ("char", "width"),
    [("A", 1), ("1", 1), ("消", 2), ("￥", 2), ("Ａ", 2), ("¥", 1), ("\u0301", 0), ("ｱ", 1)],
)
def test_char_width(char: str, width: int) -> None:
    assert char_width(char) == width


def test_text_width_sums_character_widths() -> None:
    assert text_width("消费 SALE") == 9
    assert text_width("e\u0301") == 1
    assert text_width("") == 0


@pytest.mark.parametrize(
    ("text", "cols", "fitted"),
    [("签购单 POS", 5, "签购"), ("签购单 POS", 6, "签购单"), ("ABC", 10, "ABC"), ("一二", 1, ""),
     ("ABC", 0, "")],
)
def test_fit_width_never_splits_a_wide_character(text: str, cols: int, fitted: str) -> None:
    assert fit_width(text, cols) == fitted
    assert text_width(fit_width(text, cols)) <= cols


def test_ljust_width_pads_by_columns_and_never_truncates() -> None:
    assert ljust_width("签到", 6) == "签到  "
    assert ljust_width("AB", 4) == "AB  "
    assert ljust_width("签到签到", 4) == "签到签到"


def test_east_asian_width_is_consulted_in_one_module_only() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "xpos").rglob("*.py")
        if "east_asian_width" in path.read_text(encoding="utf-8")
    }
    assert users - NOT_YET_SWITCHED == {"xpos/model/textwidth.py"}
