from hypothesis import given, settings
from hypothesis import strategies as st

from xpos.core.events import (
    CardError,
    CardPresented,
    Done,
    KeyPressed,
    PinDone,
    PrintDone,
    Show,
    TimerFired,
)
from xpos.core.screen import COLS, ROWS, text_width
from xpos.core.steps import (
    AmountStep,
    Confirm,
    Display,
    EndStep,
    Input,
    InputField,
    PinStep,
    PrintStep,
    ReadCard,
    ResultCode,
    Select,
)
from xpos.core.testing import MachineDriver
from xpos.model import CardData, CardSource, Document, Key

PAN = "6212345678901234567"
STEPS = [
    Display(lines=("交易成功",), wait_key=True, timeout_s=10.0),
    Display(lines=("签到中…",), timeout_s=3.0),
    Input(
        prompt="请输入",
        fields=(
            InputField(label="卡号", max_len=6),
            InputField(label="密码", min_len=0, hidden=True),
        ),
        sources=frozenset({CardSource.SCAN}),
    ),
    Select(
        title="主菜单主菜单主菜单主菜单", items=tuple((str(n), f"项目{n}" * 3) for n in range(20))
    ),
    Confirm(prompt="打印机缺纸\n装纸后按确认键重打"),
    ReadCard(prompt="请刷卡", sources=frozenset({CardSource.SWIPE})),
    AmountStep(prompt="请输入金额", max_amount=99999999),
    AmountStep(prompt="应付金额", preset=1),
    PinStep(pan=PAN, amount=99999999),
    PrintStep(document=Document(name="d", elements=())),
    EndStep(message="再见"),
]

events = st.one_of(
    st.builds(lambda k: ("key", k), st.sampled_from(list(Key))),
    st.builds(lambda dt: ("time", dt), st.floats(min_value=0, max_value=100)),
    st.builds(lambda s: ("card", s), st.sampled_from(list(CardSource))),
    st.just(("card_error", None)),
    st.builds(lambda c: ("pin", c), st.sampled_from(list(ResultCode))),
    st.builds(lambda c: ("print", c), st.sampled_from(list(ResultCode))),
)


def feed(drv, kind, arg):
    if kind == "key":
        return drv.send(KeyPressed(key=arg, now=drv.now))
    if kind == "time":
        drv.now += arg
        return drv.send(TimerFired(now=drv.now))
    if kind == "card":
        card = CardData(source=arg, pan=PAN, code="CODE", uid="04AB")
        return drv.send(CardPresented(card=card, now=drv.now))
    if kind == "card_error":
        return drv.send(CardError(message="bad", now=drv.now))
    if kind == "pin":
        return drv.send(PinDone(block=bytes(8), code=arg, now=drv.now))
    return drv.send(PrintDone(code=arg, now=drv.now))


@settings(max_examples=300, deadline=None)
@given(step=st.sampled_from(STEPS), script=st.lists(events, max_size=40))
def test_any_event_sequence_keeps_the_machine_rules(step, script):
    drv = MachineDriver(step)
    for kind, arg in script:
        was_done = drv.machine.done
        out = feed(drv, kind, arg)
        if was_done:
            assert out == []
    dones = [i for i, e in enumerate(drv.effects) if isinstance(e, Done)]
    assert len(dones) <= 1
    if dones:
        assert dones[0] == len(drv.effects) - 1
        assert drv.machine.result == drv.effects[-1].result
    for effect in drv.effects:
        if isinstance(effect, Show):
            assert len(effect.lines) <= ROWS
            assert all(text_width(line) <= COLS for line in effect.lines)
            assert PAN not in "".join(effect.lines)
