from datetime import datetime

import pytest

from xpos.core.flows import (
    FlowContext,
    Online,
    Outcome,
    VoucherDetails,
    VoucherQuery,
    VoucherRequest,
    voucher_flow,
)
from xpos.core.steps import Confirm, Display, Input, PrintStep, ResultCode
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.model import CardData, CardSource, TextLine

CTX = FlowContext(merchant_name="蛋糕店", tid="12345678", mid="123456789012345")
SCAN = CardData(source=CardSource.SCAN, code="GB2024CAKE0001")
MEMBER = CardData(source=CardSource.SWIPE, pan="9900112233445566", track2="9900112233445566=4912")
CAKE = VoucherDetails(
    title="生日蛋糕8寸", quantity=0, provider="好利来", code_masked="********5678", units=1
)
"""The redemption's answer: 1 item redeemed, none left."""
FOUND = reply(Outcome.APPROVED, voucher=VoucherDetails(
    title="生日蛋糕8寸", quantity=1, provider="好利来", code_masked="********5678"))
"""The query's answer: 1 item left (nothing to choose: straight to the confirm)."""
FIVE = reply(Outcome.APPROVED, voucher=VoucherDetails(
    title="健身次卡", quantity=5, provider="健身房", code_masked="********2239", value=3000,
    expires="2099-12-31"))
YES = expect(Confirm, ok(yes=True))
APPROVED = reply(
    Outcome.APPROVED,
    stan=7,
    batch=1,
    rrn="240506000007",
    when=datetime(2024, 5, 6, 10, 0, 0),
    voucher=CAKE,
)


def typed(code):
    return ok(values=(code,))


def printed_text(run):
    return "\n".join(
        e.text
        for p in run.of_type(PrintStep)
        for e in p.document.elements
        if isinstance(e, TextLine)
    )


def test_voucher_input_takes_one_alnum_code_or_a_scan_or_a_swipe_or_a_tap():
    run = run_flow(voucher_flow(CTX), [])
    step = run.expect(Input)
    assert step.prompt == "请输入券号/扫码"
    assert step.sources == frozenset({CardSource.SCAN, CardSource.SWIPE, CardSource.TAP})
    assert [(f.kind, f.max_len) for f in step.fields] == [("alnum", 32)]


def test_keyed_code_is_sent_with_method_keyed():
    run = run_flow(voucher_flow(CTX), [keyed("1", "2", "3", "4", "5", "6", "7", "8", "#")])
    assert run.expect(Online).request == VoucherQuery(
        voucher=VoucherRequest(code="12345678", method="keyed"))


def test_scanned_code_is_sent_with_method_scanned():
    run = run_flow(voucher_flow(CTX), [ok(values=("",), card=SCAN), FOUND, YES])
    assert run.expect(Online).request == VoucherRequest(code="GB2024CAKE0001", method="scanned",
                                                        units=1)


def test_member_card_then_order_number_is_sent_with_method_member():
    run = run_flow(
        voucher_flow(CTX),
        [ok(values=("",), card=MEMBER), expect(Input, typed("20240506001")), FOUND, YES],
    )
    assert run.of_type(Input)[1].prompt == "请输入订单号"
    assert run.expect(Online).request == VoucherRequest(
        code="", method="member", order_no="20240506001", member_card=MEMBER, units=1
    )


def test_a_tapped_member_card_then_order_number_is_sent_with_method_member():
    tapped = CardData(source=CardSource.TAP, uid="04A1B2C3")
    run = run_flow(voucher_flow(CTX), [ok(values=("",), card=tapped), typed("20240506001"),
                                       FOUND, YES])
    assert run.of_type(Input)[1].prompt == "请输入订单号"
    assert run.expect(Online).request == VoucherRequest(
        code="", method="member", order_no="20240506001", member_card=tapped, units=1)


def test_a_refusal_shows_the_platforms_words_as_text_only():
    said = "已于2024-05-01使用\x1b@\x07\nused on 2024-05-01" + "很长" * 30
    run = run_flow(voucher_flow(CTX), [typed("99999999"),
                                       reply(Outcome.DECLINED, rc="V1", message=said), ok()])
    # controls dropped, cut to the 20-column display, at most 3 rows of the host's text
    assert run.of_type(Display)[-1].lines == (
        "订单验证", "", "券已使用",
        "已于2024-05-01使用@", "used on 2024-05-01很", "长很长很长很长很长很")


def test_approved_voucher_prints_the_slip_and_shows_the_title():
    run = run_flow(voucher_flow(CTX), [typed("12345678"), FOUND, YES, APPROVED, ok(), ok()])
    assert run.done
    assert [p.document.name for p in run.of_type(PrintStep)] == ["voucher"]
    assert "生日蛋糕8寸" in printed_text(run)
    assert "********5678" in printed_text(run)
    assert "已核销 REDEEMED: 1 份" in printed_text(run).replace("  ", " ")
    final = run.of_type(Display)[-1].lines
    assert "验证成功" in final
    assert "生日蛋糕8寸" in final


def test_member_redemption_slip_masks_the_order_number_when_the_host_sent_no_code():
    no_code = reply(
        Outcome.APPROVED,
        voucher=VoucherDetails(title="洗车券", quantity=0, provider="车行", code_masked="",
                               units=2),
    )
    found = reply(Outcome.APPROVED, voucher=VoucherDetails(title="洗车券", quantity=2,
                                                           provider="车行", code_masked=""))
    run = run_flow(
        voucher_flow(CTX),
        [ok(values=("",), card=MEMBER), typed("20240506001"), found, ok(values=("",)), YES,
         no_code, ok(), ok()],
    )
    assert run.done
    text = printed_text(run)
    assert "*******6001" in text
    assert "20240506001" not in text
    assert MEMBER.pan not in text


@pytest.mark.parametrize(
    ("rc", "text"), [("25", "券号不存在"), ("V1", "券已使用"), ("V2", "券已过期")]
)
def test_refused_voucher_shows_the_reason_and_prints_nothing(rc, text):
    run = run_flow(voucher_flow(CTX), [typed("99999999"), reply(Outcome.DECLINED, rc=rc), ok()])
    assert run.done
    assert run.of_type(PrintStep) == []
    assert text in run.of_type(Display)[-1].lines


@pytest.mark.parametrize("code", [ResultCode.CANCELLED, ResultCode.TIMEOUT])
def test_leaving_the_code_input_ends_the_flow_without_going_online(code):
    run = run_flow(voucher_flow(CTX), [step_result(code)])
    assert run.done
    assert run.of_type(Online) == []


def test_cancel_at_the_order_number_ends_the_flow_without_going_online():
    run = run_flow(
        voucher_flow(CTX),
        [ok(values=("",), card=MEMBER), step_result(ResultCode.CANCELLED)],
    )
    assert run.done
    assert run.of_type(Online) == []


def test_empty_scan_is_a_failed_read():
    empty = CardData(source=CardSource.SCAN, code="")
    run = run_flow(voucher_flow(CTX), [ok(values=("",), card=empty), ok()])
    assert run.done
    assert "读卡失败" in run.of_type(Display)[0].lines


def test_approval_without_details_still_says_verified():
    run = run_flow(voucher_flow(CTX), [typed("12345678"), FOUND, YES, reply(Outcome.APPROVED),
                                       ok()])
    assert run.done
    assert run.of_type(PrintStep) == []
    assert "验证成功" in run.of_type(Display)[-1].lines


# -- prepare → confirm → redeem N of M (issue 11) --------------------------------------


def test_the_query_shows_title_items_left_value_and_validity_then_asks_how_many():
    run = run_flow(voucher_flow(CTX), [typed("883300112239"), FIVE])
    step = run.expect(Input)
    assert step.prompt.split("\n") == ["健身次卡", "剩余 5 份", "单价: 30.00"]
    assert [(f.min_len, f.kind) for f in step.fields] == [(0, "digits")]


def test_n_of_m_is_confirmed_then_redeemed_and_the_slip_says_n_and_what_is_left():
    done = reply(Outcome.APPROVED, stan=3, batch=1, rrn="261129000003",
                 voucher=VoucherDetails(title="健身次卡", quantity=3, provider="健身房",
                                        code_masked="********2239", units=2, value=3000))
    run = run_flow(voucher_flow(CTX), [typed("883300112239"), FIVE, keyed("2", "#"),
                                       expect(Confirm, ok(yes=True)), done, ok(), ok()])
    assert run.done
    assert "确认核销 2 份?" in run.of_type(Confirm)[0].prompt
    assert "有效期至 2099-12-31" in run.of_type(Confirm)[0].prompt
    assert run.of_type(Online)[1].request == VoucherRequest(code="883300112239",
                                                            method="keyed", units=2)
    text = printed_text(run)
    assert "2 份" in text and "3 份" in text and "883300112239" not in text
    assert run.of_type(Display)[-1].lines[-2:] == ("已核销 2 份", "剩余 3 份")


def test_enter_alone_redeems_every_item_left():
    run = run_flow(voucher_flow(CTX), [typed("883300112239"), FIVE, keyed("#")])
    assert "确认核销 5 份?" in run.expect(Confirm).prompt


@pytest.mark.parametrize("units", ["0", "6"])
def test_zero_or_more_than_left_is_refused_here_and_asked_again(units):
    run = run_flow(voucher_flow(CTX), [typed("883300112239"), FIVE, keyed(*units, "#"), ok()])
    assert "份数须为1至5" in run.of_type(Display)[-1].lines
    run.expect(Input)
    assert len(run.of_type(Online)) == 1


def test_cancel_at_the_confirm_redeems_nothing():
    run = run_flow(voucher_flow(CTX), [typed("883300112239"), FIVE, keyed("#"),
                                       expect(Confirm, ok(yes=False)), ok()])
    assert run.done
    assert len(run.of_type(Online)) == 1
    assert "交易已取消" in run.of_type(Display)[-1].lines


def test_a_refused_query_shows_why_and_redeems_nothing():
    run = run_flow(voucher_flow(CTX), [typed("883300112240"),
                                       reply(Outcome.DECLINED, rc="V3",
                                             message="2099-12-24起可用"), ok()])
    assert run.done
    assert len(run.of_type(Online)) == 1
    assert run.of_type(Display)[-1].lines[2:] == ("券未到使用日期", "2099-12-24起可用")
