"""Data directories: created private (0700), a shared one warned about, unusable ones refused."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.cli import main
from xpos.terminal.config import DataDirError, prepare_data_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask of 0: only our own mode argument decides."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_new_data_directory_is_0700_whatever_the_umask(tmp_path: Path,
                                                         open_umask: None) -> None:
    made = prepare_data_dir(tmp_path / "a" / "xpos")
    assert made.is_dir() and _mode(made) == 0o700


def test_keys_load_creates_its_data_directory_0700(tmp_path: Path, open_umask: None) -> None:
    from xpos.refhost.seed import DEMO

    data = tmp_path / "new"
    argv = ["keys", "load", "--data-dir", str(data), "--kcv", DEMO.tmk_kcv]
    for component in DEMO.tmk_components:
        argv += ["--component", component]
    assert main(argv) == 0
    assert _mode(data) == 0o700


def test_an_existing_shared_directory_is_kept_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    with caplog.at_level(logging.WARNING):
        prepare_data_dir(shared)
    assert _mode(shared) == 0o755
    assert f"chmod 700 {shared}" in caplog.text and "0755" in caplog.text


def test_a_private_directory_gives_no_warning(tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    tmp_path.chmod(0o700)
    with caplog.at_level(logging.WARNING):
        prepare_data_dir(tmp_path)
    assert caplog.text == ""


@pytest.mark.parametrize(("make", "says"), [
    (lambda p: p.write_text("x"), "is a file, not a directory"),
    (lambda p: p.symlink_to(p.parent / "nowhere"), "exists but is not a directory"),
])
def test_unusable_paths_are_refused_in_one_line(tmp_path: Path, make: object,
                                                says: str) -> None:
    path = tmp_path / "data"
    make(path)  # type: ignore[operator]
    with pytest.raises(DataDirError, match=says):
        prepare_data_dir(path)


def test_a_missing_directory_is_not_created_when_only_read(tmp_path: Path) -> None:
    with pytest.raises(DataDirError, match="it does not exist"):
        prepare_data_dir(tmp_path / "missing", create=False)
    assert not (tmp_path / "missing").exists()
