"""Issue 8: a lost journal or key store is never silently recreated.

The reproduction from the issue on the real terminal and reference host (in memory):
journal.db deleted, restart, the terminal refuses; ``xpos journal`` fails with one line;
``xpos journal recover``; the next sign-on moves to a new batch; sales are debited for
real and no (batch, trace) repeats.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from xpos.cli import main
from xpos.errors import JournalLostError, KeysLostError
from xpos.journal import Journal, TxnStatus, marker_path, read_marker
from xpos.proto.messages import MessageKind, classify
from xpos.refhost.seed import DEMO
from xpos.security.keystore import KeyStore
from xpos.terminal.config import JOURNAL_NAME, KEYSTORE_NAME, load_config
from xpos.terminal.daemon import serve
from xpos.testing.rig import TerminalRig

from .conftest import ALICE, RunRig, alice_track, back_to_menu, sale, sign_on


async def _sales(rig: TerminalRig, count: int) -> None:
    for _ in range(count):
        assert "交易成功" in await sale(rig, "100", alice_track(), ALICE.pin)
        await back_to_menu(rig)


def _sale_keys(rig: TerminalRig) -> list[tuple[int, int]]:
    return [(e.batch, e.stan) for e in rig.host.store.entries(tid=DEMO.tid, kind="sale")
            if e.rc == "00"]


def test_deleted_journal_is_refused_then_recovered_to_a_new_batch(
        run_rig: RunRig, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _sales(rig, 2)
        old_batch = rig.terminal.journal.batch_no
        old_reserved = rig.terminal.journal.marker.stan_reserved
        await rig.stop_terminal()
        (tmp_path / JOURNAL_NAME).unlink()
        with pytest.raises(JournalLostError) as lost:  # restart: refused, nothing created
            await rig.start_terminal()
        assert lost.value.finding == "missing"
        assert not (tmp_path / JOURNAL_NAME).exists()
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 200

        capsys.readouterr()
        assert main(["journal", "--data-dir", str(tmp_path)]) == 1  # the listing too
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "交易记录丢失 journal lost" in err[0]

        assert main(["journal", "recover", "--data-dir", str(tmp_path)]) == 0
        assert "new batch" in capsys.readouterr().out
        assert list(tmp_path.glob("journal.db.lost-*.txt"))

        rig.messages.clear()
        terminal = await rig.start_terminal()  # not signed on: no sale before a sign-on
        assert "请先签到" in await rig.press("2")
        await back_to_menu(rig)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 200

        await sign_on(rig)
        signon = [m for d, m in rig.messages if classify(m) is MessageKind.SIGN_ON]
        assert signon[0].get(60)[2:8] == "000000"  # "I have no batch"
        new_batch = terminal.journal.batch_no
        assert new_batch > old_batch
        await _sales(rig, 3)
        assert rig.host.store.balance(ALICE.pan) == ALICE.balance - 500  # debited for real
        keys = _sale_keys(rig)
        assert len(keys) == 5 and len(set(keys)) == 5  # no (batch, trace) twice
        sales = terminal.journal.transactions()
        assert {s.batch for s in sales if s.kind == "sale"} == {new_batch}
        assert all(s.stan > old_reserved for s in sales)
        assert all(s.status is TxnStatus.APPROVED for s in sales if s.kind == "sale")

    run_rig(scenario)


def test_a_journal_truncated_to_zero_is_refused_at_restart(run_rig: RunRig,
                                                           tmp_path: Path) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _sales(rig, 1)
        await rig.stop_terminal()
        (tmp_path / JOURNAL_NAME).write_bytes(b"")
        with pytest.raises(JournalLostError, match=r"journal lost \(empty\)"):
            await rig.start_terminal()
        assert (tmp_path / JOURNAL_NAME).stat().st_size == 0

    run_rig(scenario)


def test_a_deleted_key_store_is_refused_until_the_tmk_is_loaded_again(
        run_rig: RunRig, tmp_path: Path) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        marker = read_marker(marker_path(tmp_path / JOURNAL_NAME))
        assert marker is not None and marker.tmk_kcv == rig.terminal.keystore.tmk_kcv
        await rig.stop_terminal()
        (tmp_path / KEYSTORE_NAME).unlink()
        with pytest.raises(KeysLostError, match="key store lost"):
            await rig.start_terminal()
        assert not (tmp_path / KEYSTORE_NAME).exists()  # not recreated empty
        KeyStore(tmp_path / KEYSTORE_NAME).load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
        await rig.start_terminal()  # the documented recovery: load the TMK again
        await sign_on(rig)
        await _sales(rig, 1)

    run_rig(scenario)


def test_a_first_start_on_an_empty_data_dir_works_as_before(run_rig: RunRig,
                                                            tmp_path: Path) -> None:
    async def scenario(rig: TerminalRig) -> None:
        assert rig.terminal.journal.batch_no == 1
        await sign_on(rig)
        await _sales(rig, 1)
        await rig.power_cycle()  # and a restart keeps everything
        assert rig.terminal.journal.last("sale") is not None

    assert not (tmp_path / "journal.id").exists()
    run_rig(scenario)
    assert (tmp_path / "journal.id").exists()


def test_xpos_run_logs_the_lost_journal_and_shows_it(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    screen = tmp_path / "screen.txt"
    (tmp_path / "xpos.toml").write_text(
        f'host = "127.0.0.1:9"\ntls = false\n[devices]\ndisplay = "file://{screen}"\n',
        encoding="utf-8")
    KeyStore(tmp_path / KEYSTORE_NAME).load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    config = load_config(tmp_path)
    Journal(tmp_path / JOURNAL_NAME).close()
    (tmp_path / JOURNAL_NAME).unlink()
    with caplog.at_level(logging.ERROR), pytest.raises(JournalLostError):
        asyncio.run(serve(config))
    assert "refusing to transact" in caplog.text and "journal lost (missing)" in caplog.text
    assert "交易记录丢失" in screen.read_text(encoding="utf-8")


def test_a_sign_on_that_gives_the_lost_batch_back_is_refused(run_rig: RunRig,
                                                             tmp_path: Path) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        await _sales(rig, 1)
        await rig.stop_terminal()
        (tmp_path / JOURNAL_NAME).unlink()
        assert main(["journal", "recover", "--data-dir", str(tmp_path)]) == 0
        # The lost batch, as the marker names it, is the one this host will open next:
        # as if the host handed the lost journal's batch back.
        path = marker_path(tmp_path / JOURNAL_NAME)
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["batch"] = rig.host.store.terminal(DEMO.tid).batch + 1  # type: ignore[union-attr]
        path.write_text(json.dumps(doc), encoding="utf-8")
        terminal = await rig.start_terminal()
        assert "签到成功" not in await rig.press("1")
        await back_to_menu(rig)
        assert terminal.journal.needs_batch and not terminal.keystore.has_working_keys
        assert "请先签到" in await rig.press("2")

    run_rig(scenario)


def test_xpos_run_refuses_a_lost_key_store_and_shows_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    screen = tmp_path / "screen.txt"
    (tmp_path / "xpos.toml").write_text(
        f'host = "127.0.0.1:9"\ntls = false\nlang = "en"\n'
        f'[devices]\ndisplay = "file://{screen}"\n', encoding="utf-8")
    store = KeyStore(tmp_path / KEYSTORE_NAME)
    store.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    with Journal(tmp_path / JOURNAL_NAME) as journal:
        journal.note_tmk(store.tmk_kcv)
    (tmp_path / KEYSTORE_NAME).unlink()
    with caplog.at_level(logging.ERROR), pytest.raises(KeysLostError):
        asyncio.run(serve(load_config(tmp_path)))
    assert "refusing to transact" in caplog.text and "key store lost" in caplog.text
    assert "Keys lost" in screen.read_text(encoding="utf-8")
    assert not (tmp_path / KEYSTORE_NAME).exists()
