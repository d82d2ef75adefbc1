"""SQLite store of the reference host: merchants, terminals, cards, vouchers, ledger.

One file opened by :mod:`xpos.journal.sqlite` (WAL and ``synchronous=FULL`` verified,
versioned migrations), autocommit connection with one ``BEGIN IMMEDIATE`` … ``COMMIT``
around every method that writes, so each method is one committed transaction. The
money rules live here, next to the SQL:

* a sale debit and its ledger row are one transaction, and the debit is conditional
  (``balance >= amount``), so the balance never goes negative;
* a voucher redemption (``valid`` -> ``used``) and its ledger row are one transaction;
* a reversal flags the original row (only if not flagged yet), gives the money or the
  voucher back and writes its own ledger row, in one transaction; a second reversal of
  the same original finds the flag set and changes nothing;
* a void credits the card back and writes its ledger row (``ref`` = the original's batch
  and STAN) in one transaction, only while no other live void of that original exists;
  the reversal of a void re-debits the card (only if the balance holds the amount) and
  flags the void, in one transaction, exactly once.

The file holds the TMKs, working keys, full PANs and PIN hashes, so it and its ``-wal``
and ``-shm`` files are made private (mode 0600) every time the store is opened; SQLite
creates a later ``-wal`` / ``-shm`` with the database file's mode, so they stay 0600.
The host's folder is made 0700 by :func:`xpos.refhost.server.private_host_dir`.

The ledger keeps masked PANs only; the account a sale debited is referenced by the card
row id. The RRN is ``YYMMDD`` of the message time + the ledger row id modulo 10^6.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

from xpos.errors import ConfigError
from xpos.journal import sqlite
from xpos.refhost.redeem_store import undo_redemption, undo_void
from xpos.refhost.rows import (
    CardKind,
    CardRow,
    CardStatus,
    LedgerDraft,
    LedgerEntry,
    TerminalRow,
    VoucherRow,
    VoucherStatus,
    hash_pin,
)
from xpos.refhost.schema import (
    LEDGER_COLUMNS,
    SCHEMA,
    VOUCHER_SELECT,
    insert_ledger,
    ledger_entry,
)


class HostStore:
    """The reference host's SQLite database.

    Args:
        path: The database file (created with its schema on first use).

    Raises:
        ConfigError: if the path is unusable, the file is not a host database, WAL or
            ``synchronous=FULL`` cannot be set, or its schema is newer than this software.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite.open_db(path, SCHEMA)
        try:
            make_private(path)
        except ConfigError:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; a SQLite error (e.g. the one-approval index) rolls back
        and passes through unchanged."""
        return sqlite.write(self._db)

    def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    # --- merchants and terminals -------------------------------------------------

    def add_merchant(self, mid: str, name: str) -> None:
        """Add a merchant (no-op if the MID exists)."""
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO merchants VALUES (?, ?)", (mid, name))

    def merchant_name(self, mid: str) -> str | None:
        """The merchant's name, or None if the MID is unknown."""
        row = self._one("SELECT name FROM merchants WHERE mid = ?", mid)
        return None if row is None else str(row[0])

    def add_terminal(self, tid: str, mid: str, tmk: bytes) -> None:
        """Add a terminal with its TMK (no-op if the TID exists)."""
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO terminals (tid, mid, tmk) VALUES (?, ?, ?)",
                       (tid, mid, tmk.hex().upper()))

    def terminal(self, tid: str) -> TerminalRow | None:
        """The terminal row, or None if the TID is unknown."""
        row = self._one("SELECT tid, mid, tmk, pik, mak, tdk, batch, signed_on_at"
                        " FROM terminals WHERE tid = ?", tid)
        if row is None:
            return None
        return TerminalRow(tid=row[0], mid=row[1], tmk=bytes.fromhex(row[2]),
                           pik=_key(row[3]), mak=_key(row[4]), tdk=_key(row[5]),
                           batch=int(row[6]), signed_on_at=row[7])

    def set_working_keys(self, tid: str, *, pik: bytes, mak: bytes, tdk: bytes | None,
                         when: datetime) -> int:
        """Store a sign-on's fresh working keys; return the terminal's batch number."""
        with self._tx() as db:
            db.execute("UPDATE terminals SET pik = ?, mak = ?, tdk = ?, signed_on_at = ?"
                       " WHERE tid = ?", (pik.hex().upper(), mak.hex().upper(),
                                          None if tdk is None else tdk.hex().upper(),
                                          when.isoformat(), tid))
            row = db.execute("SELECT batch FROM terminals WHERE tid = ?", (tid,)).fetchone()
        if row is None:
            raise ConfigError(f"unknown terminal {tid}")
        return int(row[0])

    def forget_working_keys(self, tid: str) -> None:
        """Drop a terminal's working keys, as a host that lost its sessions would.

        The terminal's next MAC'd request is answered ``77`` with a re-sign-on request in
        the response header.
        """
        with self._tx() as db:
            db.execute("UPDATE terminals SET pik = NULL, mak = NULL, tdk = NULL WHERE tid = ?",
                       (tid,))

    def open_new_batch(self, tid: str) -> int:
        """Move the terminal to a batch number above every one it has used; return it.

        For a sign-on with 60.2 = ``000000`` (a terminal that lost its journal): the new
        number is one more than the highest of the terminal's current batch and every
        batch in its ledger rows (999999 wraps to 1), so no (batch, STAN) it sent before
        can come again.
        """
        with self._tx() as db:
            row = db.execute("SELECT max(batch, coalesce((SELECT max(batch) FROM ledger"
                             " WHERE tid = ?), 0)) FROM terminals WHERE tid = ?",
                             (tid, tid)).fetchone()
            if row is None:
                raise ConfigError(f"unknown terminal {tid}")
            batch = 1 if int(row[0]) >= 999999 else int(row[0]) + 1
            db.execute("UPDATE terminals SET batch = ? WHERE tid = ?", (batch, tid))
        return batch

    def set_batch(self, tid: str, batch: int) -> None:
        """Set the terminal's current batch number (settlement opens the next one)."""
        with self._tx() as db:
            db.execute("UPDATE terminals SET batch = ? WHERE tid = ?", (batch, tid))

    # --- cards ----------------------------------------------------------------------

    def add_card(self, pan: str, *, expiry: str, pin: str | None, balance: int,
                 status: CardStatus = CardStatus.ACTIVE, kind: CardKind = CardKind.BANK) -> None:
        """Add a card (no-op if the PAN exists); only a salted hash of the PIN is kept."""
        if self.card(pan) is not None:
            return
        pin_hash = None if pin is None else hash_pin(pin)
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO cards (pan, expiry, pin_hash, balance, status, kind)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (pan, expiry, pin_hash, balance, status.value, kind.value))

    def put_card(self, pan: str, *, expiry: str, pin: str | None, balance: int,
                 status: CardStatus = CardStatus.ACTIVE, kind: CardKind = CardKind.BANK) -> None:
        """Add a card, or overwrite everything about it if the PAN exists (QA fixtures)."""
        pin_hash = None if pin is None else hash_pin(pin)
        with self._tx() as db:
            db.execute("INSERT INTO cards (pan, expiry, pin_hash, balance, status, kind)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pan) DO UPDATE SET"
                       " expiry = excluded.expiry, pin_hash = excluded.pin_hash,"
                       " balance = excluded.balance, status = excluded.status,"
                       " kind = excluded.kind",
                       (pan, expiry, pin_hash, balance, status.value, kind.value))

    def card(self, pan: str) -> CardRow | None:
        """The card row, or None if the PAN is unknown."""
        row = self._one("SELECT id, pan, expiry, balance, status, kind, pin_hash, allow_partial"
                        " FROM cards WHERE pan = ?", pan)
        if row is None:
            return None
        return CardRow(id=row[0], pan=row[1], expiry=row[2], balance=row[3],
                       status=CardStatus(row[4]), kind=CardKind(row[5]), pin_hash=row[6],
                       allow_partial=bool(row[7]))

    def balance(self, pan: str) -> int:
        """The card's balance in fen.

        Raises:
            LookupError: if the PAN is unknown.
        """
        card = self.card(pan)
        if card is None:
            raise LookupError("unknown card")
        return card.balance

    def set_allow_partial(self, pan: str, allowed: bool) -> None:
        """Say whether the card's issuer allows a partial void (B5)."""
        with self._tx() as db:
            db.execute("UPDATE cards SET allow_partial = ? WHERE pan = ?", (int(allowed), pan))

    def set_card_status(self, pan: str, status: CardStatus) -> None:
        """Block or unblock a card."""
        with self._tx() as db:
            db.execute("UPDATE cards SET status = ? WHERE pan = ?", (status.value, pan))

    # --- providers and vouchers -----------------------------------------------------

    def add_provider(self, provider_id: str, name: str) -> None:
        """Add an application provider (no-op if it exists)."""
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO providers VALUES (?, ?)", (provider_id, name))

    def add_voucher(self, code: str, *, provider: str, title: str, quantity: int, expires: str,
                    status: VoucherStatus = VoucherStatus.VALID, used_at: str | None = None,
                    used_by_tid: str | None = None) -> None:
        """Add a voucher (no-op if the code exists)."""
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO vouchers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (code, provider, title, quantity, status.value, expires, used_at,
                        used_by_tid))

    def put_voucher(self, code: str, *, provider: str, title: str, quantity: int,
                    expires: str, status: VoucherStatus = VoucherStatus.VALID,
                    used_at: str | None = None, used_by_tid: str | None = None) -> None:
        """Add a voucher, or overwrite it if the code exists (QA fixtures, demo refresh)."""
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO vouchers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (code, provider, title, quantity, status.value, expires, used_at,
                        used_by_tid))

    def voucher(self, code: str) -> VoucherRow | None:
        """The voucher row, or None if the code is unknown."""
        row = self._one(VOUCHER_SELECT + " WHERE v.code = ?", code)
        if row is None:
            return None
        return VoucherRow(code=row[0], provider=row[1], provider_name=row[2], title=row[3],
                          quantity=row[4], status=VoucherStatus(row[5]), expires=row[6],
                          used_at=row[7], used_by_tid=row[8])

    # --- ledger -----------------------------------------------------------------------

    def record(self, draft: LedgerDraft) -> LedgerEntry:
        """Insert a ledger row that moves nothing (declines, sign-ons, …)."""
        with self._tx() as db:
            entry_id = insert_ledger(db, draft)
        return self.entry(entry_id)

    def debit(self, draft: LedgerDraft) -> LedgerEntry | None:
        """Debit ``draft.amount`` from card ``draft.account`` and record the approval.

        Returns:
            The ledger entry, or None (nothing changed) if the balance is too low.
        """
        with self._tx() as db:
            cur = db.execute("UPDATE cards SET balance = balance - ? WHERE id = ?"
                             " AND balance >= ?", (draft.amount, draft.account, draft.amount))
            if cur.rowcount != 1:
                return None
            entry_id = insert_ledger(db, draft)
        return self.entry(entry_id)

    def redeem(self, code: str, draft: LedgerDraft) -> LedgerEntry | None:
        """Mark a valid voucher used by ``draft.tid`` and record the approval.

        Returns:
            The ledger entry, or None (nothing changed) if the voucher is not valid.
        """
        with self._tx() as db:
            cur = db.execute("UPDATE vouchers SET status = 'used', used_at = ?, used_by_tid = ?"
                             " WHERE code = ? AND status = 'valid'",
                             (draft.when.isoformat(), draft.tid, code))
            if cur.rowcount != 1:
                return None
            entry_id = insert_ledger(db, draft)
        return self.entry(entry_id)

    def void(self, draft: LedgerDraft) -> LedgerEntry | None:
        """Credit ``draft.amount`` back to card ``draft.account`` and record the void.

        ``draft.ref`` names the original (batch 6 + STAN 6).

        Returns:
            The ledger entry, or None (nothing changed) if the original already has a
            live (approved, not reversed) void.
        """
        with self._tx() as db:
            live = db.execute("SELECT 1 FROM ledger WHERE tid = ? AND ref = ? AND kind = 'void'"
                              " AND rc = '00' AND reversed = 0",
                              (draft.tid, draft.ref)).fetchone()
            if live is not None:
                return None
            db.execute("UPDATE cards SET balance = balance + ? WHERE id = ?",
                       (draft.amount, draft.account))
            entry_id = insert_ledger(db, draft)
        return self.entry(entry_id)

    def voided(self, original: LedgerEntry) -> bool:
        """True if ``original`` (a sale) has a live (approved, not reversed) void."""
        row = self._one("SELECT 1 FROM ledger WHERE tid = ? AND ref = ? AND kind = 'void'"
                        " AND rc = '00' AND reversed = 0", original.tid,
                        f"{original.batch:06d}{original.stan:06d}")
        return row is not None

    def reverse(self, original: LedgerEntry, draft: LedgerDraft) -> bool:
        """Undo an approved sale, void or voucher redemption once, and record the reversal.

        Undoing a void takes the credit back (re-debits the card).

        Returns:
            True if this call undid it; False if it was not approved or already reversed.

        Raises:
            ValueError: (nothing changed) the card no longer holds a void's amount.
        """
        with self._tx() as db:
            cur = db.execute("UPDATE ledger SET reversed = 1 WHERE id = ? AND reversed = 0"
                             " AND rc = '00'", (original.id,))
            undone = cur.rowcount == 1
            if undone and original.kind in ("sale", "x_debit"):  # x_debit: X2 third party
                db.execute("UPDATE cards SET balance = balance + ? WHERE id = ?",
                           (original.amount, original.account))
            elif undone and original.kind == "void":
                debit = db.execute("UPDATE cards SET balance = balance - ? WHERE id = ?"
                                   " AND balance >= ?",
                                   (original.amount, original.account, original.amount))
                if debit.rowcount != 1:
                    raise ValueError("the card no longer holds the voided amount")
            elif undone and original.kind == "voucher":  # X1 (xpos.refhost.redeem_store)
                undo_redemption(db, original)
            elif undone and original.kind == "voucher_void":
                undo_void(db, original)
            insert_ledger(db, draft)
        return undone

    def entry(self, entry_id: int) -> LedgerEntry:
        """The ledger row with this id.

        Raises:
            LookupError: if there is none.
        """
        row = self._one(f"SELECT {LEDGER_COLUMNS} FROM ledger WHERE id = ?", entry_id)
        if row is None:
            raise LookupError(f"no ledger entry {entry_id}")
        return ledger_entry(row)

    def find(self, tid: str, batch: int, stan: int, kinds: tuple[str, ...]) -> LedgerEntry | None:
        """The row for TID + batch + STAN of one of ``kinds``; an approval wins, then the latest."""
        marks = ", ".join("?" for _ in kinds)
        row = self._one(f"SELECT {LEDGER_COLUMNS} FROM ledger WHERE tid = ? AND batch = ?"
                        f" AND stan = ? AND kind IN ({marks})"
                        " ORDER BY rc = '00' DESC, id DESC LIMIT 1", tid, batch, stan, *kinds)
        return None if row is None else ledger_entry(row)

    def entries(self, *, tid: str | None = None, kind: str | None = None) -> list[LedgerEntry]:
        """Ledger rows in insertion order, optionally filtered."""
        rows = self._db.execute(
            f"SELECT {LEDGER_COLUMNS} FROM ledger WHERE (? IS NULL OR tid = ?)"
            " AND (? IS NULL OR kind = ?) ORDER BY id", (tid, tid, kind, kind)).fetchall()
        return [ledger_entry(row) for row in rows]

    # --- refunds (退货) -------------------------------------------------------------------

    def sale_by_rrn(self, rrn: str) -> LedgerEntry | None:
        """The sale row with this RRN (RRNs are unique at this host), or None."""
        row = self._one(f"SELECT {LEDGER_COLUMNS} FROM ledger WHERE rrn = ? AND kind = 'sale'"
                        " ORDER BY id DESC LIMIT 1", rrn)
        return None if row is None else ledger_entry(row)

    def refundable(self, original: LedgerEntry) -> int:
        """What is left to refund of an approved sale: its amount minus live (approved,
        not reversed) voids and approved refunds of it, never below 0."""
        return max(0, original.amount - self._taken_back(self._db, original))

    @staticmethod
    def _taken_back(db: sqlite3.Connection, original: LedgerEntry) -> int:
        row = db.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE rc = '00' AND reversed = 0"
            " AND ((kind = 'void' AND tid = ? AND ref = ?) OR (kind = 'refund' AND ref = ?))",
            (original.tid, f"{original.batch:06d}{original.stan:06d}", original.rrn)).fetchone()
        return int(row[0])

    def refund(self, original: LedgerEntry, draft: LedgerDraft) -> LedgerEntry | None:
        """Credit ``draft.amount`` to card ``draft.account`` and record the refund of
        ``original`` (``draft.ref`` = its RRN), in one transaction.

        Returns:
            The ledger entry, or None (nothing changed) if less than ``draft.amount`` is
            left to refund (checked inside the same transaction).
        """
        with self._tx() as db:
            if original.amount - self._taken_back(db, original) < draft.amount:
                return None
            db.execute("UPDATE cards SET balance = balance + ? WHERE id = ?",
                       (draft.amount, draft.account))
            entry_id = insert_ledger(db, draft)
        return self.entry(entry_id)


PRIVATE_FILE_MODE = 0o600


def make_private(path: Path) -> None:
    """Give a SQLite file and its ``-wal`` / ``-shm`` files mode 0600 (those that exist).

    Raises:
        ConfigError: a file's mode cannot be changed (not ours, read-only file system).
    """
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            os.chmod(file, PRIVATE_FILE_MODE)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ConfigError(f"host database {file}: cannot make it private (mode 0600): "
                              f"{exc.strerror or exc}") from exc


def _key(value: str | None) -> bytes | None:
    return None if value is None else bytes.fromhex(value)
