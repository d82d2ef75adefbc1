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

from collections.abc import Awaitable, Callable

from xpos.journal import TxnStatus
from xpos.refhost.seed import track2_for
from xpos.terminal.clock import VirtualClock
from xpos.testing.crashhost import CARD
from xpos.testing.rig import TerminalRig

Emit = Callable[[str], None]
Driver = Callable[[TerminalRig, int, Emit], Awaitable[None]]

SUPERVISOR = "123456"
"""The default supervisor password (docs/configuration.md)."""
_MAX_ADVANCES = 20


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


DRIVERS: dict[str, Driver] = {"sale": _sale, "void": _void}
"""How the harness drives one transaction of each kind through the menus."""
