"""The reference host's pre-authorisation family: holds, money, refusals, reversals."""

from __future__ import annotations

from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message
from xpos.proto.messages import response_check
from xpos.proto.preauth import PreauthOriginal, preauth_family_request
from xpos.refhost import holds
from xpos.refhost.core import HostCore
from xpos.refhost.faults import Fault, FaultKind
from xpos.refhost.seed import DEMO, DemoCard
from xpos.refhost.store import HostStore

from .terminal import TerminalMessages, fixed_clock

ALICE = DEMO.card("alice")
BOB = DEMO.card("bob")
DATE = fixed_clock().strftime("%m%d")


def send(core: HostCore, term: TerminalMessages, kind: MessageKind, amount: int, *,
         card: DemoCard = ALICE, original: PreauthOriginal | None = None,
         pin: str | None = "card", stan: int | None = None) -> tuple[Message, Message]:
    sale = term.sale(card, amount, pin=pin, stan=stan).replace(drop=[64])
    request = term.seal(preauth_family_request(kind, sale, batch=term.batch,
                                               original=original))
    response = core.handle(request)
    assert response is not None and response_check(request, response) is None
    assert term.mac_ok(response)
    return request, response


def of(response: Message, request: Message) -> PreauthOriginal:
    """The original that ``response`` (to ``request``) makes, as later requests name it."""
    return PreauthOriginal(auth_code=response.get(38) or "", date=response.get(13) or "",
                           batch=int((request.get(60) or "")[2:8]),
                           stan=int(request.get(11) or 0))


def hold_states(store: HostStore, card: DemoCard = ALICE) -> list[tuple[int, str]]:
    row = store.card(card.pan)
    assert row is not None
    return [(h.amount, h.status) for h in holds.holds(store, row.id)]


def test_a_preauth_holds_without_debiting_and_a_repeat_is_answered_the_same(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    request, response = send(core, term, MessageKind.PREAUTH, 5000)
    assert (response.mti, response.get(39), response.get(25)) == ("0110", "00", "06")
    assert len(response.get(38) or "") == 6
    assert store.balance(ALICE.pan) == ALICE.balance
    assert hold_states(store) == [(5000, "held")]
    again = core.handle(request)
    assert again is not None and again.get(38) == response.get(38)
    assert hold_states(store) == [(5000, "held")]
    entry = store.entries(kind="preauth")[-1]
    assert entry.masked_pan == "621234*********4567" and ALICE.pan not in repr(entry)


def test_preauths_cannot_hold_more_than_the_balance(core: HostCore, term: TerminalMessages,
                                                    store: HostStore) -> None:
    send(core, term, MessageKind.PREAUTH, ALICE.balance - 100)
    _, refused = send(core, term, MessageKind.PREAUTH, 101)
    assert refused.get(39) == "51" and refused.get(38) is None
    _, fits = send(core, term, MessageKind.PREAUTH, 100)
    assert fits.get(39) == "00"


def test_void_releases_the_hold_and_its_reversal_holds_it_again(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    pre, answer = send(core, term, MessageKind.PREAUTH, 5000)
    original = of(answer, pre)
    _, wrong = send(core, term, MessageKind.PREAUTH_VOID, 4000, original=original)
    assert wrong.get(39) == "64"
    void, voided = send(core, term, MessageKind.PREAUTH_VOID, 5000, original=original)
    assert voided.get(39) == "00"
    assert hold_states(store) == [(5000, "released")]
    _, after = send(core, term, MessageKind.COMPLETION, 100, original=original)
    assert after.get(39) == "12"
    for _ in range(2):  # a second reversal changes nothing
        reversed_ = core.handle(term.reversal(void))
        assert reversed_ is not None and reversed_.get(39) == "00"
        assert hold_states(store) == [(5000, "held")]
    _, completed = send(core, term, MessageKind.COMPLETION, 5000, original=original)
    assert completed.get(39) == "00"


def test_completion_debits_at_most_the_hold_once_and_its_reversal_credits_back(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    pre, answer = send(core, term, MessageKind.PREAUTH, 5000)
    original = of(answer, pre)
    _, over = send(core, term, MessageKind.COMPLETION, 5001, original=original)
    assert over.get(39) == "61" and store.balance(ALICE.pan) == ALICE.balance
    completion, done = send(core, term, MessageKind.COMPLETION, 4500, original=original)
    assert done.get(39) == "00" and store.balance(ALICE.pan) == ALICE.balance - 4500
    assert hold_states(store) == [(5000, "completed")]
    _, twice = send(core, term, MessageKind.COMPLETION, 100, original=original)
    assert twice.get(39) == "12"
    reversed_ = core.handle(term.reversal(completion))
    assert reversed_ is not None and reversed_.get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance
    assert hold_states(store) == [(5000, "held")]


def test_completion_void_credits_back_once_and_its_reversal_debits_again(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    pre, answer = send(core, term, MessageKind.PREAUTH, 5000)
    completion, done = send(core, term, MessageKind.COMPLETION, 3000,
                            original=of(answer, pre))
    target = of(done, completion)
    _, wrong = send(core, term, MessageKind.COMPLETION_VOID, 2000, original=target)
    assert wrong.get(39) == "64"
    void, voided = send(core, term, MessageKind.COMPLETION_VOID, 3000, original=target)
    assert voided.get(39) == "00" and store.balance(ALICE.pan) == ALICE.balance
    _, again = send(core, term, MessageKind.COMPLETION_VOID, 3000, original=target)
    assert again.get(39) == "12"
    reversed_ = core.handle(term.reversal(void))
    assert reversed_ is not None and reversed_.get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 3000
    assert hold_states(store) == [(5000, "completed")]  # a completion void frees no hold


def test_unknown_originals_other_cards_and_wrong_pins_are_refused(
        core: HostCore, term: TerminalMessages, store: HostStore) -> None:
    pre, answer = send(core, term, MessageKind.PREAUTH, 300)
    original = of(answer, pre)
    keyed = PreauthOriginal(auth_code=original.auth_code, date=original.date)
    unknown = PreauthOriginal(auth_code="000000" if original.auth_code != "000000"
                              else "111111", date=original.date)
    other_day = PreauthOriginal(auth_code=original.auth_code,
                                date="0101" if DATE != "0101" else "0102")
    assert send(core, term, MessageKind.COMPLETION, 100, original=unknown)[1].get(39) == "25"
    assert send(core, term, MessageKind.COMPLETION, 100, original=other_day)[1].get(39) == "25"
    assert send(core, term, MessageKind.COMPLETION, 100, original=keyed,
                card=BOB)[1].get(39) == "25"
    assert send(core, term, MessageKind.COMPLETION, 100, original=keyed,
                pin="000000")[1].get(39) == "55"
    assert send(core, term, MessageKind.COMPLETION, 100, original=keyed)[1].get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 100


def test_a_declined_fault_on_a_completion_is_a_maced_0210(core: HostCore,
                                                          term: TerminalMessages) -> None:
    pre, answer = send(core, term, MessageKind.PREAUTH, 300)
    sale = term.sale(ALICE, 100).replace(drop=[64])
    request = term.seal(preauth_family_request(MessageKind.COMPLETION, sale, batch=term.batch,
                                               original=of(answer, pre)))
    response = core.handle(request, Fault(kind=FaultKind.DECLINE, code="05"))
    assert response is not None and response.mti == "0210" and response.get(39) == "05"
    assert term.mac_ok(response)


def test_the_reversal_of_an_unknown_family_request_is_taken(core: HostCore,
                                                            term: TerminalMessages) -> None:
    sale = term.sale(ALICE, 100).replace(drop=[64])
    lost = preauth_family_request(MessageKind.PREAUTH, sale, batch=term.batch)
    answer = core.handle(term.reversal(lost))
    assert answer is not None and answer.get(39) == "00"
