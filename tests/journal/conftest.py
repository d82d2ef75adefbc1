from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from xpos.journal import Journal

NOW = datetime(2025, 3, 1, 12, 30, 45, 123000, tzinfo=UTC)


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal(journal_path, clock=lambda: NOW) as j:
        yield j
