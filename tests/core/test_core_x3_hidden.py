"""An X3 input field marked hidden: the flow flags its value for the shell to seal, and
the result's repr never shows it."""

from xpos.core.flows import FlowContext, Online, Outcome
from xpos.core.flows.interactive import service_flow
from xpos.core.flows.remote import HostStep, SessionResult
from xpos.core.steps import InputField, ResultCode
from xpos.core.testing import ok, reply, run_flow

CTX = FlowContext(merchant_name="店", tid="12345678", mid="123456789012345")
FIELDS = (InputField(label="会员卡号", min_len=16, max_len=19),
          InputField(label="会员密码", min_len=6, max_len=6, hidden=True))


def _step(code: str, number: int, **kw: object) -> object:
    return reply(Outcome.APPROVED, step=HostStep(session="S", number=number, code=code, **kw))


def test_the_hidden_value_is_flagged_and_its_repr_shows_hidden() -> None:
    run = run_flow(service_flow(CTX, "vip"), [
        _step("INP", 1, text="请输入", fields=FIELDS),
        ok(values=("8868000000000001", "666666")),
        _step("END", 2, text="完成"),
        ok(),
    ])
    assert run.done
    result = [c.request for c in run.of_type(Online)][1]
    assert isinstance(result, SessionResult)
    assert result.values == ("8868000000000001", "666666")
    assert result.hidden == (False, True)
    assert [result.is_hidden(i) for i in range(3)] == [False, True, False]
    assert "666666" not in repr(result) and "'<hidden>'" in repr(result)
    assert "8868000000000001" in repr(result)


def test_a_result_without_hidden_fields_shows_its_values() -> None:
    result = SessionResult(session="S", number=1, code=ResultCode.OK, values=("12",))
    assert not result.is_hidden(0) and "'12'" in repr(result)
