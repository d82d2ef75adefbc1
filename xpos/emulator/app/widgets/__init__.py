"""The emulator's widgets: one small module per pane.

Widgets only show what they are given and post messages for what a person did; the
app (:mod:`xpos.emulator.app.app`) owns the rig and routes both ways.
"""

from __future__ import annotations

from xpos.emulator.app.widgets.chooser import Chooser
from xpos.emulator.app.widgets.display import LcdDisplay
from xpos.emulator.app.widgets.host import HostPane
from xpos.emulator.app.widgets.keypad import KeyButton, Keypad, key_id
from xpos.emulator.app.widgets.pinpad import PinPadPane
from xpos.emulator.app.widgets.printer import PrinterPane
from xpos.emulator.app.widgets.status import StatusLine
from xpos.emulator.app.widgets.wallet import WalletPane

__all__ = [
    "Chooser",
    "HostPane",
    "KeyButton",
    "Keypad",
    "LcdDisplay",
    "PinPadPane",
    "PrinterPane",
    "StatusLine",
    "WalletPane",
    "key_id",
]
