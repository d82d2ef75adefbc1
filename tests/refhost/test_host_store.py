from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from xpos.errors import ConfigError
from xpos.refhost.rows import LedgerDraft, hash_pin, pin_matches
from xpos.refhost.schema import SCHEMA_VERSION
from xpos.refhost.seed import DEMO, seed_demo
from xpos.refhost.store import HostStore

from .terminal import NOW

ALICE = DEMO.card("alice")


def sale_draft(store: HostStore, *, amount: int, stan: int = 1) -> LedgerDraft:
    card = store.card(ALICE.pan)
    assert card is not None
    return LedgerDraft(tid=DEMO.tid, stan=stan, batch=1, kind="sale", amount=amount,
                       masked_pan="621234*********4567", rc="00", when=NOW,
                       auth_code="123456", account=card.id)


def reversal_draft(stan: int = 1) -> LedgerDraft:
    return LedgerDraft(tid=DEMO.tid, stan=stan, batch=1, kind="reversal", amount=0,
                       masked_pan="", rc="00", when=NOW)


def test_database_uses_wal_full_sync_and_the_schema_version(store: HostStore) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_seeding_twice_keeps_one_copy_and_does_not_reset_balances(store: HostStore) -> None:
    assert store.debit(sale_draft(store, amount=500)) is not None
    seed_demo(store)
    rows = store._db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    assert rows == len(DEMO.cards)
    assert store.balance(ALICE.pan) == ALICE.balance - 500


def test_database_never_holds_a_clear_pin(store: HostStore) -> None:
    wal = store.path.with_name(store.path.name + "-wal")
    raw = store.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    bob = DEMO.card("bob")
    card = store.card(bob.pan)
    assert card is not None and card.pin_hash is not None and bob.pin is not None
    assert b"pbkdf2_sha256$" in raw
    assert bob.pin.encode() not in raw
    assert pin_matches(card.pin_hash, bob.pin)


def test_pin_hash_is_salted_and_checks_only_the_right_pin() -> None:
    one, two = hash_pin("123456"), hash_pin("123456")
    assert one != two
    assert pin_matches(one, "123456")
    assert not pin_matches(one, "123457")
    assert not pin_matches("garbage", "123456")


def test_debit_is_refused_without_a_trace_when_the_balance_is_too_low(store: HostStore) -> None:
    assert store.debit(sale_draft(store, amount=ALICE.balance + 1)) is None
    assert store.balance(ALICE.pan) == ALICE.balance
    assert store.entries() == []


def test_debit_and_its_ledger_row_are_written_together(store: HostStore) -> None:
    entry = store.debit(sale_draft(store, amount=1234))
    assert entry is not None
    assert store.balance(ALICE.pan) == ALICE.balance - 1234
    assert store.entries() == [entry]
    assert entry.rrn == f"250601{entry.id:06d}"


def test_a_failing_transaction_rolls_back_the_debit(store: HostStore) -> None:
    draft = sale_draft(store, amount=100)
    store.debit(draft)
    with pytest.raises(sqlite3.IntegrityError):
        store.debit(draft)  # second approval of the same STAN violates the ledger index
    assert store.balance(ALICE.pan) == ALICE.balance - 100


def test_reversal_credits_back_exactly_once(store: HostStore) -> None:
    entry = store.debit(sale_draft(store, amount=700))
    assert entry is not None
    assert store.reverse(entry, reversal_draft()) is True
    assert store.reverse(entry, reversal_draft()) is False
    assert store.balance(ALICE.pan) == ALICE.balance
    assert store.entry(entry.id).reversed
    assert [e.kind for e in store.entries()] == ["sale", "reversal", "reversal"]


def test_voucher_is_redeemed_once(store: HostStore) -> None:
    draft = LedgerDraft(tid=DEMO.tid, stan=3, batch=1, kind="voucher", amount=0, masked_pan="",
                        rc="00", when=NOW, ref=DEMO.demo_voucher)
    assert store.redeem(DEMO.demo_voucher, draft) is not None
    assert store.redeem(DEMO.demo_voucher, draft) is None
    voucher = store.voucher(DEMO.demo_voucher)
    assert voucher is not None
    assert (voucher.status.value, voucher.used_by_tid) == ("used", DEMO.tid)


def test_key_material_and_pan_stay_out_of_reprs(store: HostStore) -> None:
    store.set_working_keys(DEMO.tid, pik=b"\x11" * 16, mak=b"\x22" * 16, tdk=None, when=NOW)
    terminal, card = store.terminal(DEMO.tid), store.card(ALICE.pan)
    assert "1111" not in repr(terminal) and DEMO.tmk.hex() not in repr(terminal).lower()
    assert ALICE.pan not in repr(card)


def test_a_file_that_is_not_a_database_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError):
        HostStore(path)


def test_a_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(ConfigError):
        HostStore(path)


def test_a_directory_in_place_of_the_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "host.db"
    path.mkdir()
    with pytest.raises(ConfigError, match="cannot open host database: the path is a directory"):
        HostStore(path)
