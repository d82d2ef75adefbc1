"""What the optional devices get from the terminal: the customer display and the beeper.

The customer display (a 2 x 20 pole display, ASCII only) follows the amount: whenever a
screen of the terminal shows an amount (``金额: 12.34`` / ``Amount: 12.34``, the
``amount.label`` of :mod:`xpos.core.i18n`), the customer sees ``TOTAL`` and the amount
right-aligned (sent only when it changes); other screens leave the last amount shown.
The beeper sounds the core's ``Beep`` effects. Both are skipped when not configured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from xpos.core.i18n import t
from xpos.drivers.base import DeviceSet

_LABELS = tuple(t("amount.label", lang).rstrip(":：") for lang in ("zh", "en"))
_AMOUNT = re.compile(
    "(?:" + "|".join(re.escape(label) for label in _LABELS) + r")\s*[:：]\s*(\d+\.\d{2})\b")
COLS = 20


def customer_lines(screen: Sequence[str]) -> tuple[str, str] | None:
    """The customer display's two lines for a terminal screen, or None (no amount)."""
    for line in screen:
        found = _AMOUNT.search(line)
        if found:
            return "TOTAL", found.group(1).rjust(COLS)
    return None


def show_customer(devices: DeviceSet, screen: Sequence[str]) -> None:
    """Put the amount of ``screen`` on the customer display, if one is configured."""
    display = devices.customer_display
    if display is not None:
        lines = customer_lines(screen)
        if lines is not None and tuple(getattr(display, "lines", ())) != lines:
            display.show(lines)  # sent only when it changes (a serial line is slow)


def beep(devices: DeviceSet, kind: str) -> None:
    """Sound ``kind`` on the beeper, if one is configured."""
    if devices.beeper is not None:
        devices.beeper.beep(kind)
