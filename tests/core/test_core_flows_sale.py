from datetime import datetime

import pytest

from xpos.core.flows import FlowContext, Notice, Online, Outcome, SaleRequest, sale_flow
from xpos.core.steps import (
    AmountStep,
    Confirm,
    Display,
    PinStep,
    PrintStep,
    ReadCard,
    ResultCode,
)
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.model import CardData, CardSource, QrCode, TextLine

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")
PAN = "6212345678901234567"
TRACK2 = PAN + "=30121010000012300000"
CARD = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012", track2=TRACK2)
BLOCK = bytes.fromhex("1A2B3C4D5E6F7081")
WHEN = datetime(2024, 5, 6, 14, 30, 15)
APPROVED = reply(
    Outcome.APPROVED,
    stan=42,
    batch=3,
    auth_code="A12345",
    rrn="240506123456",
    when=WHEN,
    masked_pan="621234*********4567",
    amount=1234,
)


READY = expect(Online, reply(Outcome.APPROVED))


def sales_sent(run):
    return [o for o in run.of_type(Online) if isinstance(o.request, SaleRequest)]


def until_online():
    return [
        READY,
        expect(AmountStep, ok(amount=1234)),
        expect(ReadCard, ok(card=CARD)),
        expect(PinStep, ok(block=BLOCK)),
    ]


def texts(run):
    shown = [line for d in run.of_type(Display) for line in d.lines]
    printed = [
        e.text if isinstance(e, TextLine) else e.data
        for p in run.of_type(PrintStep)
        for e in p.document.elements
        if isinstance(e, TextLine | QrCode)
    ]
    return "\n".join(shown + printed)


def test_approved_sale_prints_merchant_then_customer_copy_then_shows_success():
    run = run_flow(
        sale_flow(CTX),
        [*until_online(), expect(Online, APPROVED), ok(), ok(), expect(Display, ok())],
    )
    assert run.done
    names = [p.document.name for p in run.of_type(PrintStep)]
    assert names == ["sale-merchant", "sale-customer"]
    assert "交易成功" in run.of_type(Display)[-1].lines
    assert "￥12.34" in texts(run)


def test_sale_request_carries_amount_card_and_pin_block():
    run = run_flow(sale_flow(CTX), until_online())
    request = run.expect(Online).request
    assert request == SaleRequest(amount=1234, card=CARD, pin_block=BLOCK)


def test_sale_request_repr_hides_pin_block_and_track():
    request = SaleRequest(amount=1234, card=CARD, pin_block=BLOCK)
    assert BLOCK.hex() not in repr(request).lower()
    assert "=3012" not in repr(request)


def test_sale_asks_for_a_swipe_and_a_pin_for_the_keyed_amount():
    run = run_flow(sale_flow(CTX), until_online())
    read = run.of_type(ReadCard)[0]
    assert read.sources == frozenset({CardSource.SWIPE})
    assert "12.34" in read.prompt
    assert run.of_type(PinStep)[0] == PinStep(pan=PAN, amount=1234)


def test_full_pan_and_track_never_reach_screens_or_slips():
    run = run_flow(sale_flow(CTX), [*until_online(), APPROVED, ok(), ok(), ok()])
    everything = texts(run)
    assert PAN not in everything
    assert TRACK2 not in everything
    assert "621234*********4567" in everything


def test_bypassed_pin_sends_no_pin_block():
    run = run_flow(sale_flow(CTX), [READY, ok(amount=1234), ok(card=CARD), ok(block=None)])
    assert run.expect(Online).request.pin_block is None


@pytest.mark.parametrize(
    ("rc", "text"),
    [
        ("51", "余额不足"),
        ("55", "密码错误"),
        ("14", "无效卡号"),
        ("54", "卡已过期"),
        ("75", "密码错误次数超限"),
        ("96", "系统故障"),
        ("Q7", "交易失败(Q7)"),
    ],
)
def test_declined_sale_shows_the_reason_and_prints_nothing(rc, text):
    run = run_flow(sale_flow(CTX), [*until_online(), reply(Outcome.DECLINED, rc=rc), ok()])
    assert run.done
    assert run.of_type(PrintStep) == []
    assert text in run.of_type(Display)[-1].lines


@pytest.mark.parametrize(
    ("outcome", "notice", "text"),
    [
        (Outcome.NO_RESPONSE, None, "交易超时 将自动冲正"),
        (Outcome.UNREACHABLE, None, "连接主机失败"),
        (Outcome.BAD_MAC, None, "MAC校验错 将自动冲正"),
        (Outcome.REJECTED, None, "应答报文错误"),
        (Outcome.NOT_SIGNED_ON, None, "请先签到"),
        (Outcome.ERROR, None, "交易失败"),
        (Outcome.NO_RESPONSE, Notice.REVERSAL_PENDING, "冲正未完成"),
        (Outcome.ERROR, Notice.REVERSAL_FAILED, "冲正不成功"),
    ],
)
def test_failed_sale_shows_what_happened_and_prints_nothing(outcome, notice, text):
    run = run_flow(sale_flow(CTX), [*until_online(), reply(outcome, notice=notice), ok()])
    assert run.done
    assert run.of_type(PrintStep) == []
    assert text in run.of_type(Display)[-1].lines


def test_paper_out_asks_to_reload_and_retries_the_same_copy():
    run = run_flow(
        sale_flow(CTX),
        [
            *until_online(),
            APPROVED,
            expect(PrintStep, step_result(ResultCode.UNABLE)),
            expect(Confirm, ok(yes=True)),
            expect(PrintStep, ok()),
            expect(PrintStep, ok()),
            expect(Display, ok()),
        ],
    )
    assert run.done
    assert "打印机缺纸" in run.of_type(Confirm)[0].prompt
    names = [p.document.name for p in run.of_type(PrintStep)]
    assert names == ["sale-merchant", "sale-merchant", "sale-customer"]


def test_printer_offline_asks_to_reconnect_not_to_load_paper():
    run = run_flow(
        sale_flow(CTX),
        [
            *until_online(),
            APPROVED,
            expect(PrintStep, step_result(ResultCode.UNABLE, offline=True)),
            expect(Confirm, ok(yes=True)),
            expect(PrintStep, ok()),
            expect(PrintStep, ok()),
            expect(Display, ok()),
        ],
    )
    prompt = run.of_type(Confirm)[0].prompt
    assert "打印机未连接" in prompt and "接好后按确认键重打" in prompt
    assert "缺纸" not in prompt
    names = [p.document.name for p in run.of_type(PrintStep)]
    assert names == ["sale-merchant", "sale-merchant", "sale-customer"]


def test_paper_out_given_up_skips_printing_but_the_sale_stands():
    run = run_flow(
        sale_flow(CTX),
        [*until_online(), APPROVED, step_result(ResultCode.UNABLE), keyed("CANCEL"), ok()],
    )
    assert run.done
    assert len(run.of_type(PrintStep)) == 1
    assert "交易成功" in run.of_type(Display)[-1].lines


def test_printer_failure_other_than_paper_is_reported_and_the_sale_stands():
    run = run_flow(
        sale_flow(CTX),
        [*until_online(), APPROVED, step_result(ResultCode.BEYOND_CAPABILITY), ok(), ok()],
    )
    assert run.done
    displays = run.of_type(Display)
    assert "打印失败" in displays[0].lines
    assert "交易成功" in displays[-1].lines


def test_unmasked_pan_from_the_runtime_is_never_printed():
    short = CardData(source=CardSource.SWIPE, pan="1234", expiry="3012", track2="1234=3012")
    run = run_flow(
        sale_flow(CTX),
        [READY, ok(amount=500), ok(card=short), ok(block=None),
         reply(Outcome.APPROVED, masked_pan="1234"), ok(), ok()],
    )
    assert run.done
    assert run.of_type(PrintStep) == []
    assert "打印失败" in run.of_type(Display)[0].lines


@pytest.mark.parametrize("code", [ResultCode.CANCELLED, ResultCode.TIMEOUT])
def test_amount_not_entered_ends_the_flow_quietly(code):
    run = run_flow(sale_flow(CTX), [READY, step_result(code)])
    assert run.done
    assert sales_sent(run) == []


def test_card_read_timeout_says_so_and_goes_no_further():
    run = run_flow(sale_flow(CTX), [READY, ok(amount=1234), step_result(ResultCode.TIMEOUT), ok()])
    assert run.done
    assert "读卡超时" in run.of_type(Display)[0].lines
    assert sales_sent(run) == []


def test_card_without_pan_is_a_failed_read():
    scanned = CardData(source=CardSource.SWIPE, pan="")
    run = run_flow(sale_flow(CTX), [READY, ok(amount=1234), ok(card=scanned), ok()])
    assert "读卡失败" in run.of_type(Display)[0].lines
    assert run.of_type(PinStep) == []


def test_pin_cancelled_cancels_the_sale():
    run = run_flow(
        sale_flow(CTX),
        [READY, ok(amount=1234), ok(card=CARD), step_result(ResultCode.CANCELLED), ok()],
    )
    assert run.done
    assert "交易已取消" in run.of_type(Display)[0].lines
    assert sales_sent(run) == []


def test_sale_with_real_step_machines_from_keys():
    run = run_flow(
        sale_flow(CTX),
        [READY, keyed("1", "2", "3", "4", "ENTER"), ok(card=CARD), ok(block=BLOCK)],
    )
    assert run.expect(Online).request.amount == 1234


def test_sale_texts_follow_the_context_language():
    ctx = FlowContext(merchant_name="Shop", tid="12345678", mid="123456789012345", lang="en")
    run = run_flow(sale_flow(ctx), [*until_online(), reply(Outcome.DECLINED, rc="51"), ok()])
    assert run.of_type(AmountStep)[0].prompt == "Enter amount"
    assert "Insufficient funds" in run.of_type(Display)[-1].lines


def test_sale_when_not_signed_on_says_so_before_taking_a_card():
    run = run_flow(sale_flow(CTX), [reply(Outcome.NOT_SIGNED_ON), ok()])
    assert run.done
    assert run.of_type(AmountStep) == [] and run.of_type(ReadCard) == []
    assert "请先签到" in texts(run)
