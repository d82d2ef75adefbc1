"""What a new user sees for small mistakes: each message says what to do, in the one
``xpos: 错误 error: <headline>: …`` line (or argparse's usage + one line, exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TIMEOUT_S = 60


def _xpos(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xpos.cli", *args], capture_output=True,
                          text=True, timeout=TIMEOUT_S, check=False)


def test_devices_without_a_command_names_both_commands() -> None:
    result = _xpos("devices")
    assert result.returncode == 2
    assert "xpos devices: error: choose a command: check, list" in result.stderr


def test_a_zero_timeout_is_refused_in_words_that_do_not_offer_zero() -> None:
    result = _xpos("devices", "check", "fake:", "--timeout", "0")
    assert result.returncode == 2
    assert "must be a number of seconds above 0, at most 3600, got '0'" in result.stderr


def test_a_journal_listing_of_a_directory_without_a_journal_is_the_usual_error_line(
        tmp_path: Path) -> None:
    result = _xpos("journal", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"xpos: 错误 error: 流水错误 journal error: no journal at {tmp_path}/journal.db: this "
        "data directory has recorded no transaction yet (another --data-dir, or "
        "$XPOS_DATA?)\n")
