"""``xpos journal`` (the masked listing) and ``xpos journal recover``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from xpos.errors import JournalError
from xpos.model import format_fen
from xpos.terminal.config import JOURNAL_NAME, KEYSTORE_NAME, prepare_data_dir

if TYPE_CHECKING:
    from xpos.journal import Journal, TxnRecord


def journal_list(args: argparse.Namespace) -> int:
    from xpos.journal import Journal
    from xpos.journal.marker import marker_path

    prepare_data_dir(args.data_dir, create=False)
    path = args.data_dir / JOURNAL_NAME
    if not path.exists() and not marker_path(path).exists():  # else Journal says "lost"
        raise JournalError(f"no journal at {path}: this data directory has recorded no "
                           "transaction yet (another --data-dir, or $XPOS_DATA?)")
    journal = Journal(path)
    try:
        _list_journal(journal, sys.stdout)
    finally:
        journal.close()
    return 0


def journal_recover(args: argparse.Namespace) -> int:
    """``xpos journal recover``: see :mod:`xpos.journal.recovery`; the terminal is left
    not signed on (working keys dropped) and takes a new batch at its next sign-on."""
    from xpos.journal.recovery import recover
    from xpos.security.keystore import KeyStore

    prepare_data_dir(args.data_dir, create=False)
    result = recover(args.data_dir / JOURNAL_NAME)
    keys = args.data_dir / KEYSTORE_NAME
    if keys.exists():
        KeyStore(keys).clear_working_keys()
    print(result.describe())
    print(f"incident report: {result.incident}")
    return 0


_JOURNAL_COLUMNS = (("时间 time", 19), ("类型 kind", 9), ("批次 batch", 10), ("流水 STAN", 9),
                    ("金额 yuan", 10), ("卡号/券码 card/code", 19), ("状态 status", 11),
                    ("rc", 3), ("商品 item", 0))


def _list_journal(journal: Journal, out: TextIO) -> None:
    """Print a header and one masked row per transaction, times in local time."""
    from xpos.model.textwidth import ljust_width

    def line(cells: Sequence[str]) -> str:
        return "  ".join(ljust_width(cell, width) if width else cell
                         for cell, (_, width) in zip(cells, _JOURNAL_COLUMNS, strict=True)).rstrip()

    print(line([title for title, _ in _JOURNAL_COLUMNS]), file=out)
    for record in journal.transactions():
        print(line(_journal_cells(record)), file=out)


def _journal_cells(record: TxnRecord) -> list[str]:
    """The cells of one journal row: masked card or code, item for voucher rows."""
    from xpos.model import mask_code, mask_pan
    from xpos.model.textwidth import printable

    detail = record.detail or {}
    code = str(detail.get("code") or "")
    who = mask_pan(record.masked_pan) if record.masked_pan else mask_code(code) if code else "-"
    item = printable(str(detail.get("title") or ""))
    if item and detail.get("quantity"):
        item += f" ×{printable(str(detail['quantity']))}"
    if detail.get("original_rrn"):  # a refund: what the acquirer needs to find it
        item = printable(f"orig {detail['original_rrn']} {detail.get('original_date', '')}")
    return [_local_time(record.created_at), f"{record.kind} {record.domain}",
            f"{record.batch:06d}", f"{record.stan:06d}",
            format_fen(record.amount).rjust(10), who, record.status.value,
            record.rc or "--", item]


def _local_time(iso: str) -> str:
    """An ISO 8601 time from the journal, shown in the machine's local time zone."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso
