"""The reference host's void (0200, F3 200000): checks, credit, idempotence, reversal."""

from __future__ import annotations

from xpos.proto.codec import Message
from xpos.proto.messages import Original, response_check, void_request
from xpos.refhost.core import HostCore
from xpos.refhost.seed import DEMO, DemoCard
from xpos.refhost.store import HostStore
from xpos.security.pinblock import encrypt_pin_block, iso0_clear

from .terminal import TerminalMessages

ALICE = DEMO.card("alice")
BOB = DEMO.card("bob")


def answer(core: HostCore, request: Message) -> Message:
    response = core.handle(request)
    assert response is not None
    assert response_check(request, response) is None
    return response


def void(term: TerminalMessages, card: DemoCard, sale: Message, response: Message, *,
         amount: int | None = None, pin: str | None = "card", batch: int | None = None,
         stan: int | None = None) -> Message:
    """A void of ``sale`` (answered by ``response``) presenting ``card``."""
    keys = term.working
    pin = card.pin if pin == "card" else pin
    block = None if pin is None else encrypt_pin_block(keys.pik, iso0_clear(pin, card.pan))
    original = Original(batch=batch or term.batch, stan=int(sale.get(11) or 0),
                        rrn=response.get(37) or "", auth_code=response.get(38) or "")
    msg = void_request(original=original, stan=term.next_stan() if stan is None else stan,
                       tid=term.tid, mid=term.mid, batch=term.batch,
                       amount=int(sale.get(4) or 0) if amount is None else amount,
                       track2=card.track2.replace("=", "D"), expiry=card.expiry,
                       pin_block=block)
    return term.seal(msg)


def approved_sale(core: HostCore, term: TerminalMessages, card: DemoCard = ALICE,
                  amount: int = 1000) -> tuple[Message, Message]:
    sale = term.sale(card, amount)
    response = answer(core, sale)
    assert response.get(39) == "00"
    return sale, response


def test_void_credits_the_card_back_and_answers_with_its_own_rrn_and_auth(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert store.balance(ALICE.pan) == ALICE.balance - 1000
    request = void(term, ALICE, sale, sold)
    response = answer(core, request)
    assert response.get(39) == "00" and term.mac_ok(response)
    assert response.get(37) not in (None, sold.get(37)) and response.get(38)
    assert store.balance(ALICE.pan) == ALICE.balance
    row = store.entries(kind="void")[-1]
    assert (row.rc, row.amount, row.ref) == ("00", 1000, f"{term.batch:06d}{sale.get(11)}")
    assert ALICE.pan not in str(row) and row.masked_pan == "621234*********4567"


def test_a_repeated_void_gets_the_same_answer_without_a_second_credit(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold)
    first = answer(core, request)
    again = answer(core, request)
    assert (again.get(39), again.get(38), again.get(37)) == ("00", first.get(38), first.get(37))
    assert store.balance(ALICE.pan) == ALICE.balance


def test_a_second_void_of_the_same_sale_is_refused_94(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert answer(core, void(term, ALICE, sale, sold)).get(39) == "00"
    assert answer(core, void(term, ALICE, sale, sold)).get(39) == "94"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_void_of_an_unknown_declined_or_reversed_original_is_refused_25(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    unknown = void(term, ALICE, sale.replace(set={11: "000999"}), sold)
    assert answer(core, unknown).get(39) == "25"
    declined = term.sale(ALICE, 1000, pin="000000")
    refused = answer(core, declined)
    assert refused.get(39) == "55"
    assert answer(core, void(term, ALICE, declined, refused)).get(39) == "25"
    assert answer(core, term.reversal(sale)).get(39) == "00"
    assert answer(core, void(term, ALICE, sale, sold)).get(39) == "25"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_void_with_another_card_or_of_another_batch_is_refused_12(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert answer(core, void(term, BOB, sale, sold)).get(39) == "12"
    assert store.balance(BOB.pan) == BOB.balance
    store.set_batch(term.tid, 2)
    older = void(term, ALICE, sale, sold)
    term.batch = 2
    newer = void(term, ALICE, sale, sold, batch=1)
    assert answer(core, newer).get(39) == "12"
    assert older.get(61) == newer.get(61)
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_void_of_a_voucher_is_refused_12(core: HostCore, term: TerminalMessages) -> None:
    code = DEMO.vouchers[0].code
    redeemed = term.voucher(code)
    assert answer(core, redeemed).get(39) == "00"
    fake = redeemed.replace(set={4: "000000001000"})
    assert answer(core, void(term, ALICE, fake, Message(mti="0110", fields={}))).get(39) == "12"


def test_a_void_above_the_original_is_refused_64_and_a_wrong_pin_55(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    assert answer(core, void(term, ALICE, sale, sold, amount=1001)).get(39) == "64"
    assert answer(core, void(term, ALICE, sale, sold, pin="000000")).get(39) == "55"
    assert answer(core, void(term, ALICE, sale, sold, pin=None)).get(39) == "55"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_void_without_field_61_is_a_format_error(core: HostCore, store: HostStore,
                                                 term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = term.seal(void(term, ALICE, sale, sold).replace(drop=(61, 64)))
    assert answer(core, request).get(39) == "30"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_void_with_a_bad_mac_is_refused_a0_and_nothing_moves(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold).replace(set={64: "3030303030303030"})
    assert answer(core, request).get(39) == "A0"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_reversal_of_an_approved_void_re_debits_exactly_once(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold)
    assert answer(core, request).get(39) == "00"
    reversal = term.reversal(request)
    assert reversal.get(61) == request.get(61)
    assert answer(core, reversal).get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000
    assert answer(core, reversal).get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000
    # the sale may be voided again once its void was reversed
    assert answer(core, void(term, ALICE, sale, sold)).get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_a_void_arriving_after_its_reversal_is_refused_94(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold)
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert answer(core, request).get(39) == "94"
    assert store.balance(ALICE.pan) == ALICE.balance - 1000


def test_reversal_of_a_void_whose_credit_is_spent_is_refused_51(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term, BOB, 300)
    request = void(term, BOB, sale, sold)
    assert answer(core, request).get(39) == "00"
    approved_sale(core, term, BOB, store.balance(BOB.pan))
    assert store.balance(BOB.pan) == 0
    assert answer(core, term.reversal(request)).get(39) == "51"
    assert store.balance(BOB.pan) == 0
    assert [e.reversed for e in store.entries(kind="void")] == [False]


def test_void_of_zero_is_refused_13(core: HostCore, term: TerminalMessages) -> None:
    sale, sold = approved_sale(core, term)
    request = void(term, ALICE, sale, sold).replace(set={4: "000000000000"}, drop=(64,))
    assert answer(core, term.seal(request)).get(39) == "13"
