from __future__ import annotations

from pathlib import Path

import pytest

from xpos.refhost.redeem_store import terms_of
from xpos.refhost.rows import CardStatus, VoucherStatus
from xpos.refhost.seed import DEMO, REDEEM_VOUCHERS, seed_demo, track2_for
from xpos.refhost.store import HostStore
from xpos.security.kcv import kcv
from xpos.security.keys import combine_components


def test_track2_of_alice_is_the_reference_track() -> None:
    assert track2_for("6212345678901234567", "3012") == "6212345678901234567=30121010000000000"
    assert DEMO.card("alice").track2 == "6212345678901234567=30121010000000000"


def test_demo_tmk_is_the_xor_of_its_components_and_its_kcv_is_six_hex_digits() -> None:
    a, b = (bytes.fromhex(c) for c in DEMO.tmk_components)
    assert all(len(c) == 32 for c in DEMO.tmk_components)
    assert DEMO.tmk == combine_components([a, b])
    assert DEMO.tmk_kcv == kcv(DEMO.tmk, 3).hex().upper()
    assert len(DEMO.tmk_kcv) == 6
    assert DEMO.tmk[:8] != DEMO.tmk[8:]  # a real double-length key, not single DES


def test_demo_constants_match_the_brief() -> None:
    assert (DEMO.merchant_name, DEMO.mid, DEMO.tid) == ("X-POS演示商户", "898100012340001",
                                                        "10000001")
    alice, bob, carol = DEMO.card("alice"), DEMO.card("bob"), DEMO.card("carol")
    assert (alice.pan, alice.pin, alice.balance) == ("6212345678901234567", "123456", 100_000)
    assert (bob.pan, bob.pin, bob.balance) == ("6222020000000000001", "888888", 500)
    assert (carol.pan, carol.expiry) == ("6222020000000000019", "2001")
    assert any(c.status is CardStatus.BLOCKED for c in DEMO.cards)
    assert DEMO.voucher(DEMO.demo_voucher).title == "冰淇淋蛋糕"
    assert DEMO.voucher("883300112234").status is VoucherStatus.USED
    assert DEMO.voucher("883300112235").expires < "2025-01-01"
    assert sum(v.status is VoucherStatus.VALID and v.expires > "2030" for v in DEMO.vouchers) >= 3


def test_unknown_demo_names_raise_key_error() -> None:
    with pytest.raises(KeyError):
        DEMO.card("mallory")
    with pytest.raises(KeyError):
        DEMO.voucher("000000000000")


def test_seeded_store_holds_every_demo_card_and_voucher(store: HostStore) -> None:
    for card in DEMO.cards:
        row = store.card(card.pan)
        assert row is not None
        assert (row.balance, row.status, row.kind) == (card.balance, card.status, card.kind)
    for voucher in DEMO.vouchers:
        stored = store.voucher(voucher.code)
        assert stored is not None and stored.provider_name == "团购演示"
        assert stored.status is voucher.status
    assert store.merchant_name(DEMO.mid) == DEMO.merchant_name


def test_reference_host_doc_lists_the_demo_values() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "reference-host.md").read_text("utf-8")
    values = [DEMO.mid, DEMO.tid, DEMO.tmk_kcv, *DEMO.tmk_components]
    values += [c.pan for c in DEMO.cards] + [c.pin or "" for c in DEMO.cards]
    values += [v.code for v in DEMO.vouchers] + [v.title for v in DEMO.vouchers]
    values += [v.code for v in REDEEM_VOUCHERS] + [v.title for v in REDEEM_VOUCHERS]
    assert [v for v in values if v not in doc] == []


def test_the_redemption_vouchers_are_seeded_with_their_terms(tmp_path: Path) -> None:
    store = HostStore(tmp_path / "host.db")
    try:
        seed_demo(store)
        for voucher in REDEEM_VOUCHERS:
            row = store.voucher(voucher.code)
            assert row is not None and row.quantity == voucher.quantity
            terms = terms_of(store, voucher.code)
            assert (terms.value, terms.valid_from, terms.mid) == (voucher.value,
                                                                  voucher.valid_from, voucher.mid)
    finally:
        store.close()


def test_refresh_demo_restores_cards_and_vouchers_but_keeps_keys_and_ledger(
        tmp_path: Path) -> None:
    from datetime import datetime

    from xpos.refhost.rows import LedgerDraft
    from xpos.refhost.seed import refresh_demo, seed_demo

    store = HostStore(tmp_path / "host.db")
    seed_demo(store)
    alice = store.card(DEMO.card("alice").pan)
    assert alice is not None
    when = datetime(2026, 11, 26, 12, 0)
    key = bytes(range(16))
    batch = store.set_working_keys(DEMO.tid, pik=key, mak=key, tdk=None, when=when)
    store.debit(LedgerDraft(tid=DEMO.tid, stan=2, batch=batch, kind="sale", amount=700,
                            masked_pan="621234*********4567", rc="00", when=when,
                            account=alice.id))
    store.redeem("883300112233", LedgerDraft(tid=DEMO.tid, stan=3, batch=batch,
                                             kind="voucher", amount=0, masked_pan="",
                                             rc="00", when=when))
    store.set_card_status(DEMO.card("bob").pan, CardStatus.BLOCKED)

    refresh_demo(store)

    assert store.balance(DEMO.card("alice").pan) == DEMO.card("alice").balance
    bob = store.card(DEMO.card("bob").pan)
    assert bob is not None and bob.status is CardStatus.ACTIVE
    voucher = store.voucher("883300112233")
    assert voucher is not None and voucher.status is VoucherStatus.VALID
    used = store.voucher("883300112234")
    assert used is not None and used.status is VoucherStatus.USED and used.used_at
    terminal = store.terminal(DEMO.tid)
    assert terminal is not None and terminal.pik == key
    assert len(store.entries(tid=DEMO.tid)) == 2
    store.close()
