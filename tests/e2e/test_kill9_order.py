"""kill -9 in the middle of an X2 order payment: no money taken without the order paid.

Three instants, each a real SIGKILL of a terminal process talking TLS to the reference
host:

* the host debited the bank leg and holds its answer back (the terminal never learns
  of the approval): after the restart the sale is reversed, the payment fails, the
  order stays open, the card has its money back;
* the bank leg is approved and journaled, the order-paid notice not sent yet (the
  child stops right before sending it): after the restart the notice goes out first,
  the order is marked paid by that bank leg;
* the host took the notice and holds its answer back: after the restart the notice is
  sent again, answered 00 again, and nothing moves twice;
* the same two instants of a third-party (member card) payment: the platform debit is
  reversed (card credited back, order open), or the notice goes out after the restart.

* the platform refuses the order-paid notice (P1) of a bank or combined payment and the
  terminal dies right after reading the refusal (nothing journaled: the notice goes out
  again at the restart and decides again) or right after journaling the undo (the
  queued reversals go out first at the restart: every leg given back exactly once);
* the order was paid by another leg meanwhile (a lasting P1): killed right after the
  first refusal, the terminal sends the notice again at the restart, is refused again
  and gives the bank leg back then.

Reconciled against the host every time: 0 money taken without the order marked paid,
0 double debits, 0 double undos.
"""

import asyncio
import os
import signal
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from xpos.core.flows.online import OrderBankPay, OrderComboPay, OrderPartyPay, OrderQuery, Outcome
from xpos.drivers.fakes import FakePinPad
from xpos.journal import TxnStatus
from xpos.model import CardData, CardSource
from xpos.proto.messages import MessageKind
from xpos.refhost.orders import get_order, put_order
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.orders import PAYMENT_KIND

from .test_kill9 import _terminal

ALICE = DEMO.card("alice")
MEMBER = DEMO.card("member")
PARTY_ORDER, PARTY_DUE = "6600000007", 15_000
ROOT = Path(__file__).resolve().parents[2]
ORDER, DUE = "6600000001", 60_000

CHILD = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[4])
    from tests.e2e.test_kill9_order import run_child
    asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
""")


async def run_child(data_dir: Path, port: int, where: str) -> None:
    """Sign on and pay ORDER by bank card; with ``where == "notice"`` stop before the notice."""
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    if where in ("notice", "party-notice"):
        async def stop_here(*args: object) -> None:
            print("bank-approved", flush=True)
            await asyncio.Event().wait()
        terminal.txn.orders._notify = stop_here  # type: ignore[method-assign,assignment]
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)
    holder = MEMBER if where.startswith("party") else ALICE
    due = PARTY_DUE if where.startswith("party") else DUE
    pinpad.enter(holder.pin or "")
    block = await pinpad.get_pin_block(holder.pan, due)
    card = CardData(source=CardSource.SWIPE, pan=holder.pan, expiry=holder.expiry,
                    track2=track2_for(holder.pan, holder.expiry))
    print("paying", flush=True)
    if where.startswith("party"):
        await terminal.txn.orders.pay_by_party(OrderPartyPay(
            order_no=PARTY_ORDER, amount=due, card=card, pin_block=block))
        return
    await terminal.txn.orders.pay_by_bank(OrderBankPay(order_no=ORDER, amount=DUE, card=card,
                                                       pin_block=block))


def _live_sales(host: ReferenceHost) -> list[object]:
    return [e for e in host.store.entries(tid=DEMO.tid, kind="sale")
            if e.approved and not e.reversed]


async def _scenario(data_dir: Path, where: str) -> None:
    arrived = asyncio.Event()

    async def hold(seconds: float) -> None:
        arrived.set()
        await asyncio.Event().wait()

    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir), sleep=hold)
    port = await host.start()
    try:
        held = {"sale": MessageKind.SALE, "paid": MessageKind.ORDER_PAID}.get(where)
        if held is not None:
            host.faults.delay(60, on=frozenset({held}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), where, str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        assert child.stdout is not None
        if held is None:
            while (await asyncio.wait_for(child.stdout.readline(), 60)) != b"bank-approved\n":
                pass
        else:
            await asyncio.wait_for(arrived.wait(), 60)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()

        terminal = _terminal(data_dir, port)
        try:
            payment = terminal.journal.last(PAYMENT_KIND)
            assert payment is not None and payment.status is TxnStatus.PENDING
            await terminal.txn.handle(OrderQuery(code=ORDER))  # the next request settles it
            payment = terminal.journal.get(payment.id)
            sale = terminal.journal.last("sale")
            assert sale is not None
        finally:
            await terminal.close()
        order = get_order(host.store, ORDER)
        assert order is not None
        live = _live_sales(host)
        if where == "sale":   # never learnt of the approval: reversed, order open
            assert (payment.status, sale.status) == (TxnStatus.FAILED, TxnStatus.REVERSED)
            assert order.status == "open" and live == []
            assert host.store.balance(ALICE.pan) == ALICE.balance
        else:                 # approved: the order is paid by exactly this one bank leg
            assert (payment.status, sale.status) == (TxnStatus.APPROVED, TxnStatus.APPROVED)
            assert order.status == "paid" and len(live) == 1
            assert order.paid_ref == f"{sale.batch:06d}{sale.stan:06d}{sale.rrn}"
            assert host.store.balance(ALICE.pan) == ALICE.balance - DUE
        # one ledger row: a notice sent again is answered 00 again without a second one
        assert len(host.store.entries(kind="order_paid")) == (0 if where == "sale" else 1)
    finally:
        await host.stop()


@pytest.mark.parametrize("where", ["sale", "notice", "paid"])
def test_kill_9_during_an_order_payment_takes_no_money_without_the_order_paid(
        tmp_path: Path, where: str) -> None:
    asyncio.run(_scenario(tmp_path, where))


async def _party_scenario(data_dir: Path, where: str) -> None:
    arrived = asyncio.Event()

    async def hold(seconds: float) -> None:
        arrived.set()
        await asyncio.Event().wait()

    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir), sleep=hold)
    port = await host.start()
    try:
        if where == "party-debit":
            host.faults.delay(60, on=frozenset({MessageKind.PARTY_DEBIT}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), where, str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        assert child.stdout is not None
        if where == "party-notice":
            while (await asyncio.wait_for(child.stdout.readline(), 60)) != b"bank-approved\n":
                pass
        else:
            await asyncio.wait_for(arrived.wait(), 60)
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        assert host.store.balance(MEMBER.pan) == MEMBER.balance - PARTY_DUE  # host debited

        terminal = _terminal(data_dir, port)
        try:
            await terminal.txn.handle(OrderQuery(code=PARTY_ORDER))
            payment = terminal.journal.last(PAYMENT_KIND)
            debit = terminal.journal.last("third-party debit")
            assert payment is not None and debit is not None
        finally:
            await terminal.close()
        order = get_order(host.store, PARTY_ORDER)
        assert order is not None
        live = [e for e in host.store.entries(tid=DEMO.tid, kind="x_debit")
                if e.approved and not e.reversed]
        if where == "party-debit":   # reversed: the card has its money back, order open
            assert (payment.status, debit.status) == (TxnStatus.FAILED, TxnStatus.REVERSED)
            assert order.status == "open" and live == []
            assert host.store.balance(MEMBER.pan) == MEMBER.balance
        else:
            assert (payment.status, debit.status) == (TxnStatus.APPROVED, TxnStatus.APPROVED)
            assert order.status == "paid" and len(live) == 1
            assert order.paid_ref == f"X{debit.batch:06d}{debit.stan:06d}"
            assert host.store.balance(MEMBER.pan) == MEMBER.balance - PARTY_DUE
    finally:
        await host.stop()


@pytest.mark.parametrize("where", ["party-debit", "party-notice"])
def test_kill_9_during_a_third_party_payment_takes_no_money_without_the_order_paid(
        tmp_path: Path, where: str) -> None:
    asyncio.run(_party_scenario(tmp_path, where))


# -- combined payment: third-party balance first, the rest by bank card -----------------------

BOB = DEMO.card("bob")
COMBO_CHILD = CHILD.replace("run_child", "run_combo_child")


async def run_combo_child(data_dir: Path, port: int, where: str) -> None:
    """Pay ORDER by member balance + bank card; stop (print, wait) at ``where``."""
    terminal = _terminal(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    combo = terminal.txn.orders.combo

    async def stop_here(*args: object, **kw: object) -> None:
        print("stopped", flush=True)
        await asyncio.Event().wait()

    if where == "notice":
        terminal.txn.orders.notify = stop_here  # type: ignore[method-assign,assignment]
    if where == "decline":
        combo._undo = stop_here  # type: ignore[method-assign,assignment]
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)

    async def card_and_pin(holder: object, amount: int) -> tuple[CardData, bytes | None]:
        pan, expiry, pin = holder.pan, holder.expiry, holder.pin  # type: ignore[attr-defined]
        pinpad.enter(pin or "")
        block = await pinpad.get_pin_block(pan, amount)
        return CardData(source=CardSource.SWIPE, pan=pan, expiry=expiry,
                        track2=track2_for(pan, expiry)), block

    card, block = await card_and_pin(MEMBER, DUE)
    party = await combo.handle(OrderComboPay(leg="party", order_no=ORDER, amount=DUE, card=card,
                                             pin_block=block))
    assert party.outcome is Outcome.APPROVED and party.amount == MEMBER.balance
    if where == "between":
        await stop_here()
    rest = DUE - party.amount
    card, block = await card_and_pin(BOB if where == "decline" else ALICE, rest)
    await combo.handle(OrderComboPay(leg="bank", order_no=ORDER, amount=rest, card=card,
                                     pin_block=block))


async def _combo_scenario(data_dir: Path, where: str) -> None:
    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir))
    port = await host.start()
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", COMBO_CHILD, str(data_dir), str(port), where, str(ROOT),
            stdout=asyncio.subprocess.PIPE)
        assert child.stdout is not None
        while (await asyncio.wait_for(child.stdout.readline(), 60)) != b"stopped\n":
            pass
        os.kill(child.pid, signal.SIGKILL)
        await child.wait()
        assert host.store.balance(MEMBER.pan) == 0  # the platform took the whole balance

        terminal = _terminal(data_dir, port)
        try:
            payment = terminal.journal.last(PAYMENT_KIND)
            assert payment is not None and payment.status is TxnStatus.PENDING
            await terminal.txn.handle(OrderQuery(code=ORDER))  # the next request settles it
            payment = terminal.journal.get(payment.id)
            debit = terminal.journal.last("third-party debit")
            assert debit is not None
            queued = terminal.journal.pending_reversal()
        finally:
            await terminal.close()
        order = get_order(host.store, ORDER)
        assert order is not None
        debits = [e for e in host.store.entries(tid=DEMO.tid, kind="x_debit")
                  if e.approved and not e.reversed]
        live = _live_sales(host)
        if where == "notice":  # both legs taken: the order is paid by both, once
            assert (payment.status, debit.status) == (TxnStatus.APPROVED, TxnStatus.APPROVED)
            assert order.status == "paid" and len(live) == 1 and len(debits) == 1
            assert order.paid_ref is not None and order.paid_ref.endswith(
                f"X{debit.batch:06d}{debit.stan:06d}")
            assert host.store.balance(ALICE.pan) == ALICE.balance - (DUE - MEMBER.balance)
            assert host.store.balance(MEMBER.pan) == 0
        else:  # no bank money: the third-party debit is undone, exactly once
            assert (payment.status, debit.status) == (TxnStatus.FAILED, TxnStatus.REVERSED)
            assert order.status == "open" and live == [] and debits == []
            assert host.store.balance(MEMBER.pan) == MEMBER.balance
            assert host.store.balance(ALICE.pan) == ALICE.balance
            assert host.store.balance(BOB.pan) == BOB.balance
            assert queued is None
    finally:
        await host.stop()


@pytest.mark.parametrize("where", ["between", "notice", "decline"])
def test_kill_9_during_a_combined_payment_takes_no_money_without_the_order_paid(
        tmp_path: Path, where: str) -> None:
    asyncio.run(_combo_scenario(tmp_path, where))


# -- the platform refuses the order-paid notice: the legs are undone -------------------------


async def _refused_scenario(data_dir: Path, point: str, combo: bool) -> None:
    """The notice is refused (P1) once; the terminal kills itself at crash point ``point``."""
    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir))
    port = await host.start()
    try:
        host.faults.decline("P1", on=frozenset({MessageKind.ORDER_PAID}))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", COMBO_CHILD if combo else CHILD, str(data_dir), str(port),
            "refused", str(ROOT), stdout=asyncio.subprocess.DEVNULL,
            env={**os.environ, "XPOS_CRASH_AT": point})
        assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
        assert len(host.store.entries(kind="order_paid")) == 1  # the refusal, recorded
        assert len(_live_sales(host)) == 1  # the bank leg is still taken at the kill

        terminal = _terminal(data_dir, port)
        try:
            await terminal.txn.handle(OrderQuery(code=ORDER))  # the next request settles it
            payment = terminal.journal.last(PAYMENT_KIND)
            sale = terminal.journal.last("sale")
            debit = terminal.journal.last("third-party debit")
            queued = terminal.journal.pending_reversal()
        finally:
            await terminal.close()
        assert payment is not None and sale is not None and queued is None
        order = get_order(host.store, ORDER)
        assert order is not None
        live = _live_sales(host)
        debits = [e for e in host.store.entries(tid=DEMO.tid, kind="x_debit")
                  if e.approved and not e.reversed]
        reversals = [e for e in host.store.entries(tid=DEMO.tid, kind="reversal")
                     if e.approved]
        bank_due = DUE - MEMBER.balance if combo else DUE
        if point == "order_paid.after_answer":  # refusal never journaled: the notice again
            assert (payment.status, sale.status) == (TxnStatus.APPROVED, TxnStatus.APPROVED)
            assert order.status == "paid" and len(live) == 1 and reversals == []
            assert len(debits) == (1 if combo else 0)
            assert host.store.balance(ALICE.pan) == ALICE.balance - bank_due
        else:  # the undo was journaled: sent at the restart, every leg given back once
            assert (payment.status, sale.status) == (TxnStatus.DECLINED, TxnStatus.REVERSED)
            assert payment.detail.get("undone") is True
            assert order.status == "open" and live == [] and debits == []
            assert len(reversals) == (2 if combo else 1)
            assert host.store.balance(ALICE.pan) == ALICE.balance
            assert host.store.balance(MEMBER.pan) == MEMBER.balance
            if combo:
                assert debit is not None and debit.status is TxnStatus.REVERSED
    finally:
        await host.stop()


@pytest.mark.parametrize("combo", [False, True], ids=["bank", "combined"])
@pytest.mark.parametrize("point", ["order_paid.after_answer", "order_paid.undo_queued"])
def test_kill_9_after_a_refused_order_notice_keeps_no_money_without_the_order_paid(
        tmp_path: Path, point: str, combo: bool) -> None:
    asyncio.run(_refused_scenario(tmp_path, point, combo))


async def _paid_elsewhere_scenario(data_dir: Path) -> None:
    """The order was paid by another leg meanwhile: every notice of ours is refused P1."""
    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir))
    port = await host.start()
    try:
        order = get_order(host.store, ORDER)
        assert order is not None
        put_order(host.store, replace(order, status="paid", paid_ref="ELSEWHERE",
                                      paid_amount=DUE, paid_at="2025-01-15T10:00:00+08:00"))
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, str(data_dir), str(port), "refused", str(ROOT),
            stdout=asyncio.subprocess.DEVNULL,
            env={**os.environ, "XPOS_CRASH_AT": "order_paid.after_answer"})
        assert await asyncio.wait_for(child.wait(), 60) == -signal.SIGKILL
        assert len(_live_sales(host)) == 1  # refused, nothing journaled, money still taken

        terminal = _terminal(data_dir, port)
        try:
            await terminal.txn.handle(OrderQuery(code=ORDER))  # the notice again: refused
            payment = terminal.journal.last(PAYMENT_KIND)
            sale = terminal.journal.last("sale")
        finally:
            await terminal.close()
        assert payment is not None and sale is not None
        assert (payment.status, sale.status) == (TxnStatus.DECLINED, TxnStatus.REVERSED)
        refusals = [e for e in host.store.entries(kind="order_paid") if e.rc == "P1"]
        assert len(refusals) == 2   # before the kill, and again after the restart
        assert _live_sales(host) == [] and host.store.balance(ALICE.pan) == ALICE.balance
        assert len([e for e in host.store.entries(tid=DEMO.tid, kind="reversal")
                    if e.approved]) == 1
        after = get_order(host.store, ORDER)
        assert after is not None and after.paid_ref == "ELSEWHERE"  # not ours, untouched
    finally:
        await host.stop()


def test_kill_9_after_a_lasting_refusal_undoes_the_bank_leg_at_the_restart(
        tmp_path: Path) -> None:
    asyncio.run(_paid_elsewhere_scenario(tmp_path))
