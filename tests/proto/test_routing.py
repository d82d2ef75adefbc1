"""Routing of X-class messages: the session puts the platform's TPDU on every one."""

from __future__ import annotations

import pytest

from xpos.proto.codec import Message
from xpos.proto.messages import reversal_request
from xpos.proto.routing import PLATFORM_TPDU, is_x_class, platform_tpdu
from xpos.proto.session import TerminalSession

from . import golden as g
from .golden_settle import X_SETTLE_0500
from .golden_x2 import ORDER_PAID_0100_COMBO

X_REQUESTS = [g.VOUCHER_0100, g.ORDER_QUERY_0100, g.ORDER_PAID_0100, g.PARTY_DEBIT_0200,
              ORDER_PAID_0100_COMBO, X_SETTLE_0500]
BANK_REQUESTS = [g.SIGN_ON_0800, g.SALE_0200, g.VOID_0200, g.REVERSAL_0400]


@pytest.mark.parametrize("golden", X_REQUESTS, ids=[x.name for x in X_REQUESTS])
def test_every_x_request_goes_to_the_configured_platform(golden: g.Golden) -> None:
    assert is_x_class(golden.message) and golden.message.tpdu == PLATFORM_TPDU
    session = TerminalSession(tpdu="6000031234", platform_tpdu="6000771234")
    assert session.stamp(golden.message).tpdu == "6000771234"


@pytest.mark.parametrize("golden", BANK_REQUESTS, ids=[x.name for x in BANK_REQUESTS])
def test_bank_requests_go_to_the_acquirer(golden: g.Golden) -> None:
    assert not is_x_class(golden.message)
    session = TerminalSession(tpdu="6000031234", platform_tpdu="6000771234")
    assert session.stamp(golden.message).tpdu == "6000031234"


def test_the_reversal_of_a_third_party_debit_goes_to_the_platform_too() -> None:
    reversal = reversal_request(g.PARTY_DEBIT_0200.message, reason="98")
    stored = Message(mti=reversal.mti, fields=dict(reversal.fields))  # as the journal keeps it
    session = TerminalSession(tpdu="6000030000", platform_tpdu="6000080000")
    assert session.stamp(stored).tpdu == "6000080000"


def test_without_a_configured_platform_the_builders_address_stays() -> None:
    session = TerminalSession(tpdu="6000031234")
    assert session.stamp(g.ORDER_QUERY_0100.message).tpdu == PLATFORM_TPDU


def test_the_platform_tpdu_keeps_the_terminals_source() -> None:
    assert platform_tpdu("6000031234", "0008") == "6000081234"
