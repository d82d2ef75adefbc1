"""A request in an X batch the platform already settled is refused ``12``: the voucher
query (740000) and the X void (740200) as the redemption (700000) is, and an X void that
names a redemption of a settled X batch; nothing is processed (no item moves)."""

from __future__ import annotations

from xpos.proto import settle as ps
from xpos.proto.codec import Message
from xpos.proto.messages import response_check
from xpos.refhost.core import HostCore
from xpos.refhost.seed import DEMO
from xpos.refhost.settle import SettleLedger
from xpos.refhost.store import HostStore

from .terminal import TerminalMessages
from .x1_messages import GYM, query, void
from .x1_messages import redeem as redeem_n


def redeem(term: TerminalMessages) -> Message:
    return redeem_n(term, 1)


def answer(core: HostCore, request: Message) -> Message:
    response = core.handle(request)
    assert response is not None and response_check(request, response) is None
    return response


def x_settle(core: HostCore, term: TerminalMessages) -> None:
    side = ps.Side(debit_count=1, debit_amount=0, credit_count=0, credit_amount=0)
    request = ps.settle_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                batch=term.batch, totals=ps.SettleTotals(domestic=side),
                                x_platform=True)
    assert answer(core, request).get(39) == "00"
    assert SettleLedger(core.context).settled(term.tid, "x", term.batch) is not None


def items(store: HostStore) -> int:
    row = store.voucher(GYM)
    assert row is not None
    return row.quantity


def kinds_and_codes(store: HostStore, kind: str) -> list[str]:
    return [e.rc for e in store.entries(tid=DEMO.tid, kind=kind)]


def test_query_and_void_in_a_settled_x_batch_are_refused_12(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    assert answer(core, query(term)).get(39) == "00"  # control: the batch is open
    redeemed = redeem(term)
    assert answer(core, redeemed).get(39) == "00"
    x_settle(core, term)
    late_query = answer(core, query(term))
    late_void = answer(core, void(term, redeemed, term.batch))
    assert (late_query.get(39), late_void.get(39)) == ("12", "12")
    assert term.mac_ok(late_query) and term.mac_ok(late_void)
    assert late_query.get(62) is None and late_void.get(62) is None  # no voucher data
    assert items(store) == 4  # the redeemed item stays redeemed
    assert kinds_and_codes(store, "voucher_query") == ["00", "12"]
    assert kinds_and_codes(store, "voucher_void") == ["12"]


def test_a_void_in_the_next_batch_of_a_settled_redemption_is_refused_12(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    redeemed = redeem(term)
    answer(core, redeemed)
    x_settle(core, term)
    term.batch += 1  # the terminal's X batch after the settlement
    assert answer(core, query(term)).get(39) == "00"  # the new batch is open
    refused = answer(core, void(term, redeemed, 1))
    assert refused.get(39) == "12"
    assert items(store) == 4
    found = store.find(DEMO.tid, 1, int(redeemed.get(11) or 0), ("voucher",))
    assert found is not None and found.approved and not found.reversed


def test_a_void_of_a_redemption_in_an_open_batch_still_passes(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    """Control: the same void before the settlement puts the item back."""
    redeemed = redeem(term)
    answer(core, redeemed)
    assert answer(core, void(term, redeemed, term.batch)).get(39) == "00"
    assert items(store) == 5
