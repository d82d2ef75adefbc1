import pytest

from xpos.core.flows import FlowContext, Notice, Online, Outcome, SignOnRequest, sign_on_flow
from xpos.core.steps import Display
from xpos.core.testing import ok, reply, run_flow
from xpos.errors import LocalProtocolError

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")


def test_sign_on_shows_progress_goes_online_and_shows_the_batch():
    run = run_flow(sign_on_flow(CTX), [ok(), reply(Outcome.APPROVED, batch=7), ok()])
    assert run.done
    first, last = run.of_type(Display)
    assert "签到中…" in first.lines
    assert not first.wait_key
    assert run.of_type(Online) == [Online(request=SignOnRequest())]
    assert last.lines[-2:] == ("签到成功", "批次号: 000007")


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (reply(Outcome.UNREACHABLE), "连接主机失败"),
        (reply(Outcome.NO_RESPONSE), "主机无应答"),
        (reply(Outcome.BAD_MAC), "应答报文错误"),
        (reply(Outcome.DECLINED, rc="97"), "终端未登记"),
        (reply(Outcome.ERROR, notice=Notice.BAD_KEYS), "工作密钥校验错"),
        (reply(Outcome.ERROR, notice=Notice.NO_TMK), "未装主密钥"),
    ],
)
def test_sign_on_failure_shows_the_reason(answer, text):
    run = run_flow(sign_on_flow(CTX), [ok(), answer, ok()])
    assert run.done
    assert text in run.of_type(Display)[-1].lines


def test_a_flow_answered_with_the_wrong_type_raises_local_protocol_error():
    with pytest.raises(LocalProtocolError):
        run_flow(sign_on_flow(CTX), [ok(), ok()])
