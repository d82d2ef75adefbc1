"""``xpos demo``: the whole spine end to end on one machine.

Starts the reference host on 127.0.0.1 (TLS 1.3, mutual auth, fresh demo data), a
headless terminal on fake devices, then — through the real menus, step engine, journal,
security and host link — loads the TMK, signs on, sells ¥12.34 with a test card and PIN,
and redeems a group-buy voucher (journey J2). It prints each screen, the decoded
receipts and the masked host transcript, and exits 0 when every stage succeeded.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from xpos.drivers.fakes import DEFAULT_COLS
from xpos.journal import TxnStatus
from xpos.model import mask_code, mask_pan
from xpos.model.textwidth import ljust_width
from xpos.refhost.seed import DEMO, track2_for
from xpos.refhost.server import host_db_path
from xpos.testing.rig import TerminalRig
from xpos.testing.startup import prepare_emulated


class DemoFailed(Exception):
    """A demo stage did not end as expected."""


class Demo:
    """One scripted run of host + terminal; each stage checks its own outcome."""

    def __init__(self, data_dir: Path, out: TextIO) -> None:
        """Prepare a run in ``data_dir`` writing the narration to ``out``."""
        self.data_dir = data_dir
        self.out = out

    async def run(self) -> None:
        """Run every stage; raise :class:`DemoFailed` at the first one that fails.

        The host starts on fresh demo data every run (so the demo voucher is valid
        again); the terminal's journal, keys and counters in ``data_dir`` carry on.
        """
        db = host_db_path(self.data_dir)
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        rig = TerminalRig(self.data_dir, load_tmk=False, response_timeout_s=10.0)
        async with rig:
            self.say(f"reference host listening on 127.0.0.1:{rig.port} "
                     "(TLS 1.3, mutual authentication)")
            self.say(f"demo PKI provisioned in {rig.terminal.config.pki_dir} "
                     "(a real terminal gets its own; `xpos run` never makes one)")
            self.heading("1. load TMK from components (with check value)")
            rig.terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
            self.say(f"TMK loaded, KCV {DEMO.tmk_kcv}")
            self.screen(rig.screen())
            await self._sign_on(rig)
            await self._sale(rig)
            await self._voucher(rig)
            self.heading("host transcript (PAN masked, no PIN block, no track)")
            for entry in rig.host.transcript:
                self.say(str(entry))

    async def _sign_on(self, rig: TerminalRig) -> None:
        self.heading("2. sign-on (0800/0810, keys under TMK, KCV checked)")
        await self.keys(rig, "1")
        self.expect(rig, "签到成功")
        await self.keys(rig, "ENTER")

    async def _sale(self, rig: TerminalRig) -> None:
        self.heading("3. sale ¥12.34, card swipe + PIN on the PIN pad")
        await self.keys(rig, "2")
        await self.keys(rig, "1", "2", "3", "4", "ENTER")
        card = DEMO.cards[0]
        self.say(f"swipe: card {mask_pan(card.pan)}")
        self.screen(await rig.swipe(track2_for(card.pan, card.expiry)))
        self.say("PIN pad: ******")
        self.screen(await rig.pin(card.pin or ""))
        self.expect(rig, "交易成功")
        self.receipts(rig)
        self.journal(rig, "sale")
        await self.keys(rig, "ENTER")

    async def _voucher(self, rig: TerminalRig) -> None:
        self.heading("4. X menu → 订单验证: group-buy voucher (journey J2)")
        await self.keys(rig, "3")
        await self.keys(rig, "1")
        code = DEMO.demo_voucher
        await self.keys(rig, *code, "#", shown=f"{mask_code(code)} #")
        self.expect(rig, "确认核销 1 份?")
        await self.keys(rig, "ENTER")
        self.expect(rig, "验证成功")
        self.receipts(rig)
        self.journal(rig, "voucher")
        await self.keys(rig, "ENTER")

    # -- narration -------------------------------------------------------------------

    async def keys(self, rig: TerminalRig, *keys: str, shown: str | None = None) -> None:
        """Press keys and show the screen afterwards.

        Args:
            rig: The rig to press them on.
            *keys: The keys.
            shown: What to print instead of the keys (a typed code is shown masked).
        """
        self.say("keys: " + (" ".join(keys) if shown is None else shown))
        self.screen(await rig.press(*keys))

    def screen(self, text: str) -> None:
        """Print a screen in a frame of the display's width."""
        width = DEFAULT_COLS
        self.say("┌" + "─" * width + "┐")
        for line in text.split("\n"):
            self.say("│" + ljust_width(line, width) + "│")
        self.say("└" + "─" * width + "┘")

    def expect(self, rig: TerminalRig, text: str) -> None:
        """Fail the demo unless the display shows ``text``."""
        if text not in rig.screen():
            raise DemoFailed(f"expected {text!r} on the display, got:\n{rig.screen()}")

    def receipts(self, rig: TerminalRig) -> None:
        """Print what the printer printed, decoded from its ESC/POS bytes."""
        self.heading("receipt (decoded from the printer's ESC/POS bytes)")
        self.say(rig.receipts())

    def journal(self, rig: TerminalRig, kind: str) -> None:
        """Check and show the journal row of the last ``kind`` transaction."""
        record = rig.terminal.journal.last(kind)
        if record is None or record.status is not TxnStatus.APPROVED:
            raise DemoFailed(f"journal: last {kind} is {record}")
        self.say(f"journal: {kind} STAN {record.stan:06d} batch {record.batch:06d} "
                 f"{record.status.value} card {record.masked_pan or '-'}")

    def heading(self, text: str) -> None:
        """Print a section heading."""
        self.say(f"\n== {text}")

    def say(self, text: str) -> None:
        """Print one line of narration."""
        print(text, file=self.out, flush=True)


def run_demo(data_dir: Path | None = None, out: TextIO = sys.stdout,
             *, cleanup: Callable[[Path], None] | None = None) -> int:
    """Run the demo; returns the process exit code (0 = every stage succeeded).

    Args:
        data_dir: Keep everything here; by default a fresh temporary directory is used
            and removed afterwards.
        out: Where the narration goes.
        cleanup: How to remove a temporary data directory.

    Raises:
        ConfigError: ``data_dir`` cannot be used, or its ``xpos.toml`` is invalid or names
            a device that is not ``fake:`` (checked before anything starts).
    """
    temporary = data_dir is None
    directory = Path(tempfile.mkdtemp(prefix="xpos-demo-")) if data_dir is None else data_dir
    try:
        prepare_emulated(directory, what="the demo")
        asyncio.run(Demo(directory, out).run())
    except DemoFailed as exc:
        print(f"\nDEMO FAILED: {exc}", file=out)
        return 1
    finally:
        if temporary:
            (cleanup or (lambda p: shutil.rmtree(p, ignore_errors=True)))(directory)
    print("\nDEMO OK", file=out)
    return 0
