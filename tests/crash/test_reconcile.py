"""The reconciliation counts each broken money invariant (negative controls for the harness)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from xpos.journal import TxnRecord, TxnStatus
from xpos.refhost.rows import LedgerEntry
from xpos.testing.reconcile import Invariants, Settled, Sides, reconcile

PAN = "621234******4567"


def txn(stan: int, status: TxnStatus, *, kind: str = "sale", amount: int = 100,
        **detail: Any) -> TxnRecord:
    return TxnRecord(id=stan, kind=kind, domain="bank", stan=stan, batch=1, amount=amount,
                     masked_pan=PAN, status=status, rc=None, auth_code=None, rrn=None,
                     tid="T", mid="M", detail=detail, created_at="", updated_at="")


def entry(stan: int, *, kind: str = "sale", rc: str = "00", amount: int = 100,
          reversed_: bool = False, ident: int = 0) -> LedgerEntry:
    return LedgerEntry(id=ident or stan, tid="T", stan=stan, batch=1, kind=kind, amount=amount,
                       masked_pan=PAN, rc=rc, auth_code=None, rrn="", reversed=reversed_,
                       account=1, ref="", created_at="")


def check(txns: list[TxnRecord], ledger: list[LedgerEntry], change: int,
          attempts: dict[tuple[int, int], int] | None = None) -> Invariants:
    return reconcile(Sides(txns=txns, ledger=ledger, balance_change=change,
                           attempts_seen=attempts or {}))


# A consistent day: an approved sale, a voided sale, a sale reversed after a timeout
# (its 0400 sent twice across a kill, two attempts seen), a reversal that never reached
# the host's original (killed before send), and a decline.
GOOD_TXNS = [
    txn(1, TxnStatus.APPROVED),
    txn(2, TxnStatus.APPROVED, amount=50, voided_by=3),
    txn(3, TxnStatus.APPROVED, kind="void", amount=50, original_stan=2, original_batch=1),
    txn(4, TxnStatus.REVERSED, amount=70),
    txn(5, TxnStatus.REVERSED),
    txn(6, TxnStatus.DECLINED),
]
GOOD_LEDGER = [
    entry(1), entry(2, amount=50), entry(3, kind="void", amount=50),
    entry(4, amount=70, reversed_=True), entry(4, kind="reversal", ident=40),
    entry(4, kind="reversal", ident=41), entry(5, kind="reversal", ident=50),
    entry(6, rc="51"),
]
GOOD_ATTEMPTS = {(1, 4): 1}


def test_a_consistent_day_breaks_nothing() -> None:
    result = check(GOOD_TXNS, GOOD_LEDGER, -100, GOOD_ATTEMPTS)
    assert result.ok and str(result).startswith("lost=0 phantom=0")


def test_a_host_approval_the_journal_does_not_know_is_lost() -> None:
    txns = [*GOOD_TXNS[:5], txn(6, TxnStatus.PENDING)]
    ledger = [*GOOD_LEDGER[:-1], entry(6)]
    result = check(txns, ledger, -200, GOOD_ATTEMPTS)
    assert result.lost == 1 and result.unreversed == 1 and not result.ok


def test_a_journal_approval_without_a_host_approval_is_a_phantom() -> None:
    result = check([*GOOD_TXNS, txn(7, TxnStatus.APPROVED)], GOOD_LEDGER, -100, GOOD_ATTEMPTS)
    assert result.phantom == 1 and result.double_charged == 1  # and the balance disagrees


def test_a_balance_off_by_one_fen_is_a_double_charge() -> None:
    assert check(GOOD_TXNS, GOOD_LEDGER, -101, GOOD_ATTEMPTS).double_charged == 1


def test_two_live_host_approvals_for_one_transaction_are_a_double_charge() -> None:
    ledger = [*GOOD_LEDGER, entry(1, ident=99)]
    assert check(GOOD_TXNS, ledger, -200, GOOD_ATTEMPTS).double_charged == 2


def test_reversed_in_the_journal_but_live_at_the_host_is_unreversed() -> None:
    ledger = [entry(4, amount=70) if e.stan == 4 and e.kind == "sale" else e
              for e in GOOD_LEDGER]
    result = check(GOOD_TXNS, ledger, -170, GOOD_ATTEMPTS)
    assert result.unreversed == 1 and result.lost == 1


def test_more_0400s_than_counted_attempts_or_none_at_all_break_the_reversal_count() -> None:
    assert check(GOOD_TXNS, GOOD_LEDGER, -100).reversal_count == 1  # 2 sent, 0 seen
    ledger = [e for e in GOOD_LEDGER if e.id != 50]  # stan 5's only 0400 gone
    assert check(GOOD_TXNS, ledger, -100, GOOD_ATTEMPTS).reversal_count == 1


def test_a_reused_stan_is_caught_in_the_journal_and_against_the_host() -> None:
    txns = [*GOOD_TXNS, replace(GOOD_TXNS[5], id=60)]
    assert check(txns, GOOD_LEDGER, -100, GOOD_ATTEMPTS).stan_reused == 1
    ledger = [*GOOD_LEDGER[:-1], entry(6, kind="void", rc="94")]
    assert check(GOOD_TXNS, ledger, -100, GOOD_ATTEMPTS).stan_reused == 1


def test_a_void_and_its_sale_must_agree() -> None:
    txns = [GOOD_TXNS[0], replace(GOOD_TXNS[1], detail={}), *GOOD_TXNS[2:]]
    assert check(txns, GOOD_LEDGER, -100, GOOD_ATTEMPTS).void_mismatch == 1


# The rest of the money day (issue 10, last slice): a refund whose answer was lost
# (pending, no reversal) that the host approved, a pre-auth completed, and the
# completion voided; the card moved by -100 (sale 1) +30 (refund 7) -40 +40.
FAMILY_TXNS = [
    txn(7, TxnStatus.PENDING, kind="refund", amount=30, original_rrn="261129000001"),
    txn(8, TxnStatus.APPROVED, kind="preauth", amount=40, completed_by=9),
    txn(9, TxnStatus.APPROVED, kind="completion", amount=40, original_stan=8,
        original_batch=1, voided_by=10),
    txn(10, TxnStatus.APPROVED, kind="completion_void", amount=40, original_stan=9,
        original_batch=1),
]
FAMILY_LEDGER = [entry(7, kind="refund", amount=30), entry(8, kind="preauth", amount=40),
                 entry(9, kind="completion", amount=40),
                 entry(10, kind="completion_void", amount=40)]
DAY_TXNS, DAY_LEDGER = [*GOOD_TXNS, *FAMILY_TXNS], [*GOOD_LEDGER, *FAMILY_LEDGER]
# Settled batch 1: debits sale 1 + sale 2 (voided, still a debit) + completion 9,
# credits void 3 + completion void 10; the host also has the unknown refund 7.
TERMINAL_TOTALS = {"debit_count": 3, "debit_amount": 190, "credit_count": 2,
                   "credit_amount": 90}
HOST_TOTALS = {**TERMINAL_TOTALS, "credit_count": 3, "credit_amount": 120}


def check_day(txns: list[TxnRecord], ledger: list[LedgerEntry], change: int,
              settled: list[Settled] | None = None) -> Invariants:
    return reconcile(Sides(txns=txns, ledger=ledger, balance_change=change,
                           attempts_seen=GOOD_ATTEMPTS, settled=settled or []))


def test_an_unknown_refund_the_host_approved_is_no_loss_and_needs_no_reversal() -> None:
    settled = [Settled(batch=1, terminal=TERMINAL_TOTALS, host=HOST_TOTALS)]
    result = check_day(DAY_TXNS, DAY_LEDGER, -70, settled)
    assert result.ok, result


def test_a_refund_approved_twice_or_reversed_is_caught() -> None:
    twice = check_day(DAY_TXNS, [*DAY_LEDGER, entry(7, kind="refund", amount=30, ident=70)],
                      -40)
    assert twice.double_charged == 2  # two live approvals, and the balance is off
    reversed_ = [*DAY_LEDGER, entry(7, kind="reversal", ident=71)]
    assert check_day(DAY_TXNS, reversed_, -70).reversal_count == 1


def test_a_pending_refund_the_host_never_got_moves_no_money() -> None:
    ledger = [e for e in DAY_LEDGER if e.stan != 7]
    assert check_day(DAY_TXNS, ledger, -100).ok
    assert check_day(DAY_TXNS, ledger, -70).double_charged == 1  # counted as credited


def test_a_completion_must_match_its_hold_and_its_void() -> None:
    unmarked = [replace(t, detail={}) if t.kind == "preauth" else t for t in DAY_TXNS]
    assert check_day(unmarked, DAY_LEDGER, -70).void_mismatch == 1
    unvoided = [replace(t, detail={"original_stan": 8, "original_batch": 1})
                if t.kind == "completion" else t for t in DAY_TXNS]
    assert check_day(unvoided, DAY_LEDGER, -70).void_mismatch == 1


def test_settlement_totals_must_agree_and_items_upload_once() -> None:
    off = {**HOST_TOTALS, "debit_amount": 191}
    assert check_day(DAY_TXNS, DAY_LEDGER, -70,
                     [Settled(batch=1, terminal=TERMINAL_TOTALS, host=off)]).settle_mismatch == 1
    same = Settled(batch=1, terminal=TERMINAL_TOTALS, host=TERMINAL_TOTALS)
    assert check_day(DAY_TXNS, DAY_LEDGER, -70, [same]).settle_mismatch == 1  # refund 7
    twice = Settled(batch=1, terminal=TERMINAL_TOTALS, host=HOST_TOTALS, duplicates=1)
    assert check_day(DAY_TXNS, DAY_LEDGER, -70, [twice]).settle_mismatch == 1
