"""The host's folder is 0700 and host.db with its -wal and -shm files 0600.

host.db holds the TMKs, working keys, full PANs and PIN hashes. The tests run with the
usual umask 022, under which SQLite would create the files 0644 in a 0755 folder.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.errors import ConfigError
from xpos.refhost.core import HostCore
from xpos.refhost.seed import seed_demo
from xpos.refhost.server import private_host_dir
from xpos.refhost.store import HostStore, make_private

from .terminal import TerminalMessages, fixed_clock


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _files(db: Path) -> list[Path]:
    return [db, db.with_name("host.db-wal"), db.with_name("host.db-shm")]


def test_a_new_host_folder_and_database_are_private(tmp_path: Path) -> None:
    db = private_host_dir(tmp_path / "data")
    assert db == tmp_path / "data" / "host" / "host.db"
    assert _mode(db.parent) == 0o700
    store = HostStore(db)
    seed_demo(store)
    core = HostCore(store, clock=fixed_clock)
    term = TerminalMessages()
    response = core.handle(term.sign_on_request())  # writes keys: the WAL is in use
    assert response is not None and response.get(39) == "00"
    assert [p.exists() for p in _files(db)] == [True, True, True]
    assert [_mode(p) for p in _files(db)] == [0o600] * 3
    store.close()


def test_an_existing_world_readable_host_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "host"
    folder.mkdir(parents=True)
    store = HostStore(folder / "host.db")
    seed_demo(store)
    for path in [folder, *_files(store.path)]:  # as an older X-POS left them
        os.chmod(path, 0o755 if path == folder else 0o644)
    store.close()
    db = private_host_dir(tmp_path / "data")
    assert _mode(folder) == 0o700
    assert _mode(db) == 0o644
    reopened = HostStore(db)
    assert [_mode(p) for p in _files(db)] == [0o600] * 3
    reopened.close()


def test_a_wal_made_after_opening_takes_the_database_files_mode(tmp_path: Path) -> None:
    db = private_host_dir(tmp_path)
    HostStore(db).close()  # the last close checkpoints and removes -wal and -shm
    assert not db.with_name("host.db-wal").exists()
    store = HostStore(db)
    store.add_merchant("898100012349999", "again")
    assert [_mode(p) for p in _files(db)] == [0o600] * 3
    store.close()


def test_a_file_whose_mode_cannot_change_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot make it private"):
        make_private(Path("/proc/self/status"))
    with pytest.raises(ConfigError, match=r"host folder .*cannot make it private"):
        private_host_dir(Path("/proc/self"))
