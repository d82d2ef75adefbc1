import pytest

from xpos.core.flows import FlowContext, Online, Outcome, sale_flow, sign_on_flow
from xpos.core.steps import Display, ResultCode, Select, StepResult
from xpos.core.testing import (
    FlowDriver,
    MachineDriver,
    ScriptError,
    expect,
    keyed,
    ok,
    reply,
    run_flow,
)

CTX = FlowContext(merchant_name="测试商户", tid="12345678", mid="123456789012345")


def test_flow_driver_answers_commands_one_at_a_time():
    drv = FlowDriver(sign_on_flow(CTX))
    assert isinstance(drv.expect(Display), Display)
    assert isinstance(drv.answer(ok()), Online)
    drv.answer(reply())
    drv.answer(ok())
    assert drv.done
    assert drv.pending is None
    assert len(drv.history) == 3


def test_flow_driver_refuses_answers_after_the_end():
    drv = run_flow(sign_on_flow(CTX), [ok(), reply(), ok()])
    with pytest.raises(ScriptError):
        drv.answer(ok())


def test_run_flow_refuses_leftover_answers():
    with pytest.raises(ScriptError, match="answers left"):
        run_flow(sign_on_flow(CTX), [ok(), reply(), ok(), ok()])


def test_expect_refuses_the_wrong_command():
    with pytest.raises(ScriptError, match="expected a Select"):
        run_flow(sign_on_flow(CTX), [expect(Select, ok())])


def test_keyed_refuses_keys_that_do_not_end_the_step():
    with pytest.raises(ScriptError, match="still running"):
        run_flow(sale_flow(CTX), [reply(Outcome.APPROVED), keyed("1", "2")])


def test_machine_driver_fires_the_timer_only_when_its_deadline_passes():
    drv = MachineDriver(Display(lines=("x",), wait_key=True, timeout_s=5.0), now=10.0)
    assert drv.advance(4.9) == []
    drv.advance(0.1)
    assert drv.result == StepResult(code=ResultCode.TIMEOUT)
