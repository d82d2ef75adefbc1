"""X1 redemption in parts at the reference host: query, N of M, X void, reversals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xpos.proto.codec import Message
from xpos.proto.messages import parse_voucher_response, response_check
from xpos.proto.voucher import voucher_request
from xpos.proto.voucher_x import VoucherVoidOriginal, voucher_query_request, voucher_void_request
from xpos.refhost.core import HostCore
from xpos.refhost.redeem_store import redemption, set_void_window
from xpos.refhost.seed import DEMO
from xpos.refhost.store import HostStore

from .terminal import NOW, TerminalMessages

GYM = "883300112239"  # 健身次卡: 5 items of 30.00


class Clock:
    """A host clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(store: HostStore, clock: Clock) -> HostCore:
    return HostCore(store, clock=clock)


def answer(core: HostCore, request: Message) -> Message:
    response = core.handle(request)
    assert response is not None
    assert response_check(request, response) is None
    return response


def query(term: TerminalMessages, code: str) -> Message:
    return term.seal(voucher_query_request(stan=term.next_stan(), tid=term.tid, mid=term.mid,
                                           batch=term.batch, code=code, method="keyed"))


def redeem(term: TerminalMessages, code: str, units: int | None, *,
           stan: int | None = None) -> Message:
    return term.seal(voucher_request(stan=term.next_stan() if stan is None else stan,
                                     tid=term.tid, mid=term.mid, batch=term.batch, code=code,
                                     method="keyed", units=units))


def void(term: TerminalMessages, original: Message, *, stan: int | None = None) -> Message:
    ref = VoucherVoidOriginal(batch=term.batch, stan=int(original.get(11) or 0))
    return term.seal(voucher_void_request(stan=term.next_stan() if stan is None else stan,
                                          tid=term.tid, mid=term.mid, batch=term.batch,
                                          original=ref))


def left(store: HostStore, code: str = GYM) -> tuple[int, str]:
    row = store.voucher(code)
    assert row is not None
    return row.quantity, row.status.value


def test_the_query_tells_items_value_and_validity_and_redeems_nothing(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    response = answer(core, query(term, GYM))
    info = parse_voucher_response(response)
    assert response.get(39) == "00" and term.mac_ok(response)
    assert info is not None
    assert (info.title, info.quantity, info.value, info.expires) == ("健身次卡", 5, 3000,
                                                                      "2099-12-31")
    assert left(store) == (5, "valid")
    assert [e.kind for e in store.entries(tid=DEMO.tid)][-1] == "voucher_query"


@pytest.mark.parametrize(("code", "rc", "words"), [
    ("883300112234", "V1", "已于2024-05-01使用"),
    ("883300112235", "V2", "有效期至2020-12-31"),
    ("883300112240", "V3", "2099-12-24起可用"),
    ("883300112241", "V4", "仅限指定商户使用"),
])
def test_a_refused_query_says_why_in_words(core: HostCore, term: TerminalMessages, code: str,
                                           rc: str, words: str) -> None:
    response = answer(core, query(term, code))
    info = parse_voucher_response(response)
    assert response.get(39) == rc
    assert info is not None and info.message.startswith(words)


def test_unknown_voucher_query_is_25_without_data(core: HostCore,
                                                  term: TerminalMessages) -> None:
    response = answer(core, query(term, "999999999999"))
    assert (response.get(39), response.get(62)) == ("25", None)


def test_n_of_m_then_the_rest_then_used(core: HostCore, store: HostStore,
                                        term: TerminalMessages) -> None:
    first = answer(core, redeem(term, GYM, 2))
    info = parse_voucher_response(first)
    assert first.get(39) == "00" and info is not None and (info.quantity, info.units) == (3, 2)
    assert left(store) == (3, "valid")
    assert answer(core, redeem(term, GYM, 4)).get(39) == "V5"  # more than left
    assert left(store) == (3, "valid")
    rest = parse_voucher_response(answer(core, redeem(term, GYM, None)))  # no DF33: all
    assert rest is not None and (rest.quantity, rest.units) == (0, 3)
    assert left(store) == (0, "used")
    assert answer(core, redeem(term, GYM, 1)).get(39) == "V1"


def test_a_repeated_redemption_is_answered_again_and_not_taken_twice(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    request = redeem(term, GYM, 2)
    assert answer(core, request).get(39) == "00"
    again = answer(core, request)
    assert again.get(39) == "00"
    info = parse_voucher_response(again)
    assert info is not None and info.units == 2
    assert left(store) == (3, "valid")


def test_reversal_of_a_partial_redemption_gives_the_items_back_once(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    request = redeem(term, GYM, 2)
    answer(core, request)
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert left(store) == (5, "valid")
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert left(store) == (5, "valid")


def test_x_void_puts_the_items_back_marks_the_redemption_and_a_second_is_v6(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    redeemed = redeem(term, GYM, 2)
    answer(core, redeemed)
    response = answer(core, void(term, redeemed))
    info = parse_voucher_response(response)
    assert response.get(39) == "00" and term.mac_ok(response)
    assert info is not None and (info.quantity, info.units) == (5, 2)
    assert left(store) == (5, "valid")
    original = store.find(DEMO.tid, term.batch, int(redeemed.get(11) or 0), ("voucher",))
    assert original is not None
    done = redemption(store, original.id)
    assert done is not None and done.voided_by is not None
    second = answer(core, void(term, redeemed))
    assert second.get(39) == "V6"
    assert (parse_voucher_response(second) or info).message.startswith("已于")
    assert left(store) == (5, "valid")


def test_a_repeated_void_is_answered_again_and_restores_once(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    redeemed = redeem(term, GYM, 2)
    answer(core, redeemed)
    request = void(term, redeemed)
    assert answer(core, request).get(39) == "00"
    assert answer(core, request).get(39) == "00"
    assert left(store) == (5, "valid")


def test_reversal_of_a_void_takes_the_items_again(core: HostCore, store: HostStore,
                                                  term: TerminalMessages) -> None:
    redeemed = redeem(term, GYM, 2)
    answer(core, redeemed)
    request = void(term, redeemed)
    answer(core, request)
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert left(store) == (3, "valid")
    assert answer(core, void(term, redeemed)).get(39) == "00"  # it may be voided again
    assert left(store) == (5, "valid")


def test_void_outside_the_window_is_v7_and_changes_nothing(
        core: HostCore, store: HostStore, term: TerminalMessages, clock: Clock) -> None:
    redeemed = redeem(term, GYM, 1)
    answer(core, redeemed)
    clock.now = NOW + timedelta(hours=24)   # the default window: 24 h, exclusive
    response = answer(core, void(term, redeemed))
    info = parse_voucher_response(response)
    assert response.get(39) == "V7"
    assert info is not None and info.message.startswith("超过24小时不能撤销")
    assert left(store) == (4, "valid")


def test_a_providers_own_window_wins(core: HostCore, store: HostStore,
                                     term: TerminalMessages, clock: Clock) -> None:
    set_void_window(store, DEMO.provider_id, 3600)
    redeemed = redeem(term, GYM, 1)
    answer(core, redeemed)
    clock.now = NOW + timedelta(minutes=59)
    assert answer(core, void(term, redeemed)).get(39) == "00"
    redeemed = redeem(term, GYM, 1)
    answer(core, redeemed)
    clock.now += timedelta(hours=1)
    assert answer(core, void(term, redeemed)).get(39) == "V7"


def test_void_of_no_redemption_is_25(core: HostCore, term: TerminalMessages) -> None:
    queried = query(term, GYM)
    answer(core, queried)          # a query is no redemption
    assert answer(core, void(term, queried)).get(39) == "25"


def test_void_with_garbage_tlv_is_30(core: HostCore, term: TerminalMessages) -> None:
    redeemed = redeem(term, GYM, 1)
    answer(core, redeemed)
    bad = term.seal(void(term, redeemed).replace(set={62: "DF3402"}, drop=[64]))
    assert answer(core, bad).get(39) == "30"


def test_an_x_void_sent_to_the_acquirer_is_answered_40(core: HostCore,
                                                       term: TerminalMessages) -> None:
    redeemed = redeem(term, GYM, 1)
    answer(core, redeemed)
    misrouted = void(term, redeemed).replace(tpdu="6000030000")
    assert answer(core, misrouted).get(39) == "40"
