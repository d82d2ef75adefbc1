"""The reference host's refund (0220), balance inquiry (0200 310000) and partial void."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xpos.proto.codec import Message
from xpos.proto.refund import RefundOriginal, balance_request, parse_balance, refund_request
from xpos.refhost.core import HostCore
from xpos.refhost.seed import DEMO, DemoCard
from xpos.refhost.store import HostStore
from xpos.security.pinblock import encrypt_pin_block, iso0_clear

from .terminal import NOW, TerminalMessages
from .test_host_void import ALICE, BOB, answer, approved_sale, void


def refund(term: TerminalMessages, card: DemoCard, sold: Message, amount: int, *,
           date: str | None = None, rrn: str | None = None, pin: str | None = None) -> Message:
    """A refund of the sale answered by ``sold`` presenting ``card`` (no PIN by default)."""
    block = None if pin is None else encrypt_pin_block(term.working.pik, iso0_clear(pin, card.pan))
    original = RefundOriginal(rrn=rrn or sold.get(37) or "", date=date or NOW.strftime("%m%d"))
    msg = refund_request(original=original, stan=term.next_stan(), tid=term.tid, mid=term.mid,
                         batch=term.batch, amount=amount, track2=card.track2.replace("=", "D"),
                         expiry=card.expiry, pin_block=block)
    return term.seal(msg)


def balance(term: TerminalMessages, card: DemoCard, pin: str | None) -> Message:
    block = (encrypt_pin_block(term.working.pik, iso0_clear(pin, card.pan)) if pin
             else bytes(8))
    msg = balance_request(stan=term.next_stan(), tid=term.tid, mid=term.mid, batch=term.batch,
                          track2=card.track2.replace("=", "D"), expiry=card.expiry,
                          pin_block=block)
    return term.seal(msg if pin is not None else msg.replace(drop=(26, 52)))


def test_a_refund_credits_the_card_and_is_answered_0230_with_a_mac(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    _, sold = approved_sale(core, term)
    response = answer(core, refund(term, ALICE, sold, 1000))
    assert response.mti == "0230" and response.get(39) == "00" and term.mac_ok(response)
    assert response.get(38) and response.get(37) != sold.get(37)
    assert store.balance(ALICE.pan) == ALICE.balance
    row = store.entries(kind="refund")[-1]
    assert (row.rc, row.amount, row.ref) == ("00", 1000, sold.get(37))
    assert ALICE.pan not in str(row)


def test_partial_refunds_up_to_the_remaining_amount_then_61(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    _, sold = approved_sale(core, term)
    assert answer(core, refund(term, ALICE, sold, 300)).get(39) == "00"
    assert answer(core, refund(term, ALICE, sold, 701)).get(39) == "61"
    assert answer(core, refund(term, ALICE, sold, 700)).get(39) == "00"
    assert answer(core, refund(term, ALICE, sold, 1)).get(39) == "61"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_a_repeated_refund_is_answered_again_without_a_second_credit(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    _, sold = approved_sale(core, term)
    request = refund(term, ALICE, sold, 400)
    first, again = answer(core, request), answer(core, request)
    assert (again.get(39), again.get(38)) == ("00", first.get(38))
    assert store.balance(ALICE.pan) == ALICE.balance - 600


@pytest.mark.parametrize(("change", "rc"), [
    ({"rrn": "999999999999"}, "25"),
    ({"date": "0101"}, "25"),
])
def test_an_unknown_original_or_a_wrong_date_is_25(
        core: HostCore, store: HostStore, term: TerminalMessages, change: dict[str, str],
        rc: str) -> None:
    _, sold = approved_sale(core, term)
    assert answer(core, refund(term, ALICE, sold, 100, **change)).get(39) == rc
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_another_card_a_reversed_sale_or_an_old_sale_is_12(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert answer(core, refund(term, BOB, sold, 100)).get(39) == "12"
    assert answer(core, term.reversal(sale)).get(39) == "00"
    assert answer(core, refund(term, ALICE, sold, 100)).get(39) == "12"
    _, later = approved_sale(core, term)
    core.context.clock = lambda: NOW + timedelta(days=31)
    assert answer(core, refund(term, ALICE, later, 100, date=NOW.strftime("%m%d"))
                  ).get(39) == "12"
    core.context.refund_window_days = 40
    assert answer(core, refund(term, ALICE, later, 100)).get(39) == "00"


def test_a_wrong_pin_on_a_refund_is_55_and_no_pin_is_fine(
        core: HostCore, term: TerminalMessages) -> None:
    _, sold = approved_sale(core, term)
    assert answer(core, refund(term, ALICE, sold, 100, pin="000000")).get(39) == "55"
    assert answer(core, refund(term, ALICE, sold, 100, pin=ALICE.pin)).get(39) == "00"


def test_a_voided_sale_has_nothing_left_to_refund_and_a_refunded_one_cannot_be_voided_whole(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert answer(core, refund(term, ALICE, sold, 200)).get(39) == "00"
    assert answer(core, void(term, ALICE, sale, sold)).get(39) == "64"
    assert answer(core, void(term, ALICE, sale, sold, amount=800)).get(39) == "00"
    assert answer(core, refund(term, ALICE, sold, 1)).get(39) == "61"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_partial_void_credits_only_its_amount_and_its_reversal_takes_that_back(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold, amount=400)
    assert answer(core, request).get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 600
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000
    assert answer(core, refund(term, ALICE, sold, 1000)).get(39) == "00"


def test_partial_void_refused_40_where_the_issuer_says_no(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term, BOB, 500)
    assert store.card(BOB.pan) is not None and not store.card(BOB.pan).allow_partial
    assert answer(core, void(term, BOB, sale, sold, amount=100)).get(39) == "40"
    assert store.balance(BOB.pan) == 0
    assert answer(core, void(term, BOB, sale, sold)).get(39) == "00"
    assert store.balance(BOB.pan) == BOB.balance


def test_balance_answers_the_ledger_balance_in_field_54(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    approved_sale(core, term)
    response = answer(core, balance(term, ALICE, ALICE.pin))
    assert response.get(39) == "00" and term.mac_ok(response)
    assert response.get(54) == "1002156C" + f"{ALICE.balance - 1000:012d}"
    assert parse_balance(response) == ALICE.balance - 1000
    row = store.entries(kind="balance")[-1]
    assert (row.rc, row.amount) == ("00", 0)


@pytest.mark.parametrize(("card", "pin", "rc"), [
    (ALICE, "000000", "55"), (ALICE, None, "55"), (DEMO.card("carol"), "111111", "54"),
    (DEMO.card("dave"), "222222", "62"),
])
def test_balance_refusals_carry_no_balance(core: HostCore, term: TerminalMessages,
                                           card: DemoCard, pin: str | None, rc: str) -> None:
    response = answer(core, balance(term, card, pin))
    assert response.get(39) == rc and response.get(54) is None
