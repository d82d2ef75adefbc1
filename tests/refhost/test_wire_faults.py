"""The host's wire faults: garbage, duplicate and late answers (FaultPlan.wire)."""

from __future__ import annotations

from xpos.proto.messages import MessageKind
from xpos.refhost.faults import GARBAGE_BYTES, WIRE_FAULTS, WIRE_NOTES, FaultKind, FaultPlan

FRAME = b"\x00\x05hello"


def test_wire_faults_apply_once_in_order_to_their_kind() -> None:
    plan = FaultPlan().garbage().duplicate(on=frozenset({MessageKind.REVERSAL})).late()
    assert plan.take(MessageKind.REVERSAL) is None  # the head is for financial requests
    kinds = [f.kind for f in (plan.take(MessageKind.SALE), plan.take(MessageKind.REVERSAL),
                              plan.take(MessageKind.VOID)) if f is not None]
    assert kinds == [FaultKind.GARBAGE, FaultKind.DUPLICATE, FaultKind.LATE]
    assert set(kinds) == WIRE_FAULTS == set(WIRE_NOTES) and len(plan) == 0


def test_garbage_is_not_a_frame_and_a_duplicate_is_the_frame_twice() -> None:
    plan = FaultPlan()
    garbage = plan.wire(FaultKind.GARBAGE, FRAME)
    assert garbage == GARBAGE_BYTES and int.from_bytes(garbage[:2], "big") > len(garbage)
    assert plan.wire(FaultKind.DUPLICATE, FRAME) == FRAME + FRAME
    assert plan.release_held() == b""


def test_a_late_answer_is_held_until_the_next_answer_then_released_once() -> None:
    plan = FaultPlan()
    assert plan.wire(FaultKind.LATE, FRAME) == b""
    assert plan.release_held() == FRAME
    assert plan.release_held() == b""
