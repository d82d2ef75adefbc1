"""The void flow (pure): supervisor, lookup, original shown, same card, PIN, slips."""

from datetime import datetime

import pytest

from xpos.core.flows import (
    FlowContext,
    Notice,
    Online,
    Outcome,
    SupervisorCheck,
    VoidLookup,
    VoidRequest,
    void_flow,
)
from xpos.core.slips import VoidSlip, void_slip
from xpos.core.steps import (
    AmountStep,
    Confirm,
    Display,
    Input,
    PinStep,
    PrintStep,
    ReadCard,
    ResultCode,
)
from xpos.core.testing import expect, keyed, ok, reply, run_flow, step_result
from xpos.model import CardData, CardSource, TextLine

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")
PAN = "6212345678901234567"
CARD = CardData(source=CardSource.SWIPE, pan=PAN, expiry="3012",
                track2=PAN + "=30121010000012300000")
OTHER = CardData(source=CardSource.SWIPE, pan="6212345678901239999", expiry="3012",
                 track2="6212345678901239999=30121010000012300000")
BLOCK = bytes.fromhex("1A2B3C4D5E6F7081")
FOUND = reply(Outcome.APPROVED, stan=2, batch=1, amount=1234, masked_pan="621234*********4567",
              when=datetime(2025, 1, 15, 10, 30, 45), auth_code="123456", rrn="250115000002")
VOIDED = reply(Outcome.APPROVED, stan=7, batch=1, amount=1234, masked_pan="621234*********4567",
               when=datetime(2025, 1, 15, 11, 0, 0), auth_code="654321", rrn="250115000008")
READY = expect(Online, reply(Outcome.APPROVED))
PASSWORD_OK = [expect(Input, ok(values=("123456",))), expect(Online, reply(Outcome.APPROVED))]
WHOLE = [expect(Confirm, ok(yes=True)), expect(AmountStep, keyed("ENTER"))]
"""The original confirmed, then ENTER on 0.00: the whole transaction."""


def until_shown() -> list[object]:
    return [READY, *PASSWORD_OK, expect(Input, ok(values=("2",))), expect(Online, FOUND)]


def until_online() -> list[object]:
    return [*until_shown(), *WHOLE, expect(ReadCard, ok(card=CARD)),
            expect(PinStep, ok(block=BLOCK))]


def shown(run) -> str:
    return "\n".join(line for d in run.of_type(Display) for line in d.lines)


def test_approved_void_prints_two_void_slips_and_shows_success():
    run = run_flow(void_flow(CTX), [*until_online(), expect(Online, VOIDED), ok(), ok(),
                                    expect(Display, ok())])
    assert run.done
    assert [p.document.name for p in run.of_type(PrintStep)] == ["void-merchant",
                                                                 "void-customer"]
    printed = "\n".join(e.text for p in run.of_type(PrintStep) for e in p.document.elements
                        if isinstance(e, TextLine))
    assert "撤销/VOID" in printed and "原凭证号 ORIG. TRACE NO.: 000002" in printed
    assert "凭证号 TRACE NO.: 000007" in printed and PAN not in printed
    assert "交易成功" in shown(run)


def test_the_void_request_names_the_original_and_carries_the_same_card_and_pin():
    run = run_flow(void_flow(CTX), until_online())
    assert run.expect(Online).request == VoidRequest(stan=2, card=CARD, pin_block=BLOCK,
                                                     amount=1234)
    lookups = [o.request for o in run.of_type(Online) if isinstance(o.request, VoidLookup)]
    assert lookups == [VoidLookup(stan=2)]


def test_the_original_is_shown_before_the_card_and_pin():
    run = run_flow(void_flow(CTX), until_shown())
    prompt = run.expect(Confirm).prompt
    assert "621234*********4567" in prompt and "12.34" in prompt
    assert "000002" in prompt and "2025/01/15" in prompt
    assert not run.of_type(ReadCard) and not run.of_type(PinStep)


def test_the_password_is_keyed_hidden_and_never_part_of_a_repr():
    run = run_flow(void_flow(CTX), [READY])
    field = run.expect(Input).fields[0]
    assert field.hidden
    assert "123456" not in repr(SupervisorCheck(password="123456"))


def test_three_wrong_passwords_refuse_the_void():
    wrong = [expect(Input, ok(values=("000000",))), expect(Online, reply(Outcome.DECLINED)),
             expect(Display, ok())]
    run = run_flow(void_flow(CTX), [READY, *wrong * 3])
    assert run.done
    assert "密码错误次数过多" in shown(run)
    assert shown(run).count("主管密码错误") == 2
    assert not any(isinstance(o.request, VoidLookup) for o in run.of_type(Online))


def test_a_right_password_after_a_wrong_one_goes_on():
    wrong = [expect(Input, ok(values=("1",))), expect(Online, reply(Outcome.DECLINED)),
             expect(Display, ok())]
    run = run_flow(void_flow(CTX), [READY, *wrong, *PASSWORD_OK])
    assert run.expect(Input).prompt == "请输入原凭证号"


def test_the_trace_number_is_keyed_on_the_real_machine():
    run = run_flow(void_flow(CTX), [READY, *PASSWORD_OK, expect(Input, keyed("4", "2", "#"))])
    assert run.expect(Online).request == VoidLookup(stan=42)


@pytest.mark.parametrize(("notice", "text"), [
    (Notice.VOID_UNKNOWN, "无此交易"),
    (Notice.VOID_DONE, "原交易已撤销"),
    (Notice.VOID_NOT_APPROVED, "原交易未成功"),
    (Notice.VOID_OTHER_BATCH, "原交易已结算"),
    (Notice.VOID_NOT_SALE, "原交易不是消费"),
])
def test_a_refused_lookup_says_why_and_asks_for_no_card(notice: Notice, text: str):
    run = run_flow(void_flow(CTX), [READY, *PASSWORD_OK, expect(Input, ok(values=("9",))),
                                    expect(Online, reply(Outcome.DECLINED, notice=notice)),
                                    expect(Display, ok())])
    assert run.done and text in shown(run)
    assert not run.of_type(ReadCard) and not run.of_type(Confirm)


def test_another_card_is_refused_before_the_pin():
    run = run_flow(void_flow(CTX), [*until_shown(), *WHOLE,
                                    expect(ReadCard, ok(card=OTHER)), expect(Display, ok())])
    assert run.done and "卡号与原交易不符" in shown(run)
    assert not run.of_type(PinStep)
    assert not any(isinstance(o.request, VoidRequest) for o in run.of_type(Online))


def test_saying_no_to_the_original_cancels():
    run = run_flow(void_flow(CTX), [*until_shown(), expect(Confirm, ok(yes=False)),
                                    expect(Display, ok())])
    assert run.done and "交易已取消" in shown(run) and not run.of_type(ReadCard)


def test_not_signed_on_stops_before_the_password():
    run = run_flow(void_flow(CTX), [expect(Online, reply(Outcome.NOT_SIGNED_ON)),
                                    expect(Display, ok())])
    assert run.done and "请先签到" in shown(run) and not run.of_type(Input)


def test_a_void_without_answer_says_it_reverses_and_prints_nothing():
    run = run_flow(void_flow(CTX), [*until_online(),
                                    expect(Online, reply(Outcome.NO_RESPONSE)),
                                    expect(Display, ok())])
    assert run.done and "交易超时 将自动冲正" in shown(run) and not run.of_type(PrintStep)


def test_pin_timeout_sends_nothing():
    run = run_flow(void_flow(CTX), [*until_shown(), *WHOLE,
                                    expect(ReadCard, ok(card=CARD)),
                                    expect(PinStep, step_result(ResultCode.TIMEOUT)),
                                    expect(Display, ok())])
    assert run.done and "输入密码超时" in shown(run)
    assert not any(isinstance(o.request, VoidRequest) for o in run.of_type(Online))


def test_void_slip_refuses_an_unmasked_card():
    slip = VoidSlip(merchant_name="m", mid="1" * 15, tid="1" * 8, operator="01",
                    masked_pan=PAN, expiry="", batch=1, stan=7, auth_code="", rrn="",
                    when=datetime(2025, 1, 1), amount=1, original_stan=2)
    with pytest.raises(ValueError):
        void_slip(slip, copy="merchant")


@pytest.mark.parametrize(("rc", "text"), [("25", "无此交易"), ("94", "重复交易"),
                                          ("55", "密码错误"), ("40", "发卡行不支持")])
def test_a_host_refusal_is_shown_in_words(rc: str, text: str):
    run = run_flow(void_flow(CTX), [*until_online(),
                                    expect(Online, reply(Outcome.DECLINED, rc=rc)),
                                    expect(Display, ok())])
    assert run.done and text in shown(run) and not run.of_type(PrintStep)


def test_totals_show_voids_apart_and_net_them_out_of_the_total():
    from xpos.core.slips import TotalsLine, TotalsSlip, net_amount, totals_slip

    lines = (TotalsLine(domain="bank", kind="sale", count=2, amount=3000),
             TotalsLine(domain="bank", kind="void", count=1, amount=1000))
    assert net_amount(lines) == 2000
    slip = totals_slip(TotalsSlip(merchant_name="m", mid="1" * 15, tid="1" * 8, batch=1,
                                  when=datetime(2025, 1, 1), lines=lines))
    printed = "\n".join(e.text for e in slip.elements if isinstance(e, TextLine))
    assert "撤销/VOID" in printed and "￥10.00" in printed and "￥20.00" in printed
    assert "￥40.00" not in printed


# -- partial void (adjust, B5) ------------------------------------------------------


def test_the_amount_to_cancel_is_asked_after_the_original_is_confirmed_and_allows_zero():
    run = run_flow(void_flow(CTX), [*until_shown(), expect(Confirm, ok(yes=True))])
    step = run.expect(AmountStep)
    assert step.allow_zero and step.max_amount == 1234
    assert "0=全额" in step.prompt
    assert not run.of_type(ReadCard)


def test_a_partial_amount_goes_to_the_host_and_the_card_and_pin_see_it():
    run = run_flow(void_flow(CTX), [*until_shown(), expect(Confirm, ok(yes=True)),
                                    expect(AmountStep, keyed("4", "0", "0", "ENTER")),
                                    expect(ReadCard, ok(card=CARD)),
                                    expect(PinStep, ok(block=BLOCK))])
    assert run.expect(Online).request == VoidRequest(stan=2, card=CARD, pin_block=BLOCK,
                                                     amount=400)
    assert run.of_type(PinStep)[0].amount == 400


def test_no_more_than_the_original_can_be_keyed():
    run = run_flow(void_flow(CTX), [*until_shown(), expect(Confirm, ok(yes=True)),
                                    expect(AmountStep, keyed("9", "9", "9", "9", "ENTER")),
                                    expect(ReadCard, ok(card=CARD)),
                                    expect(PinStep, ok(block=BLOCK))])
    request = run.expect(Online).request
    assert isinstance(request, VoidRequest) and request.amount == 999  # the 4th 9 beeped


def test_a_partial_void_the_issuer_refuses_is_shown_in_words_and_prints_nothing():
    run = run_flow(void_flow(CTX), [*until_shown(), expect(Confirm, ok(yes=True)),
                                    expect(AmountStep, keyed("4", "0", "0", "ENTER")),
                                    expect(ReadCard, ok(card=CARD)),
                                    expect(PinStep, ok(block=BLOCK)),
                                    expect(Online, reply(Outcome.DECLINED, rc="40")),
                                    expect(Display, ok())])
    assert run.done and "部分撤销" in shown(run) and not run.of_type(PrintStep)
