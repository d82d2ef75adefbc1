from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import JournalError
from xpos.journal import Journal


def test_stan_starts_at_1_and_counts_up(journal: Journal) -> None:
    assert [journal.next_stan() for _ in range(3)] == [1, 2, 3]


def test_stan_wraps_from_999999_to_1(journal: Journal) -> None:
    journal.set_next_stan(999998)
    assert [journal.next_stan() for _ in range(3)] == [999998, 999999, 1]


def test_stan_is_committed_before_it_is_returned(journal: Journal, journal_path: Path) -> None:
    journal.set_next_stan(41)
    assert journal.next_stan() == 41
    with Journal(journal_path) as other:
        assert other.next_stan() == 42
    assert journal.next_stan() == 43


@pytest.mark.parametrize("value", [0, 1000000, -1])
def test_out_of_range_counters_are_refused(journal: Journal, value: int) -> None:
    with pytest.raises(JournalError, match=r"1\.\.999999"):
        journal.set_next_stan(value)
    with pytest.raises(JournalError, match=r"1\.\.999999"):
        journal.set_batch_no(value)


def test_batch_starts_at_1_and_persists(journal: Journal, journal_path: Path) -> None:
    assert journal.batch_no == 1
    journal.set_batch_no(2)
    with Journal(journal_path) as other:
        assert other.batch_no == 2
