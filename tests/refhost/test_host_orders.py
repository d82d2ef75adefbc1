"""X2 at the reference host: order query, third-party debit and the order-paid notice."""

from __future__ import annotations

import pytest

from xpos.proto.codec import Message
from xpos.proto.order import (
    BankLeg,
    PartyLeg,
    order_paid_request,
    order_query_request,
    parse_order_message,
    parse_order_query_response,
    parse_party_balance,
    party_debit_request,
)
from xpos.refhost.core import HostCore
from xpos.refhost.demo_orders import J1_COUPON
from xpos.refhost.orders import get_order
from xpos.refhost.seed import DEMO
from xpos.refhost.store import HostStore
from xpos.security.pinblock import encrypt_pin_block, iso0_clear

from .terminal import TerminalMessages

ALICE, MEMBER = DEMO.card("alice"), DEMO.card("member")


def _ask(core: HostCore, term: TerminalMessages, msg: Message) -> Message:
    response = core.handle(term.seal(msg))
    assert response is not None and term.mac_ok(response)
    return response


def _query(core: HostCore, term: TerminalMessages, code: str) -> Message:
    return _ask(core, term, order_query_request(stan=term.next_stan(), tid=term.tid,
                                                mid=term.mid, batch=term.batch, code=code))


def _debit(core: HostCore, term: TerminalMessages, order_no: str, amount: int,
           pin: str | None = MEMBER.pin) -> Message:
    block = None if pin is None else encrypt_pin_block(term.working.pik,
                                                       iso0_clear(pin, MEMBER.pan))
    return _ask(core, term, party_debit_request(
        stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=term.batch,
        order_no=order_no, amount=amount, pan=MEMBER.pan, pin_block=block))


def _paid(core: HostCore, term: TerminalMessages, order_no: str,
          leg: BankLeg | PartyLeg, stan: int | None = None) -> Message:
    return _ask(core, term, order_paid_request(
        stan=stan or term.next_stan(), tid=term.tid, mid=term.mid, batch=term.batch,
        order_no=order_no, bank=leg))


def test_a_coupon_finds_its_order_at_20_percent_off(core: HostCore,
                                                    term: TerminalMessages) -> None:
    response = _query(core, term, J1_COUPON)
    info = parse_order_query_response(response)
    assert response.get(39) == "00" and info is not None
    assert (info.order_no, info.total, info.due) == ("6600000002", 50_000, 40_000)
    assert info.reason == "优惠券8折 -100.00"


@pytest.mark.parametrize(("code", "rc", "words"), [
    ("1234567890", "25", ""),
    ("6600000006", "P1", "已于2024-05-01支付\npaid on 2024-05-01"),
])
def test_an_unknown_or_paid_order_is_refused_with_the_platforms_words(
        core: HostCore, term: TerminalMessages, code: str, rc: str, words: str) -> None:
    response = _query(core, term, code)
    assert (response.get(39), parse_order_message(response)) == (rc, words)
    assert parse_order_query_response(response) is None


def test_a_bank_leg_pays_the_order_once_and_a_repeat_changes_nothing(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    sale = core.handle(term.sale(ALICE, 60_000))
    assert sale is not None and sale.get(39) == "00"
    leg = BankLeg(batch=1, stan=int(sale.get(11) or 0), rrn=sale.get(37) or "", amount=60_000)
    notice_stan = term.next_stan()
    assert _paid(core, term, "6600000001", leg, notice_stan).get(39) == "00"
    assert _paid(core, term, "6600000001", leg, notice_stan).get(39) == "00"
    order = get_order(store, "6600000001")
    assert order is not None and order.status == "paid" and order.paid_amount == 60_000
    assert len(store.entries(kind="order_paid")) == 1
    other = BankLeg(batch=1, stan=leg.stan, rrn=leg.rrn, amount=60_000)
    assert _paid(core, term, "6600000001", other).get(39) == "00"  # the same leg, new STAN
    assert _query(core, term, "6600000001").get(39) == "P1"


@pytest.mark.parametrize("change", ["amount", "rrn", "stan", "reversed"])
def test_a_notice_whose_bank_leg_is_not_in_the_ledger_is_refused_p2(
        core: HostCore, term: TerminalMessages, store: HostStore, change: str) -> None:
    request = term.sale(ALICE, 60_000)
    sale = core.handle(request)
    assert sale is not None and sale.get(39) == "00"
    leg = BankLeg(batch=1, stan=int(sale.get(11) or 0), rrn=sale.get(37) or "", amount=60_000)
    if change == "amount":
        leg = BankLeg(batch=1, stan=leg.stan, rrn=leg.rrn, amount=50_000)
    elif change == "rrn":
        leg = BankLeg(batch=1, stan=leg.stan, rrn="999999999999", amount=60_000)
    elif change == "stan":
        leg = BankLeg(batch=1, stan=leg.stan + 50, rrn=leg.rrn, amount=60_000)
    else:
        reversed_ = core.handle(term.reversal(request))
        assert reversed_ is not None and reversed_.get(39) == "00"
    assert _paid(core, term, "6600000001", leg).get(39) == "P2"
    order = get_order(store, "6600000001")
    assert order is not None and order.status == "open"


def test_a_third_party_debit_with_its_password_pays_and_its_reversal_gives_it_back(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    debit = _debit(core, term, "6600000007", 15_000)
    assert debit.get(39) == "00" and debit.get(38)
    assert store.balance(MEMBER.pan) == MEMBER.balance - 15_000
    stan = int(debit.get(11) or 0)
    assert _paid(core, term, "6600000007", PartyLeg(batch=1, stan=stan,
                                                    amount=15_000)).get(39) == "00"
    order = get_order(store, "6600000007")
    assert order is not None and order.paid_ref == f"X000001{stan:06d}"


def test_an_unanswered_third_party_debit_is_reversed_once(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    block = encrypt_pin_block(term.working.pik, iso0_clear(MEMBER.pin or "", MEMBER.pan))
    request = term.seal(party_debit_request(
        stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=1, order_no="6600000007",
        amount=15_000, pan=MEMBER.pan, pin_block=block))
    assert (core.handle(request) or Message(mti="")).get(39) == "00"
    for _ in range(2):
        answer = core.handle(term.reversal(request))
        assert answer is not None and answer.get(39) == "00"
    assert store.balance(MEMBER.pan) == MEMBER.balance


@pytest.mark.parametrize(("order_no", "amount", "pin", "rc"), [
    ("6600000001", 60_000, MEMBER.pin, "51"),     # more than the balance
    ("6600000007", 15_000, "000000", "55"),       # wrong password
    ("6600000007", 15_000, None, "55"),           # the card has one: none keyed
    ("6600000006", 20_000, MEMBER.pin, "P1"),     # the order is paid
    ("0000000000", 100, MEMBER.pin, "25"),        # no such order
])
def test_a_refused_third_party_debit_moves_nothing(
        core: HostCore, term: TerminalMessages, store: HostStore, order_no: str, amount: int,
        pin: str | None, rc: str) -> None:
    assert _debit(core, term, order_no, amount, pin).get(39) == rc
    assert store.balance(MEMBER.pan) == MEMBER.balance


def test_a_bank_card_is_not_a_third_party_card(core: HostCore,
                                               term: TerminalMessages) -> None:
    response = _ask(core, term, party_debit_request(
        stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=1, order_no="6600000007",
        amount=100, pan=ALICE.pan, pin_block=None))
    assert response.get(39) == "14"


# -- combined payment: third-party balance first, the rest by bank card -------------------


def _combo_legs(core: HostCore, term: TerminalMessages) -> tuple[Message, BankLeg, PartyLeg]:
    """Debit the member's whole balance (told by the 51 answer), the rest by Alice's card."""
    refused = _debit(core, term, "6600000001", 60_000)
    assert refused.get(39) == "51" and parse_party_balance(refused) == MEMBER.balance
    debit_request = term.seal(party_debit_request(
        stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=1, order_no="6600000001",
        amount=MEMBER.balance, pan=MEMBER.pan,
        pin_block=encrypt_pin_block(term.working.pik, iso0_clear(MEMBER.pin or "",
                                                                 MEMBER.pan))))
    debit = core.handle(debit_request)
    assert debit is not None and debit.get(39) == "00"
    rest = 60_000 - MEMBER.balance
    sale = core.handle(term.sale(ALICE, rest))
    assert sale is not None and sale.get(39) == "00"
    bank = BankLeg(batch=1, stan=int(sale.get(11) or 0), rrn=sale.get(37) or "", amount=rest)
    return debit_request, bank, PartyLeg(batch=1, stan=int(debit.get(11) or 0),
                                         amount=MEMBER.balance)


def _paid_both(core: HostCore, term: TerminalMessages, bank: BankLeg,
               party: PartyLeg) -> Message:
    return _ask(core, term, order_paid_request(
        stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=term.batch,
        order_no="6600000001", bank=bank, party=party))


def test_a_combined_notice_pays_the_order_by_both_legs(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    _, bank, party = _combo_legs(core, term)
    assert _paid_both(core, term, bank, party).get(39) == "00"
    order = get_order(store, "6600000001")
    assert order is not None and order.status == "paid" and order.paid_amount == 60_000
    assert order.paid_ref == (f"000001{bank.stan:06d}{bank.rrn}X000001{party.stan:06d}")
    assert _paid_both(core, term, bank, party).get(39) == "00"  # again: nothing moves
    assert [e.amount for e in store.entries(kind="order_paid") if e.amount] == [60_000]
    assert store.balance(MEMBER.pan) == 0


@pytest.mark.parametrize("change", ["party-reversed", "party-amount", "party-stan"])
def test_a_combined_notice_with_a_bad_third_party_leg_is_refused_p2(
        core: HostCore, term: TerminalMessages, store: HostStore, change: str) -> None:
    debit_request, bank, party = _combo_legs(core, term)
    if change == "party-reversed":  # the undo went out first
        undone = core.handle(term.reversal(debit_request))
        assert undone is not None and undone.get(39) == "00"
        assert store.balance(MEMBER.pan) == MEMBER.balance
    elif change == "party-amount":
        party = PartyLeg(batch=1, stan=party.stan, amount=party.amount + 1)
    else:
        party = PartyLeg(batch=1, stan=party.stan + 40, amount=party.amount)
    assert _paid_both(core, term, bank, party).get(39) == "P2"
    order = get_order(store, "6600000001")
    assert order is not None and order.status == "open"
