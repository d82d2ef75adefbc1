"""The reference host's settlement: its own ledger per (TID, batch), 1/2 results, batch
upload idempotent per message STAN with duplicates counted, batch end closing the batch,
late transactions in a closed batch refused, the X settlement apart."""

from __future__ import annotations

from xpos.proto import settle as ps
from xpos.proto.codec import Message
from xpos.proto.messages import response_check
from xpos.refhost.core import HostCore
from xpos.refhost.faults import FaultPlan
from xpos.refhost.seed import DEMO
from xpos.refhost.settle import SettleLedger, Uploads
from xpos.refhost.store import HostStore

from .terminal import TerminalMessages

ALICE = DEMO.card("alice")


def answer(core: HostCore, request: Message) -> Message:
    response = core.handle(request)
    assert response is not None and response_check(request, response) is None
    return response


def signed_on(core: HostCore, term: TerminalMessages) -> None:
    term.accept_sign_on(answer(core, term.sign_on_request()))


def settle(term: TerminalMessages, debit: tuple[int, int], credit: tuple[int, int] = (0, 0),
           *, x: bool = False) -> Message:
    side = ps.Side(debit_count=debit[0], debit_amount=debit[1], credit_count=credit[0],
                   credit_amount=credit[1])
    return ps.settle_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                             batch=term.batch, totals=ps.SettleTotals(domestic=side),
                             x_platform=x)


def upload(term: TerminalMessages, *stans: int, stan: int | None = None) -> Message:
    items = tuple(ps.UploadItem(stan=s, amount=100) for s in stans)
    return ps.batch_upload_request(stan=stan or term.next_stan(), tid=term.tid, mid=term.mid,
                                   batch=term.batch, items=items)


def end(term: TerminalMessages, count: int) -> Message:
    return ps.batch_end_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                batch=term.batch, count=count)


def test_matching_totals_are_balanced_and_batch_end_closes_the_batch(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    signed_on(core, term)
    assert answer(core, term.sale(ALICE, 1234)).get(39) == "00"
    assert answer(core, term.sale(ALICE, 500)).get(39) == "00"
    reply = answer(core, settle(term, (2, 1734)))
    assert reply.get(39) == "00" and ps.parse_results(reply) == ps.Results(domestic="1",
                                                                          foreign="1")
    assert answer(core, end(term, 0)).get(39) == "00"
    assert store.terminal(term.tid).batch == 2  # type: ignore[union-attr]
    late = answer(core, term.sale(ALICE, 100))  # still batch 1: closed
    assert late.get(39) == "12"
    assert store.balance(ALICE.pan) == ALICE.balance - 1734
    again = answer(core, settle(term, (9, 9)))  # a closed batch keeps its answer
    assert ps.parse_results(again).domestic == "1"


def test_differing_totals_are_unbalanced_and_uploads_are_counted_once(
        core: HostCore, term: TerminalMessages) -> None:
    signed_on(core, term)
    answer(core, term.sale(ALICE, 100))
    reply = answer(core, settle(term, (2, 200)))
    assert ps.parse_results(reply).domestic == "2"
    first = upload(term, 2, 3)
    assert answer(core, first).get(39) == "00"
    assert answer(core, first).get(39) == "00"  # the same message again: a retransmission
    assert answer(core, upload(term, 3, 4)).get(39) == "00"  # item 3 again: a duplicate
    ledger = SettleLedger(core.context)
    assert ledger.uploads(term.tid, 1) == ps_uploads(items=3, duplicates=1, retransmits=1,
                                                     messages=2)
    assert answer(core, end(term, 4)).get(39) == "00"
    assert answer(core, upload(term, 5)).get(39) == "12"  # the batch is closed


def ps_uploads(**kw: int) -> Uploads:
    return Uploads(**kw)


def test_batch_end_or_upload_without_a_settlement_is_refused(
        core: HostCore, term: TerminalMessages) -> None:
    signed_on(core, term)
    assert answer(core, upload(term, 2)).get(39) == "12"
    assert answer(core, end(term, 0)).get(39) == "12"


def test_unknown_terminal_and_not_signed_on_and_bad_field48(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    signed_on(core, term)
    store.forget_working_keys(term.tid)
    assert answer(core, settle(term, (0, 0))).get(39) == "77"
    signed_on(core, term)
    bad = settle(term, (0, 0)).replace(set={48: "12"})
    assert answer(core, bad).get(39) == "30"
    other = TerminalMessages(tid="99999999")
    assert answer(core, settle(other, (0, 0))).get(39) == "03"


def test_x_settlement_counts_vouchers_only_and_closes_the_x_batch(
        core: HostCore, term: TerminalMessages) -> None:
    signed_on(core, term)
    answer(core, term.sale(ALICE, 100))
    assert answer(core, term.voucher(DEMO.demo_voucher)).get(39) == "00"
    reply = answer(core, settle(term, (1, 0), x=True))
    assert reply.get(3) == "700000" and ps.parse_results(reply).domestic == "1"
    assert SettleLedger(core.context).settled(term.tid, "x", 1) == ("1", True)
    assert SettleLedger(core.context).settled(term.tid, "bank", 1) is None
    assert answer(core, term.sale(ALICE, 100)).get(39) == "00"  # the bank batch is open


def test_unbalanced_fault_books_a_sale_the_terminal_never_saw(
        core: HostCore, term: TerminalMessages) -> None:
    signed_on(core, term)
    answer(core, term.sale(ALICE, 100))
    plan = FaultPlan().unbalanced()
    request = settle(term, (1, 100))
    reply = core.handle(request, plan.take(core.kind_of(request)))
    assert reply is not None and ps.parse_results(reply).domestic == "2"
