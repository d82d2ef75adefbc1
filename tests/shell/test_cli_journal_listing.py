"""``xpos journal``: a header, local time, masked card or voucher code and the item."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from xpos.cli import main
from xpos.journal import Journal, TxnStatus
from xpos.model import mask_code, mask_pan

PAN = "6212345678901234567"
CODE = "883300112233"
WHEN = datetime(2026, 3, 1, 23, 30, 5, tzinfo=UTC)


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC+8 (no daylight saving) for the test."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _journal(data_dir: Path) -> None:
    journal = Journal(data_dir / "journal.db", clock=lambda: WHEN)
    try:
        sale = journal.begin_txn(kind="sale", domain="bank", stan=7, batch=1, amount=1234,
                                 masked_pan=mask_pan(PAN), tid="10000001",
                                 mid="898100012340001")
        journal.complete_txn(sale, status=TxnStatus.APPROVED, rc="00")
        voucher = journal.begin_txn(kind="voucher", domain="x", stan=8, batch=1, amount=0,
                                    masked_pan="", tid="10000001", mid="898100012340001",
                                    detail={"code": mask_code(CODE), "method": "typed"})
        journal.complete_txn(voucher, status=TxnStatus.APPROVED, rc="00",
                             detail_update={"title": "冰淇淋\x1b[2J蛋糕", "quantity": 1,
                                            "provider": "demo"})
    finally:
        journal.close()


def test_the_listing_has_a_header_local_time_and_voucher_code_and_item(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], shanghai: None) -> None:
    tmp_path.chmod(0o700)
    _journal(tmp_path)
    assert main(["journal", "--data-dir", str(tmp_path)]) == 0
    header, sale, voucher, *rest = capsys.readouterr().out.splitlines()
    assert rest == []
    assert header.split()[:4] == ["时间", "time", "类型", "kind"]
    assert "卡号/券码 card/code" in header and "商品 item" in header
    assert sale.startswith("2026-03-02 07:30:05  sale bank")  # 23:30 UTC = 07:30 next day
    assert "12.34" in sale and mask_pan(PAN) in sale and "000007" in sale
    assert voucher.startswith("2026-03-02 07:30:05  voucher x")
    assert "********2233" in voucher and "冰淇淋[2J蛋糕 ×1" in voucher
    assert "\x1b" not in voucher  # text from the host is shown, never obeyed
    assert CODE not in sale + voucher and PAN not in sale + voucher
    assert "+00:00" not in sale + voucher


def test_an_empty_journal_still_prints_the_header(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmp_path.chmod(0o700)
    Journal(tmp_path / "journal.db").close()
    assert main(["journal", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("时间 time")
