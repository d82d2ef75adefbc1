"""Step machines, one class per step type (built by :func:`xpos.core.engine.machine_for`)."""

from xpos.core.machines.base import StepMachine
from xpos.core.machines.card import PinMachine, ReadCardMachine
from xpos.core.machines.choice import ConfirmMachine, SelectMachine
from xpos.core.machines.keyed import AmountMachine, InputMachine
from xpos.core.machines.simple import DisplayMachine, EndMachine, PrintMachine, RefusedMachine

__all__ = [
    "AmountMachine",
    "ConfirmMachine",
    "DisplayMachine",
    "EndMachine",
    "InputMachine",
    "PinMachine",
    "PrintMachine",
    "ReadCardMachine",
    "RefusedMachine",
    "SelectMachine",
    "StepMachine",
]
