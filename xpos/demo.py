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
from typing import TextIO, TypeVar

from xpos.config import load_config
from xpos.drivers.fakes import FakeCardReader, FakeKeypad, FakePinPad, FakePrinter
from xpos.drivers.registry import open_devices
from xpos.emulator.host.seed import DEMO, track2_for
from xpos.emulator.host.server import ReferenceHost
from xpos.journal import TxnStatus
from xpos.receipts.decode import decode_escpos
from xpos.runtime import Terminal
from xpos.security.pki import ensure_demo_pki


_T = TypeVar("_T")


class DemoFailed(Exception):
    """A demo stage did not end as expected."""


class Demo:
    """One scripted run of host + terminal; each stage checks its own outcome."""

    def __init__(self, data_dir: Path, out: TextIO) -> None:
        """Prepare a run in ``data_dir`` writing the narration to ``out``."""
        self.data_dir = data_dir
        self.out = out
        self._printed = 0

    async def run(self) -> None:
        """Run every stage; raise :class:`DemoFailed` at the first one that fails."""
        pki = ensure_demo_pki(self.data_dir)
        host_db = self.data_dir / "host" / "host.db"
        host_db.parent.mkdir(parents=True, exist_ok=True)
        async with ReferenceHost(host_db, tls=pki) as host:
            port = await host.start()
            self.say(f"reference host listening on 127.0.0.1:{port} (TLS 1.3, mutual auth)")
            config = load_config(self.data_dir, host=f"127.0.0.1:{port}",
                                 response_timeout_s=10.0)
            terminal = Terminal(config, open_devices({}))
            try:
                await self._stages(terminal)
            finally:
                await terminal.close()
            self.heading("host transcript (PAN masked, no PIN block, no track)")
            for entry in host.transcript:
                self.say(str(entry))

    async def _stages(self, terminal: Terminal) -> None:
        self.heading("1. load TMK from components (with check value)")
        terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
        self.say(f"TMK loaded, KCV {DEMO.tmk_kcv}")
        menu = asyncio.create_task(terminal.run_menu())
        try:
            await terminal.settle()
            self.screen(terminal)
            await self._sign_on(terminal)
            await self._sale(terminal)
            await self._voucher(terminal)
            self._keypad(terminal).press("CANCEL")
            await asyncio.wait_for(menu, 10)
        finally:
            menu.cancel()

    async def _sign_on(self, terminal: Terminal) -> None:
        self.heading("2. sign-on (0800/0810, keys under TMK, KCV checked)")
        await self.keys(terminal, "1")
        self.expect_screen(terminal, "签到成功")
        await self.keys(terminal, "ENTER")

    async def _sale(self, terminal: Terminal) -> None:
        self.heading("3. sale ¥12.34, card swipe + PIN on the PIN pad")
        await self.keys(terminal, "2")
        await self.keys(terminal, "1", "2", "3", "4", "ENTER")
        card = DEMO.cards[0]
        self._reader(terminal).swipe(track2_for(card.pan, card.expiry))
        await terminal.settle()
        self.screen(terminal)
        self._pinpad(terminal).enter(card.pin)
        await terminal.settle()
        self.expect_screen(terminal, "交易成功")
        self.receipts(terminal)
        self._check_journal(terminal, "sale")
        await self.keys(terminal, "ENTER")

    async def _voucher(self, terminal: Terminal) -> None:
        self.heading("4. X menu → 订单验证: group-buy voucher (journey J2)")
        await self.keys(terminal, "3")
        await self.keys(terminal, "1")
        await self.keys(terminal, *DEMO.demo_voucher, "#")
        self.expect_screen(terminal, "验证成功")
        self.receipts(terminal)
        self._check_journal(terminal, "voucher")
        await self.keys(terminal, "ENTER")
        await self.keys(terminal, "CANCEL")

    # -- helpers ---------------------------------------------------------------------

    async def keys(self, terminal: Terminal, *keys: str) -> None:
        """Press keys on the keypad, then wait for the terminal to settle and show it."""
        self.say("keys: " + " ".join(keys))
        self._keypad(terminal).press(*keys)
        await terminal.settle()
        self.screen(terminal)

    def screen(self, terminal: Terminal) -> None:
        """Print the current display."""
        lines = list(terminal.devices.display.lines)  # type: ignore[attr-defined]
        width = 20
        self.say("┌" + "─" * width + "┐")
        for line in lines:
            self.say("│" + _pad(line, width) + "│")
        self.say("└" + "─" * width + "┘")

    def expect_screen(self, terminal: Terminal, text: str) -> None:
        """Fail the demo unless the display shows ``text``."""
        shown = "\n".join(terminal.devices.display.lines)  # type: ignore[attr-defined]
        if text not in shown:
            raise DemoFailed(f"expected {text!r} on the display, got:\n{shown}")

    def receipts(self, terminal: Terminal) -> None:
        """Print the receipts printed since the last call, decoded from ESC/POS."""
        output = self._printer(terminal).output
        new, self._printed = output[self._printed:], len(output)
        self.heading("receipt (decoded from the printer's ESC/POS bytes)")
        self.say(decode_escpos(bytes(new)))

    def _check_journal(self, terminal: Terminal, kind: str) -> None:
        record = terminal.journal.last(kind)
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

    @staticmethod
    def _keypad(terminal: Terminal) -> FakeKeypad:
        return _fake(terminal.devices.keypad, FakeKeypad)

    @staticmethod
    def _reader(terminal: Terminal) -> FakeCardReader:
        return _fake(terminal.devices.readers[0], FakeCardReader)

    @staticmethod
    def _pinpad(terminal: Terminal) -> FakePinPad:
        return _fake(terminal.devices.pinpad, FakePinPad)

    @staticmethod
    def _printer(terminal: Terminal) -> FakePrinter:
        return _fake(terminal.devices.printer, FakePrinter)


def _fake(device: object, kind: type[_T]) -> _T:
    if not isinstance(device, kind):
        raise DemoFailed(f"the demo needs fake devices, got {type(device).__name__}")
    return device


def _pad(line: str, width: int) -> str:
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    return line + " " * max(0, width - used)


def run_demo(data_dir: Path | None = None, out: TextIO = sys.stdout,
             *, cleanup: Callable[[Path], None] | None = None) -> int:
    """Run the demo; returns the process exit code (0 = every stage succeeded).

    Args:
        data_dir: Keep everything here; by default a fresh temporary directory is used
            and removed afterwards.
        out: Where the narration goes.
        cleanup: How to remove a temporary data directory.
    """
    temporary = data_dir is None
    directory = Path(tempfile.mkdtemp(prefix="xpos-demo-")) if data_dir is None else data_dir
    try:
        asyncio.run(Demo(directory, out).run())
    except DemoFailed as exc:
        print(f"\nDEMO FAILED: {exc}", file=out)
        return 1
    finally:
        if temporary:
            (cleanup or (lambda p: shutil.rmtree(p, ignore_errors=True)))(directory)
    print("\nDEMO OK", file=out)
    return 0
