"""Suite-wide pytest settings.

pytest explains a failed ``==`` between dataclasses field by field with each field's
raw value, bypassing the masking ``__repr__`` of the types that carry card data, PIN
blocks or keys. For those types the explanation uses their own (masked) repr, so a
failing test never prints a full PAN, track or PIN block.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xpos.core.events import PinDone, RequestPin
from xpos.core.flows.online import SaleRequest, VoucherRequest
from xpos.core.steps import PinStep, StepResult
from xpos.model import CardData
from xpos.proto.codec import Message
from xpos.security.keys import WorkingKeys
from xpos.testing.printer_sim import PrinterSim

_MASKED = (CardData, Message, PinDone, PinStep, RequestPin, SaleRequest, StepResult,
           VoucherRequest, WorkingKeys)


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: Any,
                              right: Any) -> list[str] | None:
    if isinstance(left, _MASKED) or isinstance(right, _MASKED):
        return [f"{left!r} {op} {right!r} (compared with masking reprs)"]
    return None


@pytest.fixture
def sim() -> Iterator[PrinterSim]:
    """A network printer simulator on a free loopback port (stopped after the test)."""
    with PrinterSim() as printer_sim:
        yield printer_sim
