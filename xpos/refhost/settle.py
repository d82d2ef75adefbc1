"""Settlement at the reference host: 0500 (bank and X), batch upload 0320 and its end.

Theory of operation
-------------------
The host keeps its own ledger per (TID, batch) and settles it against the terminal's
figures. None of these messages carries a MAC (reference §1.4); the terminal must be
known under its MID (``03`` otherwise) and signed on (``77``).

* **0500 settlement** (60.2 = the bank batch): the host adds up its ledger for that TID
  and batch -- approved, not reversed sales are debits, approved, not reversed voids
  credits -- and compares them with the domestic half of field 48; the foreign half
  must be zeros (the reference host issues no foreign cards). The 0510 echoes field 48
  with ``1`` (balanced) or ``2`` (unbalanced) at characters 31 and 62. The result is kept
  (table ``settlement``); until the batch is closed a repeated 0500 is compared again.
* **0320 batch upload** (60.3 ``201``): each item is kept once per (TID, batch, item
  STAN). A repeated message STAN is a retransmission: answered ``00`` again, nothing
  counted twice (``retransmits`` counted). An item already received in another message
  is a duplicate (counted: :meth:`SettleLedger.uploads`); a terminal must never cause one.
* **0320 batch-upload end** (60.3 ``202``): closes the batch (the terminal's next batch
  is the one after it); a late sale or void in a closed batch is refused ``12``
  (:func:`batch_closed`). Without a 0500 for that batch first: ``12``.
* **0500 X settlement** (field 3 = ``700000``, 60.2 = the X batch): approved, not
  reversed voucher redemptions are debits; compared, answered like a 0500 (result at
  character 31 only) and the X batch closed at once (a late voucher, voucher query or X
  void there is refused; so is an X void of a redemption in it, :mod:`.redeem`).

Host control for tests: :func:`book_unjournaled` books an approved sale the terminal
never journaled (the fault ``unbalanced`` does this when the 0500 arrives), so the
unbalanced path runs for real.
"""

from __future__ import annotations

from dataclasses import dataclass

from xpos.proto import settle as ps
from xpos.proto.catalogue import MessageKind
from xpos.proto.codec import Message
from xpos.refhost.context import RC_APPROVED, RC_FORMAT_ERROR, HostContext, request_key
from xpos.refhost.rows import LedgerDraft

RC_INVALID_MERCHANT = "03"
RC_SIGN_ON_AGAIN = "77"
RC_CLOSED = "12"
"""A transaction in a closed (settled) batch, or a batch end without a settlement."""
UNJOURNALED_STAN = 999999
"""The STAN of the host-side sale :func:`book_unjournaled` books."""
SETTLE_KINDS = frozenset({MessageKind.SETTLE, MessageKind.X_SETTLE, MessageKind.BATCH_UPLOAD,
                          MessageKind.BATCH_END})
_SIDES = {"bank": {"sale": "debit", "void": "credit", "completion": "debit",
                   "completion_void": "credit", "refund": "credit"},
          "x": {"voucher": "debit", "x_debit": "debit"}}


@dataclass(frozen=True, kw_only=True)
class Uploads:
    """What a terminal uploaded for one batch: items kept, duplicates, retransmissions."""

    items: int
    duplicates: int
    retransmits: int
    messages: int


class SettleLedger:
    """The host's settlement tables over its store (see the module docstring)."""

    def __init__(self, ctx: HostContext) -> None:
        self._ctx = ctx
        self._store = ctx.store

    def host_side(self, tid: str, domain: str, batch: int) -> ps.Side:
        """The host's own totals of ``domain`` for (TID, batch)."""
        sides = _SIDES[domain]
        marks = ", ".join("?" for _ in sides)
        rows = self._store._db.execute(
            f"SELECT kind, COUNT(*), COALESCE(SUM(amount), 0) FROM ledger WHERE tid = ?"
            f" AND batch = ? AND rc = '00' AND reversed = 0 AND kind IN ({marks})"
            " GROUP BY kind", (tid, batch, *sides)).fetchall()
        debit = [(int(n), int(total)) for kind, n, total in rows if sides[kind] == "debit"]
        credit = [(int(n), int(total)) for kind, n, total in rows if sides[kind] == "credit"]
        return ps.Side(debit_count=sum(n for n, _ in debit),
                       debit_amount=sum(t for _, t in debit),
                       credit_count=sum(n for n, _ in credit),
                       credit_amount=sum(t for _, t in credit))

    def settled(self, tid: str, domain: str, batch: int) -> tuple[str, bool] | None:
        """``(result, closed)`` of a settlement of (TID, domain, batch), or None."""
        row = self._store._one("SELECT result, closed FROM settlement WHERE tid = ? AND"
                               " domain = ? AND batch = ?", tid, domain, batch)
        return None if row is None else (str(row[0]), bool(row[1]))

    def keep(self, tid: str, domain: str, batch: int, result: str, *, close: bool) -> None:
        """Store (or update, while open) the result of a settlement."""
        with self._store._tx() as db:
            db.execute("INSERT INTO settlement (tid, domain, batch, result, closed, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tid, domain, batch) DO UPDATE"
                       " SET result = excluded.result, closed = excluded.closed"
                       " WHERE closed = 0",
                       (tid, domain, batch, result, int(close), self._ctx.now().isoformat()))

    def close_bank(self, tid: str, batch: int) -> None:
        """Close the bank batch and move the terminal to the next one, in one transaction."""
        following = 1 if batch >= 999999 else batch + 1
        with self._store._tx() as db:
            db.execute("UPDATE settlement SET closed = 1 WHERE tid = ? AND domain = 'bank'"
                       " AND batch = ?", (tid, batch))
            db.execute("UPDATE terminals SET batch = ? WHERE tid = ? AND batch = ?",
                       (following, tid, batch))

    def upload(self, tid: str, batch: int, msg_stan: int,
               items: tuple[ps.UploadItem, ...]) -> None:
        """Keep a 0320's items once; a repeated message STAN is only counted as such."""
        with self._store._tx() as db:
            seen = db.execute("UPDATE upload_msg SET retransmits = retransmits + 1 WHERE"
                              " tid = ? AND batch = ? AND msg_stan = ?",
                              (tid, batch, msg_stan)).rowcount
            if seen:
                return
            duplicates = 0
            for item in items:
                cur = db.execute("INSERT OR IGNORE INTO upload_item (tid, batch, stan, amount,"
                                 " msg_stan) VALUES (?, ?, ?, ?, ?)",
                                 (tid, batch, item.stan, item.amount, msg_stan))
                duplicates += 1 - cur.rowcount
            db.execute("INSERT INTO upload_msg (tid, batch, msg_stan, items, duplicates)"
                       " VALUES (?, ?, ?, ?, ?)", (tid, batch, msg_stan, len(items),
                                                   duplicates))

    def uploads(self, tid: str, batch: int) -> Uploads:
        """How many items, duplicates, retransmissions and messages (TID, batch) had."""
        items = self._store._one("SELECT COUNT(*) FROM upload_item WHERE tid = ? AND batch = ?",
                                 tid, batch)
        msgs = self._store._one("SELECT COALESCE(SUM(duplicates), 0), COALESCE(SUM("
                                "retransmits), 0), COUNT(*) FROM upload_msg WHERE tid = ?"
                                " AND batch = ?", tid, batch)
        assert items is not None and msgs is not None
        return Uploads(items=int(items[0]), duplicates=int(msgs[0]),
                       retransmits=int(msgs[1]), messages=int(msgs[2]))


def _result(mine: ps.Side, theirs: ps.Side) -> str:
    return ps.RESULT_BALANCED if mine == theirs else ps.RESULT_UNBALANCED


def _gate(ctx: HostContext, request: Message) -> str | None:
    terminal = ctx.store.terminal(request.get(41) or "")
    if terminal is None or terminal.mid != request.get(42):
        return RC_INVALID_MERCHANT
    return RC_SIGN_ON_AGAIN if terminal.mak is None else None


def handle_settle(ctx: HostContext, request: Message) -> Message:
    """Answer a bank (0500) or X (0500, field 3 = 700000) settlement."""
    key = request_key(request)
    x_platform = request.get(3) == ps.X_PROCESSING_CODE
    domain = "x" if x_platform else "bank"
    refused = _gate(ctx, request)
    totals = ps.parse_totals(request.get(48) or "")
    if refused is not None or totals is None:
        return answer(ctx, request, refused or RC_FORMAT_ERROR)
    ledger = SettleLedger(ctx)
    done = ledger.settled(key.tid, domain, key.batch)
    if done is not None and done[1]:
        result = done[0]
    else:
        domestic = _result(ledger.host_side(key.tid, domain, key.batch), totals.domestic)
        foreign = _result(ps.Side(), totals.foreign)
        result = domestic + ("" if x_platform else foreign)
        ledger.keep(key.tid, domain, key.batch, result, close=x_platform)
    return ps.settle_response(request, rc=RC_APPROVED, domestic=result[0],
                              foreign=result[1:2] or ps.RESULT_BALANCED, when=ctx.now())


def handle_batch_upload(ctx: HostContext, request: Message) -> Message:
    """Answer a 0320 batch-upload detail message."""
    key = request_key(request)
    refused = _gate(ctx, request)
    items = ps.parse_upload_items(request.get(48) or "")
    if refused is not None or items is None:
        return answer(ctx, request, refused or RC_FORMAT_ERROR)
    ledger = SettleLedger(ctx)
    done = ledger.settled(key.tid, "bank", key.batch)
    if done is None or done[1]:
        return answer(ctx, request, RC_CLOSED)
    ledger.upload(key.tid, key.batch, key.stan, items)
    return answer(ctx, request, RC_APPROVED)


def handle_batch_end(ctx: HostContext, request: Message) -> Message:
    """Answer a 0320 batch-upload end: the bank batch is closed."""
    key = request_key(request)
    refused = _gate(ctx, request)
    if refused is not None:
        return answer(ctx, request, refused)
    ledger = SettleLedger(ctx)
    if ledger.settled(key.tid, "bank", key.batch) is None:
        return answer(ctx, request, RC_CLOSED)
    ledger.close_bank(key.tid, key.batch)
    return answer(ctx, request, RC_APPROVED)


def answer(ctx: HostContext, request: Message, rc: str) -> Message:
    """A 0510 / 0330 with ``rc`` (field 48 of a 0500 echoed unchanged)."""
    if request.mti == "0500":
        field48 = request.get(48) or ""
        return ps.settle_response(request.replace(set={48: field48}) if field48 else request,
                                  rc=rc, domestic=field48[30:31] or "0",
                                  foreign=field48[61:62] or "0", when=ctx.now())
    return ps.batch_upload_response(request, rc=rc, when=ctx.now())


_CLOSABLE = {MessageKind.SALE: "bank", MessageKind.VOID: "bank",
             MessageKind.VOUCHER_VERIFY: "x"}
_CLOSABLE |= {MessageKind.VOUCHER_QUERY: "x", MessageKind.VOUCHER_VOID: "x"}  # X1


def batch_closed(ctx: HostContext, kind: MessageKind, request: Message) -> bool:
    """True for a sale, void, voucher, voucher query or X void whose batch (60.2) the
    terminal has settled."""
    domain = _CLOSABLE.get(kind)
    batch = (request.get(60) or "")[2:8]
    if domain is None or not batch.isdigit():
        return False
    done = SettleLedger(ctx).settled(request.get(41) or "", domain, int(batch))
    return done is not None and done[1]


def book_unjournaled(ctx: HostContext, request: Message, amount: int = 100) -> None:
    """Book an approved sale of ``amount`` the terminal never journaled, in the batch of
    ``request`` (a settlement), so that the host's totals disagree (host control)."""
    key = request_key(request)
    if ctx.store.find(key.tid, key.batch, UNJOURNALED_STAN, ("sale",)) is not None:
        return
    ctx.store.record(LedgerDraft(tid=key.tid, stan=UNJOURNALED_STAN, batch=key.batch,
                                 kind="sale", amount=amount, masked_pan="", rc=RC_APPROVED,
                                 when=ctx.now(), auth_code="000000"))
