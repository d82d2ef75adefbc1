"""Lists page by the display's geometry: every item reachable by keys, none below the last row."""

import re
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.core.events import Beep
from xpos.core.flows import FlowContext, Outcome, totals_flow
from xpos.core.flows.online import Flow, OnlineReply, XRecord
from xpos.core.flows.x_records import record_rows, x_records_flow
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry, pages, squeeze
from xpos.core.menus import menu_flow
from xpos.core.screen import text_width
from xpos.core.slips import TotalsLine
from xpos.core.steps import (
    Confirm,
    Display,
    Input,
    InputField,
    ReadCard,
    ResultCode,
    Select,
    SelectResult,
)
from xpos.core.testing import FlowDriver, MachineDriver, ok, reply, run_flow
from xpos.model import CardSource

from .test_core_menus import shipped

_ITEM = re.compile(r"^([1-9])\.(.+)$")


def walk(drv: MachineDriver, rows: int) -> list[list[tuple[int, str]]]:
    """Every page of the list, by pressing DOWN until it beeps: (number, label) rows."""
    seen = []
    while True:
        screen = drv.screen
        titled = rows >= 2
        body = screen[1:] if titled else screen
        seen.append([(int(m.group(1)), m.group(2)) for m in map(_ITEM.match, body) if m])
        if Beep(kind="error") in drv.press("DOWN"):
            return seen


def select(count: int) -> Select:
    return Select(title="菜单", items=tuple((f"id{n}", f"项{n}") for n in range(count)))


@settings(max_examples=150, deadline=None)
@given(rows=st.integers(2, 12), count=st.integers(1, 30), cols=st.integers(12, 40))
def test_every_item_on_exactly_one_page_within_the_rows(rows, count, cols):
    geometry = Geometry(rows=rows, cols=cols)
    drv = MachineDriver(select(count), geometry=geometry)
    found = walk(drv, rows)
    labels = [label for page in found for _, label in page]
    assert sorted(labels) == sorted(f"项{n}" for n in range(count))  # each exactly once
    assert len(found) == -(-count // geometry.pick_rows)
    for page in found:
        assert [n for n, _ in page] == list(range(1, len(page) + 1))  # 1..n on every page
        assert len(page) + 1 <= rows  # the title row and the items fit
    assert all(len(s) <= rows and all(text_width(x) <= cols for x in s)
               for s in [e.lines for e in drv.effects if hasattr(e, "lines")])


@settings(max_examples=100, deadline=None)
@given(rows=st.integers(2, 12), count=st.integers(1, 30), data=st.data())
def test_any_item_is_picked_by_its_page_and_number(rows, count, data):
    geometry = Geometry(rows=rows)
    wanted = data.draw(st.integers(0, count - 1))
    drv = MachineDriver(select(count), geometry=geometry)
    for _ in range(wanted // geometry.pick_rows):
        drv.press("DOWN")
    drv.press(str(wanted % geometry.pick_rows + 1))
    assert drv.result == SelectResult(code=ResultCode.OK, id=f"id{wanted}", index=wanted)


def test_a_four_row_display_shows_three_items_a_page():
    drv = MachineDriver(select(7), geometry=Geometry(rows=4))
    assert drv.screen == ("菜单             1/3", "1.项0", "2.项1", "3.项2")
    assert Beep(kind="error") in drv.press("4")  # no fourth row, no fourth item
    drv.press("DOWN", "DOWN")
    assert drv.screen[1:] == ("1.项6",)
    drv.press("1")
    assert drv.result == SelectResult(code=ResultCode.OK, id="id6", index=6)


def test_a_tall_display_still_picks_with_one_digit():
    drv = MachineDriver(select(12), geometry=Geometry(rows=16))
    assert len(drv.screen) == 10 and drv.screen[-1] == "9.项8"
    drv.press("DOWN")
    assert drv.screen[1:] == ("1.项9", "2.项10", "3.项11")


def test_a_one_row_display_shows_one_item_and_no_title():
    drv = MachineDriver(select(3), geometry=Geometry(rows=1))
    assert drv.screen == ("1.项0",)
    drv.press("DOWN", "DOWN", "1")
    assert drv.result == SelectResult(code=ResultCode.OK, id="id2", index=2)


def test_the_page_marker_fits_a_narrow_display():
    drv = MachineDriver(select(9), geometry=Geometry(rows=4, cols=12))
    assert drv.screen[0] == "菜单     1/3"
    assert text_width(drv.screen[0]) == 12


def test_the_default_geometry_keeps_the_eight_by_twenty_layout():
    assert (DEFAULT_GEOMETRY.rows, DEFAULT_GEOMETRY.cols, DEFAULT_GEOMETRY.pick_rows) == (8, 20, 7)


@pytest.mark.parametrize(("rows", "cols"), [(0, 20), (8, 0), (-1, -1)])
def test_a_display_without_room_is_refused(rows, cols):
    with pytest.raises(ValueError, match="geometry"):
        Geometry(rows=rows, cols=cols)


@pytest.mark.parametrize("rows", [4, 8])
def test_every_main_menu_item_is_reachable_by_keys(rows):
    menus = shipped()
    ctx = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345",
                      geometry=Geometry(rows=rows))
    items = menus["main"].items
    for index, item in enumerate(items):
        flow = FlowDriver(menu_flow(menus, ctx))
        step = flow.expect(Select)
        drv = MachineDriver(step, geometry=ctx.geometry)
        page = next(i for i, p in enumerate(walk(drv, rows))
                    if any(label == item.label for _, label in p))
        drv = MachineDriver(step, geometry=ctx.geometry)
        for _ in range(page):
            drv.press("DOWN")
        number = next(n for n, label in walk_one(drv) if label == item.label)
        drv.press(str(number))
        assert drv.result == SelectResult(code=ResultCode.OK, id=str(index), index=index)
        assert all(len(s) <= rows for s in [e.lines for e in drv.effects if hasattr(e, "lines")])


def walk_one(drv: MachineDriver) -> list[tuple[int, str]]:
    """The items of the page on screen."""
    return [(int(m.group(1)), m.group(2)) for m in map(_ITEM.match, drv.screen[1:]) if m]


def test_confirm_puts_its_keys_on_the_last_row_of_a_small_display():
    drv = MachineDriver(Confirm(prompt="打印机缺纸\n装纸后按确认键重打\n第三行\n第四行"),
                        geometry=Geometry(rows=4))
    assert drv.screen[:3] == ("打印机缺纸", "装纸后按确认键重打", "第三行")
    assert drv.screen[3] == MachineDriver(Confirm(prompt="x")).screen[-1]  # the key hint


def test_read_card_keeps_its_notice_and_hint_on_a_small_display():
    drv = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})),
                        geometry=Geometry(rows=4))
    full = MachineDriver(ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})))
    assert drv.screen[0] == "请刷卡" and drv.screen[-1] == full.screen[-1]
    assert len(drv.screen) == 4


def test_input_shows_the_current_field_on_a_small_display():
    step = Input(prompt="退货", fields=(InputField(label="参考号", max_len=12),
                                       InputField(label="日期", max_len=4)))
    drv = MachineDriver(step, geometry=Geometry(rows=4))
    drv.press("1", "ENTER", "0", "5")
    assert drv.screen[:3] == ("退货", "日期", "05_")


def test_pages_cuts_rows_in_order():
    assert pages(list("abcdefg"), 3) == [list("abc"), list("def"), list("g")]
    assert pages([], 3) == []
    assert pages(list("ab"), 0) == [["a"], ["b"]]


def read_pages(flow: Flow, answer: OnlineReply) -> list[Display]:
    """Answer the totals request, then turn every page; the pages shown."""
    run = FlowDriver(flow)
    run.answer(answer)
    while isinstance(run.pending, Display):
        run.answer(ok())
    return run.of_type(Display)


SMALL = FlowContext(merchant_name="蛋糕店", tid="12345678", mid="123456789012345",
                    geometry=Geometry(rows=4))


def test_totals_page_by_the_display_rows():
    lines = (TotalsLine(domain="bank", kind="sale", count=2, amount=350),
             TotalsLine(domain="x", kind="voucher", count=1, amount=0))
    totals = reply(Outcome.APPROVED, batch=3, when=datetime(2026, 11, 28, 23, 0), totals=lines)
    shown = read_pages(totals_flow(SMALL), totals)
    assert all(len(page.lines) <= 3 for page in shown)  # title + 2 rows, the hint row free
    big = read_pages(totals_flow(replace(SMALL, geometry=DEFAULT_GEOMETRY)), totals)
    assert len(big) == 2
    rows = [row for page in big for row in page.lines[1:]]
    assert [row for page in shown for row in page.lines[1:]] == rows  # nothing lost
    assert len(shown) == -(-len(rows) // 2) and shown[0].lines[0].endswith(f"1/{len(shown)}")


def test_an_x_record_taller_than_the_display_goes_on_several_pages():
    record = XRecord(stan=7, kind="voucher", status="approved", amount=0, ref="8833****2236",
                     when=datetime(2026, 11, 28, 12, 0))
    found = reply(Outcome.APPROVED, records=(record,))
    run = run_flow(x_records_flow(SMALL), [ok(id="trace", index=0), ok(values=("7",)), found,
                                           ok(), ok(), ok(), ok(yes=False)])
    pages_shown = [d.lines for d in run.of_type(Display)]
    assert len(pages_shown) == 3 and all(len(p) == 3 or p is pages_shown[-1]
                                         for p in pages_shown)
    assert [row for p in pages_shown for row in p[1:]] == list(record_rows("zh", record))
    assert all(p[0].endswith("1/1") for p in pages_shown)  # still record 1 of 1


def test_squeeze_drops_blank_spacers_only_when_short_of_rows():
    assert squeeze(["查余额", "", "请刷卡"], 3) == ["查余额", "", "请刷卡"]
    assert squeeze(["查余额", "", "请刷卡"], 2) == ["查余额", "请刷卡"]
    assert squeeze(["a", "b", "c"], 2) == ["a", "b"]
