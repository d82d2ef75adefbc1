from __future__ import annotations

import pytest

from xpos.proto.codec import Message
from xpos.proto.messages import MessageKind
from xpos.refhost.faults import FaultKind, FaultPlan, corrupt_mac


def test_faults_apply_in_planned_order_one_per_request() -> None:
    plan = FaultPlan().drop().decline("51")
    first = plan.take(MessageKind.SALE)
    second = plan.take(MessageKind.SALE)
    assert first is not None and first.kind is FaultKind.DROP
    assert second is not None and (second.kind, second.code) == (FaultKind.DECLINE, "51")
    assert plan.take(MessageKind.SALE) is None


def test_sign_on_and_reversal_pass_a_fault_aimed_at_financial_requests() -> None:
    plan = FaultPlan().bad_mac()
    assert plan.take(MessageKind.SIGN_ON) is None
    assert plan.take(MessageKind.REVERSAL) is None
    assert plan.take(None) is None
    taken = plan.take(MessageKind.VOUCHER_VERIFY)
    assert taken is not None and taken.kind is FaultKind.BAD_MAC
    assert len(plan) == 0


def test_a_fault_can_be_aimed_at_reversals() -> None:
    plan = FaultPlan().close(on=frozenset({MessageKind.REVERSAL}))
    assert plan.take(MessageKind.SALE) is None
    taken = plan.take(MessageKind.REVERSAL)
    assert taken is not None and taken.kind is FaultKind.CLOSE


def test_only_the_head_fault_is_considered() -> None:
    plan = FaultPlan().drop(on=frozenset({MessageKind.REVERSAL})).decline("05")
    assert plan.take(MessageKind.SALE) is None
    assert [f.kind for f in plan.pending] == [FaultKind.DROP, FaultKind.DECLINE]


def test_delay_keeps_its_seconds_and_clear_empties_the_plan() -> None:
    plan = FaultPlan().delay(12.5)
    assert plan.pending[0].seconds == 12.5
    plan.clear()
    assert plan.pending == ()


@pytest.mark.parametrize("code", ["5", "005", "\n0"])
def test_decline_code_must_be_two_printable_characters(code: str) -> None:
    with pytest.raises(ValueError):
        FaultPlan().decline(code)


def test_negative_delay_is_refused() -> None:
    with pytest.raises(ValueError):
        FaultPlan().delay(-1)


def test_corrupt_mac_flips_every_bit_of_field_64() -> None:
    msg = Message(mti="0210", fields={39: "00", 64: "0F1E2D3C4B5A6978"})
    assert corrupt_mac(msg).get(64) == "F0E1D2C3B4A59687"
    assert corrupt_mac(msg.replace(drop=[64])).get(64) == "FF" * 8
