"""The crash harness's reference host process: ``python -m xpos.testing.crashhost DIR``.

Runs :class:`~xpos.refhost.server.ReferenceHost` over TLS 1.3 on a free loopback port
with the demo PKI of ``DIR/pki`` and its database ``DIR/host/host.db``, gives the
harness's card (:data:`CARD`) a balance that covers every trial (:data:`INITIAL_BALANCE`,
set on first start only), prints ``port <n>`` and serves until its stdin closes; then it
stops and closes its database.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost, private_host_dir
from xpos.security.pki import ensure_demo_pki

CARD = DEMO.card("alice")
"""The card every crash trial pays with."""
INITIAL_BALANCE = 10**12
"""Its balance at the host before the first trial (fen)."""


async def serve(data_dir: Path) -> None:
    """Serve until stdin reaches end of file."""
    db = private_host_dir(data_dir)
    first = not db.exists()
    host = ReferenceHost(db, tls=ensure_demo_pki(data_dir))
    if first:
        host.store.put_card(CARD.pan, expiry=CARD.expiry, pin=CARD.pin,
                            balance=INITIAL_BALANCE)
    try:
        port = await host.start()
        print(f"port {port}", flush=True)
        await asyncio.to_thread(sys.stdin.buffer.read)
    finally:
        await host.stop()


if __name__ == "__main__":  # pragma: no cover - run as a process by xpos.testing.crash
    asyncio.run(serve(Path(sys.argv[1])))
