from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from xpos.errors import ConfigError, KeyCheckError, KeyMissingError
from xpos.security.kcv import kcv
from xpos.security.keys import WorkingKeys
from xpos.security.keystore import KeyStore

TMK_HEX = "0123456789ABCDEFFEDCBA9876543210"
TMK = bytes.fromhex(TMK_HEX)
C1 = "F0E1D2C3B4A5968778695A4B3C2D1E0F"
C2 = bytes(a ^ b for a, b in zip(TMK, bytes.fromhex(C1), strict=True)).hex().upper()
KEYS = WorkingKeys(pik=bytes(range(16)), mak=bytes(range(16, 32)), tdk=bytes(range(32, 48)))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "keystore.json"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_load_tmk_from_two_components_with_6_hex_kcv(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    assert store.tmk == TMK
    assert store.has_tmk
    assert store.tmk_kcv == "08D7B4"
    assert KeyStore(store_path).tmk == TMK


def test_key_file_is_mode_0600(store_path: Path) -> None:
    KeyStore(store_path).load_tmk([C1, C2], "08D7B4")
    assert _mode(store_path) == 0o600


def test_rewrite_restores_mode_0600(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store_path.chmod(0o644)
    store.set_working_keys(KEYS)
    assert _mode(store_path) == 0o600


def test_atomic_write_leaves_no_temporary_files(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(KEYS)
    store.clear_working_keys()
    assert [p.name for p in store_path.parent.iterdir()] == [store_path.name]


def test_three_components_lower_case_spaces_and_8_hex_kcv(store_path: Path) -> None:
    c3 = "00112233445566778899AABBCCDDEEFF"
    c2 = bytes(a ^ b for a, b in zip(bytes.fromhex(C2), bytes.fromhex(c3), strict=True)).hex()
    spaced = " ".join(C1[i : i + 4] for i in range(0, 32, 4))
    store = KeyStore(store_path)
    store.load_tmk([spaced.lower(), c2, c3], "08d7b4fb")
    assert store.tmk == TMK


def test_48_hex_components_make_a_triple_length_tmk(store_path: Path) -> None:
    c1, c2 = "11" * 24, "22" * 24
    tmk = bytes([0x33] * 24)
    store = KeyStore(store_path)
    store.load_tmk([c1, c2], kcv(tmk, 3).hex())
    assert store.tmk == tmk


def test_wrong_kcv_stores_nothing_when_no_file_exists(store_path: Path) -> None:
    store = KeyStore(store_path)
    with pytest.raises(KeyCheckError) as info:
        store.load_tmk([C1, C2], "08D7B5")
    assert info.value.key_name == "TMK"
    assert not store_path.exists()
    assert not store.has_tmk


def test_wrong_kcv_leaves_an_existing_file_unchanged(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(KEYS)
    before = store_path.read_bytes()
    with pytest.raises(KeyCheckError):
        store.load_tmk(["11" * 16, "22" * 16], "08D7B4")
    assert store_path.read_bytes() == before
    assert store.tmk == TMK
    assert store.working_keys == KEYS


@pytest.mark.parametrize(
    ("components", "kcv", "message"),
    [
        ([C1[:-1] + "G", C2], "08D7B4", "TMK component 1 is not hexadecimal"),
        ([C1, C2[:30]], "08D7B4", "TMK component 2 must be 32 or 48 hex digits, got 30"),
        ([C1], "08D7B4", "2 or 3 components, got 1"),
        ([C1, C2, C1, C2], "08D7B4", "2 or 3 components, got 4"),
        ([C1, "11" * 24], "08D7B4", "same length"),
        ([C1, C2], "08D7", "check value must be 6 or 8 hex digits, got 4"),
        ([C1, C2], "08D7BZ", "check value is not hexadecimal"),
    ],
)
def test_malformed_input_is_a_clear_config_error(
    store_path: Path, components: list[str], kcv: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        KeyStore(store_path).load_tmk(components, kcv)
    assert C1 not in str(info.value)
    assert C2 not in str(info.value)
    assert not store_path.exists()


def test_missing_tmk_and_working_keys_raise_key_missing(store_path: Path) -> None:
    store = KeyStore(store_path)
    with pytest.raises(KeyMissingError, match="no TMK"):
        _ = store.tmk
    with pytest.raises(KeyMissingError, match="sign on"):
        _ = store.working_keys
    with pytest.raises(KeyMissingError):
        store.set_working_keys(KEYS)


def test_working_keys_persist_and_clear(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(KEYS)
    assert KeyStore(store_path).working_keys == KEYS
    store.clear_working_keys()
    assert not KeyStore(store_path).has_working_keys


def test_working_keys_without_tdk_persist(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(WorkingKeys(pik=bytes(8), mak=bytes(range(8))))
    assert KeyStore(store_path).working_keys.tdk is None


def test_new_tmk_drops_the_working_keys(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(KEYS)
    store.load_tmk([C2, C1], "08D7B4")
    assert not store.has_working_keys
    assert not KeyStore(store_path).has_working_keys


def test_file_layout_is_the_documented_json(store_path: Path) -> None:
    store = KeyStore(store_path)
    store.load_tmk([C1, C2], "08D7B4")
    store.set_working_keys(KEYS)
    doc = json.loads(store_path.read_text())
    assert doc["format"] == "xpos-keystore"
    assert doc["version"] == 1
    assert doc["tmk"] == TMK_HEX
    assert doc["working"]["mak"] == KEYS.mak.hex().upper()


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"format": "other", "version": 1}',
        '{"format": "xpos-keystore", "version": 1, "tmk": "XYZ"}',
    ],
)
def test_corrupt_key_file_is_a_config_error(store_path: Path, content: str) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text(content)
    with pytest.raises(ConfigError, match="not a valid key store"):
        KeyStore(store_path)
