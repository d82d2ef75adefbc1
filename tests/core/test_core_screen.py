from xpos.core.screen import COLS, ROWS, center, fit, right, tail, text_width, truncate


def test_cjk_characters_take_two_columns():
    assert text_width("交易成功") == 8
    assert text_width("MAC校验错") == 9
    assert text_width("￥12.34") == 7


def test_truncate_never_splits_a_wide_character():
    assert truncate("一二三四五六七八九十一", 20) == "一二三四五六七八九十"
    assert truncate("a一二三四五六七八九十", 20) == "a一二三四五六七八九"
    assert text_width(truncate("a一二三四五六七八九十", 20)) == 19


def test_tail_keeps_the_end_of_long_text():
    assert tail("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 20) == "GHIJKLMNOPQRSTUVWXYZ"
    assert tail("short", 20) == "short"


def test_fit_limits_rows_and_columns():
    lines = fit(["x" * 30, "二" * 15, *[str(n) for n in range(10)]])
    assert len(lines) == ROWS
    assert lines[0] == "x" * COLS
    assert lines[1] == "二" * 10
    assert all(text_width(line) <= COLS for line in lines)


def test_fit_splits_embedded_newlines_and_drops_control_characters():
    assert fit(["交易超时\n将自动冲正", "a\x1b[2Jb"]) == ("交易超时", "将自动冲正", "a[2Jb")


def test_center_and_right_pad_by_display_width():
    assert center("签到") == " " * 8 + "签到"
    assert right("12.34") == " " * 15 + "12.34"
