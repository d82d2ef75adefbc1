"""The parts of the terminal shell that the emulator and the QA runner use directly.

Re-exports from :mod:`xpos.terminal` (clocks, configuration helpers) so that both reach
the terminal only through ``testing``.
"""

from __future__ import annotations

from xpos.terminal.clock import Clock, LoopClock, VirtualClock
from xpos.terminal.config import check_overrides, load_config, parse_address

__all__ = ["Clock", "LoopClock", "VirtualClock", "check_overrides", "load_config",
           "parse_address"]
