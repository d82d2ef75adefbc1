"""A slip rebuilt from the journal prints the host's date and time (F13/F12 of the answer),
or the commit time with the 终端时间 TERMINAL TIME mark when the row does not have them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xpos.core.slip_time import TERMINAL_TIME, mark_terminal_time
from xpos.journal import Journal, TxnStatus
from xpos.model import Document, TextLine
from xpos.proto.codec import Message
from xpos.terminal.host_stamp import host_stamp, stamped_time
from xpos.terminal.slip_rebuild import SlipSource, rebuild

SOURCE = SlipSource(merchant_name="蛋糕店", mid="123456789012345", tid="12345678",
                    operator="01")


def _row(journal: Journal, detail: dict[str, object]) -> int:
    txn_id = journal.begin_txn(kind="sale", domain="bank", stan=7, batch=1, amount=1234,
                               masked_pan="621234*********4567", tid="12345678",
                               mid="123456789012345")
    journal.complete_txn(txn_id, status=TxnStatus.APPROVED, rc="00", auth_code="A12345",
                         rrn="240102123456", detail_update=detail or None)
    return txn_id


def _texts(document: Document) -> list[str]:
    return [e.text for e in document.elements if isinstance(e, TextLine)]


def _commit_local(journal: Journal, txn_id: int) -> str:
    stamp = journal.get(txn_id).updated_at
    return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y/%m/%d %H:%M:%S")


def test_a_rebuilt_slip_prints_the_host_time_kept_in_the_row(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.db") as journal:
        txn_id = _row(journal, {"host_date": "0102", "host_time": "083015"})
        documents = rebuild(journal, journal.get(txn_id), SOURCE)
        year = dt.datetime.fromisoformat(journal.get(txn_id).updated_at).astimezone().year
    for document in documents:
        texts = _texts(document)
        at = texts.index("日期/时间 DATE/TIME:")
        assert texts[at + 1][4:] == "/01/02 08:30:15"
        assert abs(int(texts[at + 1][:4]) - year) <= 1  # the year nearest the commit
        assert TERMINAL_TIME not in texts


@pytest.mark.parametrize("detail", [
    {},                                           # journaled before the host time was kept
    {"host_date": "0102"},                        # half a stamp
    {"host_date": "1399", "host_time": "083015"},  # no such day
    {"host_date": "0102", "host_time": 83015},     # not text
])
def test_without_the_host_time_the_commit_time_is_printed_and_marked(
        tmp_path: Path, detail: dict[str, object]) -> None:
    with Journal(tmp_path / "journal.db") as journal:
        txn_id = _row(journal, detail)
        documents = rebuild(journal, journal.get(txn_id), SOURCE)
        committed = _commit_local(journal, txn_id)
    for document in documents:
        texts = _texts(document)
        at = texts.index("日期/时间 DATE/TIME:")
        assert texts[at + 1] == committed
        assert texts[at + 2] == TERMINAL_TIME and texts.count(TERMINAL_TIME) == 1


def test_host_stamp_keeps_only_well_formed_fields() -> None:
    good = Message(mti="0210", fields={12: "083015", 13: "0102"})
    assert host_stamp(good) == {"host_date": "0102", "host_time": "083015"}
    assert host_stamp(Message(mti="0210", fields={12: "8301", 13: "01a2"})) == {}
    assert host_stamp(None) == {}


def test_stamped_time_places_the_year_next_to_the_commit() -> None:
    new_year = dt.datetime(2027, 1, 1, 0, 0, 5)
    kept = {"host_date": "1231", "host_time": "235959"}
    assert stamped_time(kept, new_year) == dt.datetime(2026, 12, 31, 23, 59, 59)
    assert stamped_time({"host_date": "0230", "host_time": "120000"}, new_year) is None


def test_the_mark_goes_once_under_the_date_line() -> None:
    doc = Document(name="x", elements=tuple(TextLine(text=t) for t in (
        "签购单", "日期/时间 DATE/TIME:", "2026/11/28 12:00:00", "金额 AMOUNT:")))
    marked = mark_terminal_time(doc)
    assert _texts(marked) == ["签购单", "日期/时间 DATE/TIME:", "2026/11/28 12:00:00",
                              TERMINAL_TIME, "金额 AMOUNT:"]
    assert mark_terminal_time(marked) == marked
    bare = Document(name="y", elements=(TextLine(text="no date"),))
    assert mark_terminal_time(bare) == bare
