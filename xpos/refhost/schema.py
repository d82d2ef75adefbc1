"""The reference host's SQLite schema and ledger row mapping.

``MIGRATIONS[n]`` takes the file from version ``n`` to ``n + 1`` (``user_version``
holds the version; :mod:`xpos.journal.sqlite` opens the file and applies them). The
partial unique index allows one approval per TID + batch + STAN for sales and voucher
redemptions, a last line of defence against a double debit. The RRN is ``YYMMDD`` of
the message time + the ledger row id modulo 10^6.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from xpos.errors import ConfigError
from xpos.journal.sqlite import Migration, Schema
from xpos.refhost.rows import LedgerDraft, LedgerEntry

_V1_SQL = """
CREATE TABLE merchants (mid TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE terminals (
  tid TEXT PRIMARY KEY, mid TEXT NOT NULL REFERENCES merchants(mid), tmk TEXT NOT NULL,
  pik TEXT, mak TEXT, tdk TEXT, batch INTEGER NOT NULL DEFAULT 1, signed_on_at TEXT);
CREATE TABLE cards (
  id INTEGER PRIMARY KEY, pan TEXT NOT NULL UNIQUE, expiry TEXT NOT NULL, pin_hash TEXT,
  balance INTEGER NOT NULL CHECK (balance >= 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
  kind TEXT NOT NULL CHECK (kind IN ('bank', 'member')));
CREATE TABLE providers (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE vouchers (
  code TEXT PRIMARY KEY, provider TEXT NOT NULL REFERENCES providers(id),
  title TEXT NOT NULL, quantity INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('valid', 'used')), expires TEXT NOT NULL,
  used_at TEXT, used_by_tid TEXT);
CREATE TABLE ledger (
  id INTEGER PRIMARY KEY, tid TEXT NOT NULL, stan INTEGER NOT NULL, batch INTEGER NOT NULL,
  kind TEXT NOT NULL, amount INTEGER NOT NULL, masked_pan TEXT NOT NULL, rc TEXT NOT NULL,
  auth_code TEXT, rrn TEXT NOT NULL DEFAULT '', reversed INTEGER NOT NULL DEFAULT 0,
  account INTEGER REFERENCES cards(id), ref TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
CREATE UNIQUE INDEX ledger_one_approval ON ledger(tid, batch, stan, kind)
  WHERE rc = '00' AND kind IN ('sale', 'voucher');
CREATE INDEX ledger_by_stan ON ledger(tid, batch, stan);
"""
_V1: Migration = tuple(s.strip() for s in _V1_SQL.split(";") if s.strip())
# v2: voids. One approval per TID + batch + STAN for a void too, and at most one live
# (approved, not reversed) void per original (``ref`` = original batch 6 + STAN 6).
_V2: Migration = (
    "CREATE UNIQUE INDEX ledger_one_void_approval ON ledger(tid, batch, stan)"
    " WHERE rc = '00' AND kind = 'void'",
    "CREATE UNIQUE INDEX ledger_one_live_void ON ledger(tid, ref)"
    " WHERE rc = '00' AND kind = 'void' AND reversed = 0",
)
# v3: the pre-authorisation family (xpos/refhost/holds.py). A hold belongs to the
# approved pre-auth ledger row that placed it: ``held`` (the amount is not available
# for other pre-auths), ``released`` (pre-auth voided or reversed) or ``completed``
# (``completion`` = the ledger row of the completion that debited the card). One
# approval per TID + batch + STAN + kind for the family too.
_V3: Migration = (
    "CREATE TABLE holds (id INTEGER PRIMARY KEY,"
    " preauth INTEGER NOT NULL UNIQUE REFERENCES ledger(id),"
    " account INTEGER NOT NULL REFERENCES cards(id), amount INTEGER NOT NULL CHECK (amount > 0),"
    " status TEXT NOT NULL CHECK (status IN ('held', 'released', 'completed')),"
    " completion INTEGER REFERENCES ledger(id))",
    "CREATE INDEX holds_by_account ON holds(account, status)",
    "CREATE UNIQUE INDEX ledger_one_family_approval ON ledger(tid, batch, stan, kind)"
    " WHERE rc = '00' AND kind IN ('preauth', 'preauth_void', 'completion', 'completion_void')",
)
# v4: X2 orders (xpos.refhost.orders). An order is paid once: ``paid_ref`` names the
# bank leg (batch 6 + STAN 6 + RRN 12) that paid it; a coupon (``coupon``) gives
# ``coupon_percent`` % off the total when it is keyed instead of the order number.
_V4: Migration = (
    "CREATE TABLE orders (order_no TEXT PRIMARY KEY, title TEXT NOT NULL,"
    " total INTEGER NOT NULL CHECK (total >= 0), due INTEGER NOT NULL CHECK (due >= 0),"
    " reason TEXT NOT NULL DEFAULT '', coupon TEXT UNIQUE,"
    " coupon_percent INTEGER CHECK (coupon_percent BETWEEN 1 AND 100),"
    " status TEXT NOT NULL CHECK (status IN ('open', 'paid')), paid_ref TEXT,"
    " paid_amount INTEGER, paid_at TEXT)",
    # the RFID UIDs of cards (a tapped member card is known by its UID)
    "CREATE TABLE card_uids (uid TEXT PRIMARY KEY, pan TEXT NOT NULL)",
)
# v5: settlement (issue 10): one row per settled (TID, domain, batch); the batch-upload
# items (one per TID + batch + item STAN) and the 0320 messages that carried them (a
# repeated message STAN is a retransmission, an item seen in another message a duplicate).
_V5: Migration = (
    "CREATE TABLE settlement (tid TEXT NOT NULL, domain TEXT NOT NULL"
    " CHECK (domain IN ('bank', 'x')), batch INTEGER NOT NULL, result TEXT NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
    " PRIMARY KEY (tid, domain, batch))",
    "CREATE TABLE upload_item (tid TEXT NOT NULL, batch INTEGER NOT NULL,"
    " stan INTEGER NOT NULL, amount INTEGER NOT NULL, msg_stan INTEGER NOT NULL,"
    " PRIMARY KEY (tid, batch, stan))",
    "CREATE TABLE upload_msg (tid TEXT NOT NULL, batch INTEGER NOT NULL,"
    " msg_stan INTEGER NOT NULL, items INTEGER NOT NULL, duplicates INTEGER NOT NULL,"
    " retransmits INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tid, batch, msg_stan))",
)
# v6: refunds and partial voids. One approval per TID + batch + STAN for a refund
# (``ref`` = the original sale's RRN); balance inquiries are recorded without an amount;
# a card's issuer allows a partial void (B5) or not (``allow_partial``).
_V6: Migration = (
    "CREATE UNIQUE INDEX ledger_one_refund_approval ON ledger(tid, batch, stan)"
    " WHERE rc = '00' AND kind = 'refund'",
    "ALTER TABLE cards ADD COLUMN allow_partial INTEGER NOT NULL DEFAULT 1",
)
# v7: X1 redemption in parts (xpos.refhost.redeem): a voucher's terms (unit value in
# fen, first valid day, the one merchant it is for or NULL), each redemption's items
# (``voided_by`` = the ledger row of the X void that put them back), a provider's X void
# window (seconds; no row = the host's default), one approved X void per TID+batch+STAN.
_V7: Migration = (
    "CREATE TABLE voucher_terms (code TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL DEFAULT 0 CHECK (value >= 0),"
    " valid_from TEXT NOT NULL DEFAULT '', mid TEXT)",
    "CREATE TABLE redemptions (ledger INTEGER PRIMARY KEY REFERENCES ledger(id),"
    " code TEXT NOT NULL, units INTEGER NOT NULL CHECK (units > 0),"
    " voided_by INTEGER REFERENCES ledger(id))",
    "CREATE TABLE provider_terms (provider TEXT PRIMARY KEY,"
    " void_window_s INTEGER NOT NULL CHECK (void_window_s >= 0))",
    "CREATE UNIQUE INDEX ledger_one_voucher_void_approval ON ledger(tid, batch, stan)"
    " WHERE rc = '00' AND kind = 'voucher_void'",
)
MIGRATIONS: tuple[Migration, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7)
SCHEMA = Schema(name="host database", migrations=MIGRATIONS, error=ConfigError)
SCHEMA_VERSION = SCHEMA.version
LEDGER_COLUMNS = ("id, tid, stan, batch, kind, amount, masked_pan, rc, auth_code, rrn, "
                  "reversed, account, ref, created_at")
VOUCHER_SELECT = ("SELECT v.code, v.provider, p.name, v.title, v.quantity, v.status, v.expires,"
                  " v.used_at, v.used_by_tid FROM vouchers v JOIN providers p"
                  " ON p.id = v.provider")


def insert_ledger(db: sqlite3.Connection, draft: LedgerDraft) -> int:
    """Insert a ledger row inside the caller's transaction; assign its RRN; return its id."""
    cur = db.execute(
        "INSERT INTO ledger (tid, stan, batch, kind, amount, masked_pan, rc, auth_code, account,"
        " ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (draft.tid, draft.stan, draft.batch, draft.kind, draft.amount, draft.masked_pan,
         draft.rc, draft.auth_code, draft.account, draft.ref, draft.when.isoformat()))
    entry_id = int(cur.lastrowid or 0)
    rrn = f"{draft.when:%y%m%d}{entry_id % 1_000_000:06d}"
    db.execute("UPDATE ledger SET rrn = ? WHERE id = ?", (rrn, entry_id))
    return entry_id


def ledger_entry(row: tuple[Any, ...]) -> LedgerEntry:
    """A ledger row (selected with :data:`LEDGER_COLUMNS`) as a :class:`LedgerEntry`."""
    return LedgerEntry(id=row[0], tid=row[1], stan=row[2], batch=row[3], kind=row[4],
                       amount=row[5], masked_pan=row[6], rc=row[7], auth_code=row[8],
                       rrn=row[9], reversed=bool(row[10]), account=row[11], ref=row[12],
                       created_at=row[13])
