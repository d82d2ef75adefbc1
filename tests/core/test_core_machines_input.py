from xpos.core.events import Beep, CardError, CardPresented
from xpos.core.steps import Input, InputField, InputResult, ResultCode
from xpos.core.testing import MachineDriver
from xpos.model import CardData, CardSource

CODE = InputField(label="券号", max_len=32, kind="alnum")
TWO = (InputField(label="卡号", min_len=4, max_len=6), InputField(label="密码", hidden=True))
SCAN = CardData(source=CardSource.SCAN, code="QR-8842-1177")
SWIPE = CardData(source=CardSource.SWIPE, pan="6212345678901234567", expiry="3012")


def two_fields(**kw):
    return MachineDriver(Input(prompt="请输入", fields=TWO, **kw))


def test_digits_append_and_hash_ends_the_last_field():
    drv = MachineDriver(Input(prompt="请输入券号", fields=(CODE,)))
    drv.press("1", "2", "3")
    assert drv.screen[:3] == ("请输入券号", "券号", "123_")
    drv.press("#")
    assert drv.result == InputResult(code=ResultCode.OK, values=("123",))


def test_hash_moves_to_the_next_field_then_finishes_with_all_values():
    drv = two_fields()
    drv.press("1", "2", "3", "4", "#")
    assert drv.result is None
    assert drv.screen[2:5] == ("1234", "密码", "_")
    drv.press("9", "ENTER")
    assert drv.result == InputResult(code=ResultCode.OK, values=("1234", "9"))


def test_hidden_field_shows_stars_only():
    drv = two_fields()
    drv.press("1", "2", "3", "4", "#", "5", "6")
    assert drv.screen[4] == "**_"
    assert "56" not in "".join(drv.screen)


def test_star_deletes_then_goes_back_to_the_previous_field():
    drv = two_fields()
    drv.press("1", "2", "3", "4", "#", "7", "*")
    assert drv.screen[4] == "_"
    drv.press("*")
    assert drv.screen[2] == "1234_"
    drv.press("*", "5", "#", "8", "#")
    assert drv.result == InputResult(code=ResultCode.OK, values=("1235", "8"))


def test_star_on_the_first_empty_field_beeps_and_stays():
    drv = two_fields()
    assert drv.press("*")[0] == Beep(kind="error")
    assert drv.result is None


def test_clear_empties_the_current_field():
    drv = two_fields()
    drv.press("1", "2", "CLEAR")
    assert drv.screen[2] == "_"


def test_hash_on_a_too_short_field_is_refused_with_a_notice():
    drv = two_fields()
    effects = drv.press("1", "2", "#")
    assert Beep(kind="error") in effects
    assert drv.screen[-1] == "长度不足"
    assert drv.result is None
    drv.press("3")
    assert drv.screen[-1] == ""


def test_digits_beyond_max_len_are_refused():
    drv = two_fields()
    drv.press(*"123456")
    assert drv.press("7")[0] == Beep(kind="error")
    assert drv.screen[2] == "123456_"


def test_cancel_ends_cancelled():
    drv = two_fields()
    drv.press("1", "CANCEL")
    assert drv.result == InputResult(code=ResultCode.CANCELLED)


def test_allowed_scan_ends_ok_with_the_card():
    drv = MachineDriver(
        Input(prompt="请输入券号/扫码", fields=(CODE,), sources=frozenset({CardSource.SCAN}))
    )
    assert drv.sources == frozenset({CardSource.SCAN})
    drv.send(CardPresented(card=SCAN, now=1.0))
    assert drv.result == InputResult(code=ResultCode.OK, values=("",), card=SCAN)
    assert drv.sources == frozenset()


def test_card_from_a_source_not_allowed_is_ignored_with_a_beep():
    drv = MachineDriver(Input(prompt="p", fields=(CODE,), sources=frozenset({CardSource.SCAN})))
    assert drv.send(CardPresented(card=SWIPE, now=1.0)) == [Beep(kind="error")]
    assert drv.result is None


def test_failed_read_shows_a_notice_and_keeps_typed_text():
    drv = MachineDriver(Input(prompt="p", fields=(CODE,), sources=frozenset({CardSource.SWIPE})))
    drv.press("4", "2")
    drv.send(CardError(message="bad swipe", now=1.0))
    assert drv.screen[2] == "42_"
    assert drv.screen[-1] == "读卡失败 请重试"


def test_idle_timeout_restarts_on_every_key():
    drv = MachineDriver(Input(prompt="p", fields=(CODE,), timeout_s=60.0))
    drv.advance(50.0)
    drv.press("1")
    assert drv.deadline == 110.0
    drv.advance(50.0)
    assert drv.result is None
    drv.advance(10.0)
    assert drv.result == InputResult(code=ResultCode.TIMEOUT)


def test_long_alnum_value_shows_its_end():
    drv = MachineDriver(Input(prompt="p", fields=(CODE,)))
    drv.press(*"1234567890123456789012345")
    assert drv.screen[2] == "789012345678901234" + "5_"


def test_min_len_above_max_len_is_not_understood():
    bad = InputField(label="x", min_len=5, max_len=4)
    assert MachineDriver(Input(prompt="p", fields=(bad,))).result == InputResult(
        code=ResultCode.NOT_UNDERSTOOD
    )


def test_unknown_field_kind_is_not_understood():
    bad = InputField(label="x", kind="letters")
    assert MachineDriver(Input(prompt="p", fields=(bad,))).result == InputResult(
        code=ResultCode.NOT_UNDERSTOOD
    )


def test_optional_field_may_be_left_empty():
    optional = InputField(label="备注", min_len=0)
    drv = MachineDriver(Input(prompt="p", fields=(optional,)))
    drv.press("#")
    assert drv.result == InputResult(code=ResultCode.OK, values=("",))


def test_screen_scrolls_to_keep_the_current_field_visible():
    fields = tuple(InputField(label=f"字段{n}", min_len=0) for n in range(5))
    drv = MachineDriver(Input(prompt="p", fields=fields))
    drv.press("#", "#", "#", "9")
    assert "字段3" in drv.screen
    assert "9_" in drv.screen
    assert "字段0" not in drv.screen
