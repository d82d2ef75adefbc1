"""The step engine: one pure state machine per step.

Theory of operation
-------------------
A flow yields steps (:mod:`xpos.core.steps`). For each step the runtime asks
:func:`machine_for` for a :class:`StepMachine` and then:

1. calls ``machine.start(now)`` once and carries out the returned effects in order;
2. feeds every event it sees (:class:`KeyPressed`, :class:`CardPresented`,
   :class:`CardError`, :class:`PinDone`, :class:`PrintDone`, :class:`TimerFired`) to
   ``machine.handle(event)`` and carries out the effects, until ``machine.done``;
3. sends ``machine.result`` back to the flow: the step's typed result
   (:func:`~xpos.core.steps.result_type`), a plain StepResult for Display, Print, End.

Rules every machine keeps:

- The last effect is always :class:`Done`, exactly once; after it, events are ignored.
- :class:`Show` carries the whole display, already fitted to the display's geometry
  (8 rows x 20 columns by default, CJK = 2 columns, see :func:`fit`; the shell hands
  the real size to :func:`machine_for`). Only masked PANs ever reach it.
- Time is an input. A machine that needs a timeout emits ``SetTimer(deadline)`` with an
  absolute deadline on the runtime's monotonic clock (``event.now + timeout``); the
  runtime answers with ``TimerFired(now)``. A new SetTimer replaces the old one; a
  TimerFired earlier than the current deadline (less a small slack) is stale and
  ignored. Before Done a machine cancels its timer (``SetTimer(None)``).
- A machine that listens to card sources emits ``EnableSources(sources)`` at the start
  and ``EnableSources(frozenset())`` before Done.
- A step the engine does not know ends at once with BEYOND_CAPABILITY; a step whose
  fields have the wrong types ends with NOT_UNDERSTOOD; a step without required data
  (no items, no fields, no sources) ends with MISSING_VALUES. Nothing raises.
"""

from __future__ import annotations

import dataclasses
import types
import typing

from xpos.core import steps
from xpos.core.events import (
    Beep,
    CancelPin,
    CardError,
    CardPresented,
    Done,
    Effect,
    EnableSources,
    Event,
    KeyPressed,
    PinDone,
    PrintDone,
    RequestPin,
    RequestPrint,
    SetTimer,
    Show,
    TimerFired,
)
from xpos.core.geometry import DEFAULT_GEOMETRY, Geometry
from xpos.core.machines import (
    AmountMachine,
    ConfirmMachine,
    DisplayMachine,
    EndMachine,
    InputMachine,
    PinMachine,
    PrintMachine,
    ReadCardMachine,
    RefusedMachine,
    SelectMachine,
    StepMachine,
)
from xpos.core.screen import fit
from xpos.core.steps import ResultCode

__all__ = [
    "Beep",
    "CancelPin",
    "CardError",
    "CardPresented",
    "Done",
    "Effect",
    "EnableSources",
    "Event",
    "KeyPressed",
    "PinDone",
    "PrintDone",
    "RequestPin",
    "RequestPrint",
    "SetTimer",
    "Show",
    "StepMachine",
    "TimerFired",
    "fit",
    "machine_for",
]


def machine_for(step: object, *, lang: str = "zh",
                geometry: Geometry = DEFAULT_GEOMETRY) -> StepMachine:
    """Build the state machine that runs ``step``.

    Args:
        step: Any object; only the step types of :mod:`xpos.core.steps` are run.
        lang: Language of the texts the machine adds (``"zh"`` or ``"en"``).
        geometry: The display's rows and columns: lists page by it, screens fit it.

    Returns:
        A fresh machine; for an unknown or malformed step, one that ends at once with
        BEYOND_CAPABILITY or NOT_UNDERSTOOD.
    """
    if not isinstance(step, typing.get_args(steps.Step)):
        return RefusedMachine(ResultCode.BEYOND_CAPABILITY, lang=lang)
    if not _well_typed(step):
        return RefusedMachine(ResultCode.NOT_UNDERSTOOD, lang=lang,
                              result=steps.result_type(step))
    machine = _build(step, lang, geometry)
    machine.geometry = geometry  # every screen is fitted to it (Show)
    return machine


def _build(step: steps.Step, lang: str, geometry: Geometry) -> StepMachine:
    match step:
        case steps.Display():
            return DisplayMachine(step, lang=lang)
        case steps.Input():
            return InputMachine(step, lang=lang, geometry=geometry)
        case steps.Select():
            return SelectMachine(step, lang=lang, geometry=geometry)
        case steps.Confirm():
            return ConfirmMachine(step, lang=lang, geometry=geometry)
        case steps.ReadCard():
            return ReadCardMachine(step, lang=lang, geometry=geometry)
        case steps.AmountStep():
            return AmountMachine(step, lang=lang)
        case steps.PinStep():
            return PinMachine(step, lang=lang)
        case steps.PrintStep():
            return PrintMachine(step, lang=lang)
        case steps.EndStep():
            return EndMachine(step, lang=lang)


def _well_typed(value: object) -> bool:
    """Check a step's fields (recursively into InputField) against their annotations.

    Steps built from host data may carry anything; this keeps a wrong type from
    crashing a machine later.
    """
    hints = _hints(type(value))
    return all(_conforms(getattr(value, name), hint) for name, hint in hints.items())


_HINTS: dict[type, dict[str, object]] = {}  # per step class: get_type_hints is slow


def _hints(cls: type) -> dict[str, object]:
    hints = _HINTS.get(cls)
    if hints is None:
        names = {f.name for f in dataclasses.fields(cls)}
        hints = {k: v for k, v in typing.get_type_hints(cls).items() if k in names}
        _HINTS[cls] = hints
    return hints


def _conforms(value: object, hint: object) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, arg) for arg in args)
    if origin is tuple:
        return isinstance(value, tuple) and _items_conform(value, args)
    if origin is frozenset:
        return isinstance(value, frozenset) and all(_conforms(v, args[0]) for v in value)
    if hint is object:
        return True
    if hint is type(None):
        return value is None
    if hint in (int, float) and isinstance(value, bool):
        return False
    if hint is float:
        return isinstance(value, int | float)
    if not isinstance(hint, type) or not isinstance(value, hint):
        return False
    return hint.__module__ != steps.__name__ or _well_typed(value)


def _items_conform(value: tuple[object, ...], args: tuple[object, ...]) -> bool:
    if len(args) == 2 and args[1] is Ellipsis:
        return all(_conforms(v, args[0]) for v in value)
    if len(value) != len(args):
        return False
    return all(_conforms(v, a) for v, a in zip(value, args, strict=True))
