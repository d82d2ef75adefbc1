import pytest

from xpos.core.events import Beep
from xpos.core.steps import Confirm, ConfirmResult, ResultCode, Select, SelectResult
from xpos.core.testing import MachineDriver

MAIN = (("sign_on", "签到"), ("sale", "消费"), ("x", "X菜单"))
MANY = tuple((f"id{n}", f"项目{n}") for n in range(1, 10))


def test_select_shows_the_title_and_numbered_items():
    drv = MachineDriver(Select(title="主菜单", items=MAIN))
    assert drv.screen == ("主菜单", "1.签到", "2.消费", "3.X菜单")


def test_select_digit_picks_the_item_id():
    drv = MachineDriver(Select(title="主菜单", items=MAIN))
    drv.press("2")
    assert drv.result == SelectResult(code=ResultCode.OK, id="sale", index=1)


@pytest.mark.parametrize("key", ["0", "4", "9"])
def test_select_digit_without_an_item_beeps(key):
    drv = MachineDriver(Select(title="主菜单", items=MAIN))
    assert Beep(kind="error") in drv.press(key)
    assert drv.result is None


def test_select_cancel_at_top_is_cancelled():
    drv = MachineDriver(Select(title="主菜单", items=MAIN))
    drv.press("CANCEL")
    assert drv.result == SelectResult(code=ResultCode.CANCELLED)


def test_select_cancel_in_a_submenu_is_back():
    drv = MachineDriver(Select(title="X菜单", items=MAIN, submenu=True))
    drv.press("CANCEL")
    assert drv.result == SelectResult(code=ResultCode.BACK)


def test_select_pages_when_items_do_not_fit():
    drv = MachineDriver(Select(title="菜单", items=MANY))
    assert drv.screen[0].endswith(" 1/2")
    assert drv.screen[1:] == tuple(f"{n}.项目{n}" for n in range(1, 8))
    drv.press("DOWN")
    assert drv.screen[0].endswith(" 2/2")
    assert drv.screen[1:] == ("1.项目8", "2.项目9")
    drv.press("2")
    assert drv.result == SelectResult(code=ResultCode.OK, id="id9", index=8)


def test_select_paging_stops_at_both_ends():
    drv = MachineDriver(Select(title="菜单", items=MANY))
    assert Beep(kind="error") in drv.press("UP")
    drv.press("DOWN")
    assert Beep(kind="error") in drv.press("DOWN")
    drv.press("UP", "7")
    assert drv.result == SelectResult(code=ResultCode.OK, id="id7", index=6)


def test_select_digit_past_the_last_item_of_the_last_page_beeps():
    drv = MachineDriver(Select(title="菜单", items=MANY))
    drv.press("DOWN")
    assert Beep(kind="error") in drv.press("3")


def test_select_times_out():
    drv = MachineDriver(Select(title="菜单", items=MAIN, timeout_s=30.0))
    drv.advance(30.0)
    assert drv.result == SelectResult(code=ResultCode.TIMEOUT)


@pytest.mark.parametrize(
    ("key", "answer"), [("ENTER", True), ("1", True), ("CANCEL", False), ("2", False)]
)
def test_confirm_answers(key, answer):
    drv = MachineDriver(Confirm(prompt="打印机缺纸\n装纸后按确认键重打"))
    drv.press(key)
    assert drv.result == ConfirmResult(code=ResultCode.OK, yes=answer)


def test_confirm_shows_the_prompt_and_the_answer_keys():
    drv = MachineDriver(Confirm(prompt="打印机缺纸\n装纸后按确认键重打"))
    assert drv.screen[:2] == ("打印机缺纸", "装纸后按确认键重打")
    assert drv.screen[-1] == "1.是  2.否"


def test_confirm_ignores_other_keys():
    drv = MachineDriver(Confirm(prompt="?"))
    drv.press("5", "#", "CLEAR")
    assert drv.result is None


def test_confirm_in_english():
    drv = MachineDriver(Confirm(prompt="Retry?"), lang="en")
    assert drv.screen[-1] == "1.Yes  2.No"
