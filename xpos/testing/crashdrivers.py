"""How the crash harness and the fault matrix drive one transaction of each kind.

Each driver in :data:`DRIVERS` takes a :class:`~xpos.testing.rig.TerminalRig`, an
amount in fen and an ``emit`` callback, presses the keys a cashier would (menu item,
amount or supervisor password and trace number, swipe, PIN), lets simulated time pass
while the host link waits (on a :class:`~xpos.terminal.clock.VirtualClock`), goes back
to the main menu and emits ``begin <kind>`` / ``end <kind> <journal status>``. A new
kind joins the crash matrix and the fault matrix by adding its driver to
:data:`DRIVERS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from xpos.journal import TxnRecord, TxnStatus
from xpos.refhost.seed import track2_for
from xpos.terminal.clock import VirtualClock
from xpos.testing.crashhost import CARD
from xpos.testing.rig import TerminalRig

Emit = Callable[[str], None]
Driver = Callable[[TerminalRig, int, Emit], Awaitable[None]]

SUPERVISOR = "123456"
"""The default supervisor password (docs/configuration.md)."""
_MAX_ADVANCES = 20
_MAX_PAGES = 4


async def _to_menu(rig: TerminalRig) -> None:
    screen = await rig.press("ENTER")
    for _ in range(8):
        if "主菜单" in screen:
            return
        screen = await rig.press("CANCEL")


async def answered(rig: TerminalRig) -> None:
    """On a virtual clock, let time pass until the host link has its answer or gave up."""
    clock = rig.clock
    if not isinstance(clock, VirtualClock):
        return  # real time passes by itself
    for _ in range(_MAX_ADVANCES):
        deadline = clock.next_deadline()
        if not rig.terminal.link.awaiting_response or deadline is None:
            return
        clock.advance_to(deadline)
        await rig.terminal.settle()


async def _sale(rig: TerminalRig, amount: int, emit: Emit) -> None:
    emit("begin sale")
    await rig.press("2")
    await rig.press(*str(amount), "ENTER")
    await rig.swipe(track2_for(CARD.pan, CARD.expiry))
    await rig.pin(CARD.pin or "")
    await answered(rig)
    await _to_menu(rig)
    last = rig.terminal.journal.last()
    emit(f"end sale {last.status.value if last else '-'}")


async def _void(rig: TerminalRig, amount: int, emit: Emit) -> None:
    journal = rig.terminal.journal
    sales = [t for t in journal.transactions(batch=journal.batch_no) if t.kind == "sale"
             and t.status is TxnStatus.APPROVED and not t.voided]
    if not sales:
        await _sale(rig, amount, emit)  # nothing to void yet: this trial is a sale
        return
    emit("begin void")
    await rig.press("5")
    await rig.type(SUPERVISOR + "#")
    await rig.type(f"{sales[-1].stan}#")
    await rig.press("ENTER")  # confirm the original shown
    await rig.press("ENTER")  # the amount to cancel: ENTER = the whole sale
    await rig.swipe(track2_for(CARD.pan, CARD.expiry))
    await rig.pin(CARD.pin or "")
    await answered(rig)
    await _to_menu(rig)
    last = journal.last()
    emit(f"end void {last.status.value if last else '-'}")


async def choose(rig: TerminalRig, label: str) -> None:
    """Press the digit of menu item ``label``, turning pages (DOWN) to find it (menus
    grow as functions are added; the harness must not press a stale digit)."""
    screen = rig.screen()
    for _ in range(_MAX_PAGES):
        for line in screen.splitlines():
            number, dot, text = line.strip().partition(".")
            if dot and number.isdigit() and text.strip() == label:
                await rig.press(number)
                return
        screen = await rig.press("DOWN")
    raise RuntimeError(f"no menu item {label!r} on screen")


def _approved(rig: TerminalRig, kind: str, *, batch: bool = True) -> list[TxnRecord]:
    journal = rig.terminal.journal
    rows = journal.transactions(batch=journal.batch_no if batch else None, domain="bank")
    return [t for t in rows if t.kind == kind and t.status is TxnStatus.APPROVED]


async def _card(rig: TerminalRig) -> None:
    """Swipe the harness's card; enter its PIN when asked (a refund asks only if the
    configuration says so)."""
    screen = await rig.swipe(track2_for(CARD.pan, CARD.expiry))
    if "密码" in screen:
        await rig.pin(CARD.pin or "")


async def _end(rig: TerminalRig, kind: str, emit: Emit) -> None:
    await answered(rig)
    await _to_menu(rig)
    last = rig.terminal.journal.last()
    emit(f"end {kind} {last.status.value if last else '-'}")


async def _refund(rig: TerminalRig, amount: int, emit: Emit) -> None:
    """Refund (退货) the newest approved, not voided sale that no refund names yet, in
    full, keying its RRN and date as a merchant copies them from the slip."""
    journal = rig.terminal.journal
    named = {str(t.detail.get("original_rrn", "")) for t in journal.transactions()
             if t.kind == "refund"}
    sales = [t for t in _approved(rig, "sale", batch=False)
             if not t.voided and t.rrn and t.rrn not in named]
    if not sales:
        await _sale(rig, amount, emit)  # nothing to refund yet: this trial is a sale
        return
    original = sales[-1]
    day = dt.datetime.fromisoformat(original.created_at).astimezone().strftime("%m%d")
    emit("begin refund")
    await choose(rig, "退货")
    await rig.type(SUPERVISOR + "#")
    await rig.type(f"{original.rrn}#{day}#")
    await rig.press("ENTER")
    await rig.press(*str(original.amount), "ENTER")
    await _card(rig)
    await rig.press("1")
    await _end(rig, "refund", emit)


async def _preauth(rig: TerminalRig, amount: int, emit: Emit) -> None:
    emit("begin preauth")
    await choose(rig, "预授权")
    await choose(rig, "预授权")
    await rig.press(*str(amount), "ENTER")
    await _card(rig)
    await _end(rig, "preauth", emit)


async def _completion(rig: TerminalRig, amount: int, emit: Emit) -> None:
    """Complete the newest open pre-auth of the batch for its whole held amount (a
    pre-auth first when there is none)."""
    held = [t for t in _approved(rig, "preauth")
            if "voided_by" not in t.detail and "completed_by" not in t.detail]
    if not held:
        await _preauth(rig, amount, emit)
        return
    emit("begin completion")
    await choose(rig, "预授权")
    await choose(rig, "预授权完成")
    await rig.type(f"{held[-1].stan}#")
    await rig.press("ENTER")
    await rig.press(*str(held[-1].amount), "ENTER")
    await _card(rig)
    await _end(rig, "completion", emit)


async def _completion_void(rig: TerminalRig, amount: int, emit: Emit) -> None:
    """Void the newest approved, not voided completion of the batch (a completion, or a
    pre-auth, first when there is none)."""
    done = [t for t in _approved(rig, "completion") if "voided_by" not in t.detail]
    if not done:
        await _completion(rig, amount, emit)
        return
    emit("begin completion_void")
    await choose(rig, "预授权")
    await choose(rig, "预授权完成撤销")
    await rig.type(SUPERVISOR + "#")
    await rig.type(f"{done[-1].stan}#")
    await rig.press("ENTER")
    await _card(rig)
    await _end(rig, "completion_void", emit)


async def _balance(rig: TerminalRig, amount: int, emit: Emit) -> None:
    """Balance inquiry (查余额): card, PIN, the balance shown; no money moves."""
    del amount
    emit("begin balance")
    await choose(rig, "查余额")
    await _card(rig)
    await _end(rig, "balance", emit)


async def _settle(rig: TerminalRig, amount: int, emit: Emit) -> None:
    """Settle (or continue the open settlement): supervisor password, confirm."""
    del amount  # a settlement has no amount
    emit("begin settle")
    await choose(rig, "结算")
    await rig.type(SUPERVISOR + "#")
    await rig.press("ENTER")
    await answered(rig)
    await _to_menu(rig)
    journal = rig.terminal.journal
    emit(f"end settle {'open' if journal.open_settlement() else 'done'}")


DRIVERS: dict[str, Driver] = {"sale": _sale, "void": _void, "refund": _refund,
                              "completion": _completion, "completion_void": _completion_void,
                              "settle": _settle, "preauth": _preauth, "balance": _balance}
"""How the harness drives one transaction of each kind through the menus."""
