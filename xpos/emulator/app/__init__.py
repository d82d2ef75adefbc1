"""The Textual emulator (``xpos emulator``): an emulated POS terminal on one screen.

:class:`~xpos.emulator.app.app.EmulatorApp` runs a :class:`~xpos.testing.rig.TerminalRig`
(reference host + terminal on fake devices) inside Textual's event loop and shows the
display, keypad, PIN pad, wallet of test cards and codes, printer roll, host messages
and a status line. :func:`~xpos.emulator.app.launch.run_emulator` is what the CLI calls.
Textual is imported only by the modules of this package, never by ``xpos.emulator``.
"""

from __future__ import annotations

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.launch import EmulatorOptions, run_emulator

__all__ = ["EmulatorApp", "EmulatorOptions", "run_emulator"]
