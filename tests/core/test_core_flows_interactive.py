"""The X3 session flow: each platform step on the step engine, results back, refusals."""

from xpos.core.flows import FlowContext, Online, Outcome, SaleRequest
from xpos.core.flows.interactive import MAX_STEPS, service_flow
from xpos.core.flows.online import Notice, ReadinessRequest
from xpos.core.flows.remote import HostStep, SessionOpen, SessionResult
from xpos.core.steps import (
    AmountStep,
    Display,
    Input,
    InputField,
    PinStep,
    ReadCard,
    ResultCode,
    Select,
)
from xpos.core.testing import ok, reply, run_flow, step_result
from xpos.model import CardData, CardSource

CTX = FlowContext(merchant_name="店", tid="12345678", mid="123456789012345")
CARD = CardData(source=CardSource.SWIPE, pan="6212345678901234567",
                track2="6212345678901234567=30121010000000000", expiry="3012")


def step(code: str, number: int = 1, **kw: object) -> object:
    return reply(Outcome.APPROVED, step=HostStep(session="S", number=number, code=code, **kw))


def sent(run) -> list[object]:
    return [c.request for c in run.of_type(Online)]


def test_open_then_input_with_two_fields_then_end() -> None:
    fields = (InputField(label="户号", min_len=2, max_len=8), InputField(label="密码"))
    run = run_flow(service_flow(CTX, "bills"), [
        step("INP", text="请输入", fields=fields),
        ok(values=("12", "3")),
        step("END", 2, text="完成\n谢谢"),
        ok(),
    ])
    assert run.done
    assert sent(run)[0] == SessionOpen(service="bills")
    assert run.of_type(Input)[0].fields == fields
    result = sent(run)[1]
    assert isinstance(result, SessionResult)
    assert (result.session, result.number, result.code, result.values) == (
        "S", 1, ResultCode.OK, ("12", "3"))
    assert run.of_type(Display)[-1].lines == ("完成", "谢谢")


def test_select_confirm_amount_results_carry_their_data() -> None:
    run = run_flow(service_flow(CTX, "x"), [
        step("SEL", items=(("a", "甲"), ("b", "乙")), text="选"), ok(id="b", index=1),
        step("CNF", 2, text="确认?"), ok(yes=True),
        step("AMT", 3, text="金额", amount=8650), ok(amount=8650),
        step("END", 4), ok(),
    ])
    results = [r for r in sent(run) if isinstance(r, SessionResult)]
    assert [r.values for r in results] == [("b",), ("1",), ()]
    assert results[2].amount == 8650
    assert run.of_type(AmountStep)[0].preset == 8650
    assert run.of_type(Select)[0].items == (("a", "甲"), ("b", "乙"))


def test_an_unknown_step_is_answered_beyond_capability_without_running_anything() -> None:
    run = run_flow(service_flow(CTX, "x"), [step("BEP"), step("END", 2), ok()])
    result = sent(run)[1]
    assert isinstance(result, SessionResult) and result.code is ResultCode.BEYOND_CAPABILITY
    assert run.of_type(Input) == [] and run.done


def test_a_malformed_step_mid_session_is_answered_not_understood() -> None:
    run = run_flow(service_flow(CTX, "x"), [
        step("CNF", text="?"), ok(yes=False),
        reply(Outcome.APPROVED, step=HostStep(malformed=True)),
        step("END", 3), ok(),
    ])
    last = sent(run)[2]
    assert isinstance(last, SessionResult)
    assert (last.number, last.code) == (2, ResultCode.NOT_UNDERSTOOD)


def test_a_malformed_first_step_ends_with_platform_error() -> None:
    run = run_flow(service_flow(CTX, "x"), [
        reply(Outcome.APPROVED, step=HostStep(malformed=True)), ok()])
    assert run.done and len(sent(run)) == 1
    assert "平台数据错误" in run.of_type(Display)[-1].lines


def test_platform_unavailable_is_said_at_once() -> None:
    run = run_flow(service_flow(CTX, "x"), [
        reply(Outcome.DECLINED, notice=Notice.PLATFORM_UNAVAILABLE), ok()])
    assert "平台不可用" in run.of_type(Display)[-1].lines


def test_a_step_timeout_is_reported_to_the_platform() -> None:
    run = run_flow(service_flow(CTX, "x"), [
        step("INP", text="?", fields=(InputField(label="a"),), timeout_s=5.0),
        step_result(ResultCode.TIMEOUT), step("END", 2), ok()])
    assert run.of_type(Input)[0].timeout_s == 5.0
    assert sent(run)[1].code is ResultCode.TIMEOUT


def test_a_bank_debit_is_a_real_sale_and_its_trace_goes_back() -> None:
    run = run_flow(service_flow(CTX, "topup"), [
        step("BNK", text="会员充值", amount=5000),
        reply(Outcome.APPROVED),                      # readiness
        ok(card=CARD), ok(block=b"\x01" * 8),
        reply(Outcome.APPROVED, rc="00", stan=4, batch=1, rrn="250115000004", amount=5000),
        ok(), ok(),                                   # two slips
        step("END", 2), ok(),
    ])
    requests = sent(run)
    assert isinstance(requests[1], ReadinessRequest)
    sale = requests[2]
    assert isinstance(sale, SaleRequest) and sale.amount == 5000 and sale.card == CARD
    result = requests[3]
    assert isinstance(result, SessionResult)
    assert (result.code, result.bank_rc, result.bank_stan, result.amount) == (
        ResultCode.OK, "00", 4, 5000)
    assert run.of_type(PinStep)[0].amount == 5000


def test_a_declined_bank_debit_is_reported_unable_with_its_code() -> None:
    run = run_flow(service_flow(CTX, "topup"), [
        step("BNK", amount=5000), reply(Outcome.APPROVED), ok(card=CARD),
        ok(block=b"\x01" * 8), reply(Outcome.DECLINED, rc="51", stan=4), ok(),
        step("END", 2), ok(),
    ])
    result = sent(run)[3]
    assert (result.code, result.bank_rc) == (ResultCode.UNABLE, "51")


def test_a_third_party_debit_sends_the_card_and_pin_block_only() -> None:
    run = run_flow(service_flow(CTX, "points"), [
        step("TPD", amount=1000), ok(card=CARD), ok(block=b"\x02" * 8),
        step("END", 2), ok(),
    ])
    assert "请刷第三方卡" in run.of_type(ReadCard)[0].prompt
    result = sent(run)[1]
    assert (result.card, result.pin_block, result.amount) == (CARD, b"\x02" * 8, 1000)
    assert "6212345678901234567" not in repr(result)
    assert not any(isinstance(r, SaleRequest) for r in sent(run))


def test_a_platform_that_never_ends_is_cut_off() -> None:
    answers: list[object] = []
    for n in range(1, MAX_STEPS + 1):
        answers += [step("CNF", n, text="?"), ok(yes=True)]
    answers += [step("CNF", MAX_STEPS + 1, text="?"), ok()]
    run = run_flow(service_flow(CTX, "x"), answers)
    assert run.done
    assert "业务步骤过多" in run.of_type(Display)[-1].lines
