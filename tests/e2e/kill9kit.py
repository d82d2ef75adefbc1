"""What the kill -9 tests share: the killed child, the terminal, a swiped sale, the host
that holds an answer back until the child is killed.

A kill -9 test runs ``run_child`` of its own module in a child Python process (the
terminal that gets killed), lets the reference host hold one answer back (its fault
``sleep`` never returns for a 60 s delay), kills the child with SIGKILL once the request
arrived, and then checks a fresh terminal on the same data directory.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from xpos.core.flows.online import Outcome, SaleRequest
from xpos.drivers.fakes import FakePinPad
from xpos.drivers.registry import open_devices
from xpos.model import CardData, CardSource
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.config import load_config
from xpos.terminal.runtime import Terminal

ALICE = DEMO.card("alice")
ROOT = Path(__file__).resolve().parents[2]
HELD_S = 60
"""A fault delay of this many seconds (or more) is held until the child is killed."""


def child_script(module: str) -> str:
    """The ``python -c`` text that runs ``run_child`` of test module ``module``."""
    return textwrap.dedent(f"""
        import asyncio, sys
        from pathlib import Path
        sys.path.insert(0, sys.argv[3])
        from {module} import run_child
        asyncio.run(run_child(Path(sys.argv[1]), int(sys.argv[2])))
    """)


def terminal_on(data_dir: Path, port: int) -> Terminal:
    """A terminal on fake devices, its data in ``data_dir``, the host on ``port``."""
    return Terminal(load_config(data_dir, host=f"127.0.0.1:{port}"), open_devices({}))


async def signed_on(data_dir: Path, port: int) -> Terminal:
    """:func:`terminal_on` with the demo TMK loaded, signed on."""
    terminal = terminal_on(data_dir, port)
    terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert (await terminal.txn.sign_on()).outcome is Outcome.APPROVED
    return terminal


async def alice_swipe(terminal: Terminal, amount: int) -> tuple[CardData, bytes | None]:
    """Alice's card as swiped and her PIN block for ``amount`` from the fake PIN pad."""
    pinpad = terminal.devices.pinpad
    assert isinstance(pinpad, FakePinPad)
    pinpad.enter(ALICE.pin or "")
    block = await pinpad.get_pin_block(ALICE.pan, amount)
    card = CardData(source=CardSource.SWIPE, pan=ALICE.pan, expiry=ALICE.expiry,
                    track2=track2_for(ALICE.pan, ALICE.expiry))
    return card, block


async def sale(terminal: Terminal, amount: int) -> Outcome:
    """A sale of ``amount`` with Alice's card; its outcome."""
    card, block = await alice_swipe(terminal, amount)
    reply = await terminal.txn.sale(SaleRequest(amount=amount, card=card, pin_block=block))
    return reply.outcome


@dataclass
class HoldingHost:
    """The reference host of a kill -9 test and the event set when it holds an answer."""

    host: ReferenceHost
    port: int
    arrived: asyncio.Event


@asynccontextmanager
async def holding_host(data_dir: Path) -> AsyncIterator[HoldingHost]:
    """A reference host (TLS, store under ``data_dir/host``) that holds delayed answers.

    A fault delay of :data:`HELD_S` or more never ends (``arrived`` is set); a shorter
    one passes at once. The host is stopped on exit.
    """
    arrived = asyncio.Event()

    async def hold(seconds: float) -> None:
        if seconds < HELD_S:
            return
        arrived.set()
        await asyncio.Event().wait()

    db = data_dir / "host" / "host.db"
    db.parent.mkdir(parents=True)
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir), sleep=hold)
    port = await host.start()
    try:
        yield HoldingHost(host, port, arrived)
    finally:
        await host.stop()


async def kill_child_when_held(module: str, data_dir: Path, held: HoldingHost, *,
                               timeout_s: float = 30) -> None:
    """Run ``module``'s child terminal, SIGKILL it once the host holds its request."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", child_script(module), str(data_dir), str(held.port), str(ROOT),
        stdout=asyncio.subprocess.PIPE)
    await asyncio.wait_for(held.arrived.wait(), timeout_s)
    os.kill(child.pid, signal.SIGKILL)
    await child.wait()
