"""What a fault planned without ``on=`` meets: :data:`xpos.refhost.faults.FINANCIAL`.

Every message kind is either a default target or named here with the reason it is
passed over, so a new kind cannot join the catalogue without that decision. At the host,
a default fault planned before an X1 redemption passes the voucher query and lands on
the redemption; one planned before an X void lands on the void.
"""

from __future__ import annotations

from xpos.proto.codec import Message
from xpos.proto.messages import MessageKind
from xpos.refhost.core import HostCore
from xpos.refhost.faults import FINANCIAL, FaultKind, FaultPlan
from xpos.refhost.store import HostStore

from .terminal import TerminalMessages
from .x1_messages import GYM, query, redeem, void

M = MessageKind
PASSED_OVER = {
    M.SIGN_ON: "no transaction", M.REVERSAL: "aim with on=reversal",
    M.SESSION_OPEN: "X3 (bad_tlv/unknown_step aim there)", M.SESSION_STEP: "X3",
    M.ORDER_QUERY: "a question before an X2 payment", M.ORDER_PAID: "a notice after it",
    M.VOUCHER_QUERY: "the question before a redemption", M.SETTLE: "settlement",
    M.X_SETTLE: "settlement", M.BATCH_UPLOAD: "settlement", M.BATCH_END: "settlement",
}


def test_every_kind_is_a_default_target_or_passed_over_for_a_reason() -> None:
    assert FINANCIAL.isdisjoint(PASSED_OVER)
    assert FINANCIAL | set(PASSED_OVER) == set(MessageKind)
    assert {M.VOUCHER_VERIFY, M.VOUCHER_VOID, M.PARTY_DEBIT} <= FINANCIAL


def items(store: HostStore) -> int:
    row = store.voucher(GYM)
    assert row is not None
    return row.quantity


def handled(core: HostCore, plan: FaultPlan, request: Message) -> Message | None:
    """What the server does: take the head fault if it applies, hand both to the core."""
    return core.handle(request, plan.take(core.kind_of(request)))


def test_a_default_drop_passes_the_query_and_meets_the_redemption(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    plan = FaultPlan().drop()
    asked = handled(core, plan, query(term))
    assert asked is not None and asked.get(39) == "00"
    assert len(plan) == 1
    assert handled(core, plan, redeem(term, 2)) is None  # processed, answer dropped
    assert items(store) == 3 and len(plan) == 0


def test_a_default_drop_meets_the_x_void(core: HostCore, store: HostStore,
                                         term: TerminalMessages) -> None:
    redeemed = redeem(term, 2)
    assert core.handle(redeemed) is not None
    plan = FaultPlan().drop()
    assert handled(core, plan, void(term, redeemed, term.batch)) is None
    assert items(store) == 5  # the void was processed; only its answer was lost


def test_a_default_decline_meets_the_third_party_debit() -> None:
    plan = FaultPlan().decline("51")
    assert plan.take(M.ORDER_QUERY) is None
    taken = plan.take(M.PARTY_DEBIT)
    assert taken is not None and (taken.kind, taken.code) == (FaultKind.DECLINE, "51")
