import pytest

from xpos.core.engine import (
    Done,
    EnableSources,
    KeyPressed,
    PrintDone,
    RequestPrint,
    SetTimer,
    Show,
    TimerFired,
    machine_for,
)
from xpos.core.steps import (
    CardResult,
    Display,
    EndStep,
    Input,
    InputField,
    PrintResult,
    PrintStep,
    ReadCard,
    ResultCode,
    Select,
    StepResult,
    result_type,
)
from xpos.core.testing import MachineDriver
from xpos.model import CardSource, Document, Key, TextLine

DOC = Document(name="test", elements=(TextLine(text="hello"),))


def test_display_without_wait_ends_ok_at_once_and_leaves_the_text():
    effects = machine_for(Display(lines=("签到中…",))).start(0.0)
    assert effects == [Show(lines=("签到中…",)), Done(result=StepResult(code=ResultCode.OK))]


def test_display_with_timeout_only_ends_ok_when_time_is_up():
    drv = MachineDriver(Display(lines=("签到成功",), timeout_s=3.0), now=100.0)
    assert drv.deadline == 103.0
    drv.press("5")
    assert drv.result is None
    drv.advance(3.0)
    assert drv.result == StepResult(code=ResultCode.OK)


def test_display_waiting_for_a_key_ends_ok_on_any_key():
    drv = MachineDriver(Display(lines=("交易成功",), wait_key=True, timeout_s=10.0))
    effects = drv.press("ENTER")
    assert effects == [SetTimer(deadline=None), Done(result=StepResult(code=ResultCode.OK))]


def test_display_waiting_for_a_key_ends_cancelled_on_cancel():
    drv = MachineDriver(Display(lines=("x",), wait_key=True))
    drv.press("CANCEL")
    assert drv.result == StepResult(code=ResultCode.CANCELLED)


def test_display_waiting_for_a_key_times_out():
    drv = MachineDriver(Display(lines=("x",), wait_key=True, timeout_s=10.0))
    drv.advance(9.0)
    assert drv.result is None
    drv.advance(1.0)
    assert drv.result == StepResult(code=ResultCode.TIMEOUT)


def test_a_stale_timer_event_is_ignored():
    drv = MachineDriver(Display(lines=("x",), wait_key=True, timeout_s=10.0), now=0.0)
    assert drv.send(TimerFired(now=5.0)) == []
    assert not drv.machine.done


def test_events_after_done_are_ignored():
    machine = machine_for(EndStep(message="再见"))
    machine.start(0.0)
    assert machine.done
    assert machine.handle(KeyPressed(key=Key.ENTER, now=1.0)) == []


def test_end_step_shows_the_message_and_ends_ok():
    drv = MachineDriver(EndStep(message="交易成功\n谢谢"))
    assert drv.screen == ("交易成功", "谢谢")
    assert drv.result == StepResult(code=ResultCode.OK)


def test_print_step_requests_the_document_and_returns_the_printers_answer():
    drv = MachineDriver(PrintStep(document=DOC))
    assert RequestPrint(document=DOC) in drv.effects
    assert drv.result is None
    drv.send(PrintDone(code=ResultCode.UNABLE, now=1.0))
    assert drv.result == PrintResult(code=ResultCode.UNABLE, offline=False)


def test_print_machine_passes_on_that_the_printer_is_offline():
    drv = MachineDriver(PrintStep(document=DOC))
    drv.send(PrintDone(code=ResultCode.UNABLE, now=1.0, offline=True))
    assert drv.result == PrintResult(code=ResultCode.UNABLE, offline=True)


def test_unknown_step_type_ends_beyond_capability():
    machine = machine_for("launch the rockets")
    assert machine.start(0.0) == [Done(result=StepResult(code=ResultCode.BEYOND_CAPABILITY))]
    assert machine.done


@pytest.mark.parametrize(
    "step",
    [
        Display(lines=("ok", 3)),  # type: ignore[arg-type]
        Display(lines=("ok",), timeout_s="10"),  # type: ignore[arg-type]
        Display(lines=("ok",), wait_key=1),  # type: ignore[arg-type]
        Select(title="t", items=(("1", "a", "extra"),)),  # type: ignore[arg-type]
        Input(prompt="p", fields=(InputField(label="a", max_len=True),)),
        Input(prompt="p", fields=("not a field",)),  # type: ignore[arg-type]
        ReadCard(prompt="p", sources=frozenset({"swipe"})),  # type: ignore[arg-type]
        PrintStep(document="text"),  # type: ignore[arg-type]
    ],
)
def test_a_step_with_wrongly_typed_data_ends_not_understood(step):
    """The refusal still has the step's own result type, so its flow can read it."""
    assert MachineDriver(step).result == result_type(step)(code=ResultCode.NOT_UNDERSTOOD)


@pytest.mark.parametrize(
    "step",
    [
        Select(title="t", items=()),
        Input(prompt="p", fields=()),
        ReadCard(prompt="p", sources=frozenset()),
    ],
)
def test_a_step_without_required_data_ends_missing_values(step):
    assert MachineDriver(step).result == result_type(step)(code=ResultCode.MISSING_VALUES)


def test_a_machine_that_listened_to_card_sources_stops_them_when_done():
    drv = MachineDriver(ReadCard(prompt="刷卡", sources=frozenset({CardSource.SWIPE})))
    assert drv.sources == frozenset({CardSource.SWIPE})
    drv.press("CANCEL")
    assert drv.effects[-3:] == [
        SetTimer(deadline=None),
        EnableSources(sources=frozenset()),
        Done(result=CardResult(code=ResultCode.CANCELLED)),
    ]
