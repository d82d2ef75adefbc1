from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import KeyCheckError
from xpos.proto.codec import Message
from xpos.proto.messages import parse_voucher_response, response_check, sale_request
from xpos.refhost.core import HostCore
from xpos.refhost.faults import Fault, FaultKind
from xpos.refhost.seed import DEMO, seed_demo
from xpos.refhost.store import HostStore
from xpos.security.mac import MacAlgorithm

from .terminal import TerminalMessages, fixed_clock

ALICE = DEMO.card("alice")
BOB = DEMO.card("bob")


def answer(core: HostCore, request: Message, fault: Fault | None = None) -> Message:
    response = core.handle(request, fault)
    assert response is not None
    assert response_check(request, response) is None
    return response


@pytest.mark.parametrize("mode", ["001", "003", "004"])
@pytest.mark.parametrize("mak_kcv", ["full", "first8"])
def test_sign_on_keys_decrypt_under_the_demo_tmk_with_matching_kcvs(
        store: HostStore, mode: str, mak_kcv: str) -> None:
    core = HostCore(store, clock=fixed_clock, mak_kcv=mak_kcv)
    term = TerminalMessages(mode=mode, mak_kcv=mak_kcv)
    response = answer(core, term.sign_on_request())
    term.accept_sign_on(response)
    stored = store.terminal(DEMO.tid)
    assert response.get(39) == "00"
    assert stored is not None
    assert (stored.pik, stored.mak, stored.tdk) == (term.working.pik, term.working.mak,
                                                    term.working.tdk)
    assert (term.working.tdk is not None) == (mode == "004")


def test_terminal_rejects_sign_on_keys_when_host_and_terminal_disagree_on_mak_kcv(
        store: HostStore) -> None:
    core = HostCore(store, clock=fixed_clock, mak_kcv="first8")
    term = TerminalMessages(mak_kcv="full")
    response = answer(core, term.sign_on_request())
    with pytest.raises(KeyCheckError):
        term.accept_sign_on(response)


def test_each_sign_on_delivers_fresh_keys_and_keeps_the_batch(core: HostCore,
                                                              term: TerminalMessages) -> None:
    first = term.working
    term.accept_sign_on(answer(core, term.sign_on_request()))
    assert term.working.mak != first.mak
    assert term.batch == 1


def test_sign_on_from_unknown_terminal_is_refused_with_03_and_no_keys(core: HostCore) -> None:
    response = answer(core, TerminalMessages(tid="99999999").sign_on_request())
    assert response.get(39) == "03"
    assert response.get(62) is None


def test_sign_on_with_wrong_merchant_is_refused_with_03(core: HostCore) -> None:
    response = answer(core, TerminalMessages(mid="898100099999999").sign_on_request())
    assert response.get(39) == "03"


def test_sale_response_is_maced_with_the_terminals_mak(core: HostCore,
                                                       term: TerminalMessages) -> None:
    response = answer(core, term.sale(ALICE, 1234))
    assert response.get(39) == "00"
    assert term.mac_ok(response)


def test_sale_with_x919_mac_is_approved_and_answered_with_x919(store: HostStore) -> None:
    core = HostCore(store, clock=fixed_clock, mac_algorithm=MacAlgorithm.X919)
    term = TerminalMessages(algorithm=MacAlgorithm.X919)
    term.accept_sign_on(answer(core, term.sign_on_request()))
    response = answer(core, term.sale(ALICE, 100))
    assert response.get(39) == "00"
    assert term.mac_ok(response)


def test_sale_with_tdk_encrypted_track_is_approved(core: HostCore, store: HostStore,
                                                   term: TerminalMessages) -> None:
    response = answer(core, term.sale(ALICE, 250, encrypt_track=True))
    assert response.get(39) == "00"
    assert store.balance(ALICE.pan) == ALICE.balance - 250


def test_sale_before_any_sign_on_gets_77_and_a_resign_on_header(core: HostCore) -> None:
    term = TerminalMessages()
    plain = sale_request(stan=1, tid=term.tid, mid=term.mid, batch=1, amount=100,
                         track2=ALICE.track2, expiry=ALICE.expiry, pin_block=None)
    response = answer(core, plain.replace(set={64: "00" * 8}))
    assert response.get(39) == "77"
    assert response.header[5] == "3"


def test_sale_without_mac_is_refused_with_a0(core: HostCore, store: HostStore,
                                             term: TerminalMessages) -> None:
    response = answer(core, term.sale(ALICE, 100).replace(drop=[64]))
    assert response.get(39) == "A0"
    assert store.balance(ALICE.pan) == ALICE.balance


@pytest.mark.parametrize(("holder", "rc"), [("carol", "54"), ("dave", "62"), ("member", "57")])
def test_sale_with_unusable_card_is_declined(core: HostCore, term: TerminalMessages,
                                             holder: str, rc: str) -> None:
    response = answer(core, term.sale(DEMO.card(holder), 100))
    assert response.get(39) == rc
    assert response.get(38) is None


def test_sale_without_pin_block_for_a_pin_card_is_declined_55(core: HostCore,
                                                              term: TerminalMessages) -> None:
    assert answer(core, term.sale(ALICE, 100, pin=None)).get(39) == "55"


def test_sale_with_pin_block_under_another_key_is_declined_99(core: HostCore,
                                                              term: TerminalMessages) -> None:
    request = term.sale(ALICE, 100)
    term.accept_sign_on(answer(core, term.sign_on_request()))
    assert answer(core, term.seal(request.replace(drop=[64]))).get(39) == "99"


def test_sale_of_zero_is_declined_13(core: HostCore, term: TerminalMessages) -> None:
    plain = sale_request(stan=50, tid=term.tid, mid=term.mid, batch=1, amount=1,
                         track2=ALICE.track2, expiry=ALICE.expiry, pin_block=None)
    request = term.seal(plain.replace(set={4: "000000000000"}))
    assert answer(core, request).get(39) == "13"


def test_sale_with_unreadable_track_is_declined_30(core: HostCore, term: TerminalMessages) -> None:
    request = term.sale(ALICE, 100)
    bad = term.seal(request.replace(set={35: "6212345678901234567"}, drop=[64]))
    assert answer(core, bad).get(39) == "30"


def test_repeated_stan_with_another_amount_is_a_duplicate_94_without_debit(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    answer(core, term.sale(ALICE, 100, stan=7))
    response = answer(core, term.sale(ALICE, 200, stan=7))
    assert response.get(39) == "94"
    assert store.balance(ALICE.pan) == ALICE.balance - 100


def test_reversal_with_another_amount_than_the_sale_is_refused_64(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale = term.sale(ALICE, 100)
    answer(core, sale)
    tampered = term.reversal(sale).replace(set={4: "000000000099"}, drop=[64])
    assert answer(core, term.seal(tampered)).get(39) == "64"
    assert store.balance(ALICE.pan) == ALICE.balance - 100


def test_voucher_by_member_card_and_order_number_is_redeemed(core: HostCore,
                                                            term: TerminalMessages) -> None:
    member = DEMO.card("member")
    request = term.voucher("", method="member", order_no="202405010001", member_pan=member.pan)
    response = answer(core, request)
    info = parse_voucher_response(response)
    assert response.get(39) == "00"
    assert info is not None and info.title == "会员生日蛋糕"


def test_voucher_by_bank_card_instead_of_member_card_is_refused_14(
        core: HostCore, term: TerminalMessages) -> None:
    request = term.voucher("", method="member", order_no="202405010001", member_pan=ALICE.pan)
    assert answer(core, request).get(39) == "14"


def test_voucher_request_with_garbage_tlv_is_answered_30(core: HostCore,
                                                         term: TerminalMessages) -> None:
    request = term.voucher(DEMO.demo_voucher).replace(set={62: "DF01"}, drop=[64])
    assert answer(core, term.seal(request)).get(39) == "30"


def test_reversal_of_a_redeemed_voucher_makes_it_valid_again(core: HostCore, store: HostStore,
                                                            term: TerminalMessages) -> None:
    request = term.voucher(DEMO.demo_voucher)
    answer(core, request)
    assert answer(core, term.reversal(request)).get(39) == "00"
    again = answer(core, term.voucher(DEMO.demo_voucher))
    assert again.get(39) == "00"


def test_decline_fault_answers_the_planned_code_without_debit(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    response = answer(core, term.sale(ALICE, 100), Fault(kind=FaultKind.DECLINE, code="05"))
    assert response.get(39) == "05"
    assert term.mac_ok(response)
    assert store.balance(ALICE.pan) == ALICE.balance


def test_drop_fault_processes_the_sale_but_returns_nothing(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    assert core.handle(term.sale(ALICE, 100), Fault(kind=FaultKind.DROP)) is None
    assert store.balance(ALICE.pan) == ALICE.balance - 100


def test_bad_mac_fault_approves_but_the_response_mac_fails(core: HostCore,
                                                          term: TerminalMessages) -> None:
    response = answer(core, term.sale(ALICE, 100), Fault(kind=FaultKind.BAD_MAC))
    assert response.get(39) == "00"
    assert not term.mac_ok(response)


def test_unsupported_request_is_answered_40(core: HostCore, term: TerminalMessages) -> None:
    unknown = term.sale(ALICE, 100).replace(mti="0220", set={3: "990000"})
    response = answer(core, unknown)
    assert response.get(39) == "40"


def test_a_response_mti_sent_to_the_host_gets_no_answer(core: HostCore,
                                                        term: TerminalMessages) -> None:
    assert core.handle(term.sale(ALICE, 100).replace(mti="0210")) is None


def test_sale_request_missing_its_batch_is_answered_30(core: HostCore,
                                                       term: TerminalMessages) -> None:
    request = term.seal(term.sale(ALICE, 100).replace(drop=[60, 64]))
    assert answer(core, request).get(39) == "30"


def test_host_state_survives_reopening_the_database(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    first = HostStore(path)
    seed_demo(first)
    term = TerminalMessages()
    core = HostCore(first, clock=fixed_clock)
    term.accept_sign_on(answer(core, term.sign_on_request()))
    answer(core, term.sale(BOB, 300))
    first.close()
    second = HostStore(path)
    assert second.balance(BOB.pan) == BOB.balance - 300
    response = answer(HostCore(second, clock=fixed_clock), term.sale(BOB, 100))
    assert response.get(39) == "00"
    assert second.balance(BOB.pan) == BOB.balance - 400
    second.close()


def test_late_original_after_its_reversal_is_refused_and_not_debited(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    sale = term.sale(ALICE, 1000)
    assert answer(core, term.reversal(sale)).get(39) == "00"
    assert answer(core, sale).get(39) == "94"
    assert store.balance(ALICE.pan) == ALICE.balance


def test_late_voucher_after_its_reversal_is_refused_and_stays_valid(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    request = term.voucher(DEMO.demo_voucher)
    assert answer(core, term.reversal(request)).get(39) == "00"
    assert answer(core, request).get(39) == "94"
    voucher = store.voucher(DEMO.demo_voucher)
    assert voucher is not None and voucher.status.value == "valid"


def test_a_sign_on_without_batch_opens_one_above_every_batch_seen(
        core: HostCore, store: HostStore, term: TerminalMessages) -> None:
    term.batch = 5  # the ledger gets batch 5, the terminal row stays at 1
    assert answer(core, term.sale(ALICE, 100)).get(39) == "00"
    term.batch = 0  # a terminal that recovered its journal (docs/operations.md)
    term.accept_sign_on(answer(core, term.sign_on_request()))
    assert term.batch == 6
    store.set_batch(term.tid, 9)  # the terminal row above the ledger counts too
    term.batch = 0
    term.accept_sign_on(answer(core, term.sign_on_request()))
    assert term.batch == 10
    term.accept_sign_on(answer(core, term.sign_on_request()))  # a normal one keeps it
    assert term.batch == 10
