"""Test backends fed through a named pipe: ``fifo:`` keypad and ``fifo:`` PIN pad.

**For tests and bench set-ups only.** They let something outside the terminal's process
(an integration test, a script) press keys and enter PINs on a terminal started with
``xpos run``: it writes lines into a FIFO made with ``mkfifo``. The PIN pad backend
receives the PIN *in clear* through that pipe, which a real PED never allows — never
configure it on a terminal that sees real cards.

* ``keypad = "fifo:///run/xpos/keys"``: each line holds key names separated by blanks
  (``1 2 3 4 ENTER``, ``CANCEL``, ``#``); an unknown name is logged and skipped.
* ``pinpad = "fifo:///run/xpos/pin"``: each line is one entry, 4 to 12 digits or
  ``CANCEL``, consumed by the next PIN request (entries made early wait for it). Any
  other line is skipped with a warning that does not show it.

The pipe is opened read-write and non-blocking (Linux), so the terminal does not wait
for a writer and sees no end-of-file when one goes away. Reads wait on the event loop
(``add_reader``); lines are queued on the device, so a cancelled read loses none.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import stat

from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError, DeviceError, KeyMissingError
from xpos.model import Key, mask_pan
from xpos.security.pinblock import MAX_PIN, MIN_PIN, checked_pik, encrypt_pin_block, iso0_clear

log = logging.getLogger(__name__)

_CHUNK = 4096


def device_path(url: DeviceUrl) -> str:
    """The absolute path of a ``scheme:///path`` URL without parameters.

    Raises:
        ConfigError: parameters, a host part or no absolute path.
    """
    url.check_params(())
    if url.netloc or not url.path.startswith("/"):
        raise ConfigError(f"{url.scheme}: {url.raw!r} needs an absolute path: "
                          f"{url.scheme}:///path/to/file")
    return url.path


class FifoLines:
    """Lines read from a named pipe without blocking the event loop.

    Args:
        path: An existing FIFO.
        what: How errors name the device.

    Raises:
        DeviceError: the path does not exist, is not a FIFO or cannot be opened.
    """

    def __init__(self, path: str, what: str) -> None:
        self._what = what
        try:
            fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        except OSError as exc:
            raise DeviceError(f"{what}: cannot open FIFO {path}: {exc.strerror}") from exc
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.close(fd)
            raise DeviceError(f"{what}: {path} is not a FIFO (make one with mkfifo)")
        self._fd = fd
        self._partial = b""
        self._lines: collections.deque[str] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None

    def __repr__(self) -> str:
        return f"<FifoLines {self._what} pending={len(self._lines)}>"

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._fd < 0

    async def next_line(self) -> str:
        """Wait for the next non-empty line (stripped).

        Raises:
            DeviceError: the pipe was closed.
        """
        while not self._lines:
            if self.closed:
                raise DeviceError(f"{self._what} is closed")
            await self._readable()
            self._pump()
        return self._lines.popleft()

    async def _readable(self) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        fd = self._fd
        self._waiter = waiter
        loop.add_reader(fd, _wake, waiter)
        try:
            await waiter
        finally:
            self._waiter = None
            if not self.closed:
                loop.remove_reader(fd)

    def _pump(self) -> None:
        if self.closed:
            return
        try:
            data = os.read(self._fd, _CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            raise DeviceError(f"{self._what}: read failed: {exc.strerror}") from exc
        *lines, self._partial = (self._partial + data).split(b"\n")
        for raw in lines:
            text = raw.decode("utf-8", errors="replace").strip()
            if text:
                self._lines.append(text)

    def close(self) -> None:
        """Close the pipe; a waiting and every later read raise :class:`DeviceError`."""
        if self.closed:
            return
        fd, self._fd = self._fd, -1
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.get_loop().remove_reader(fd)
            _wake(waiter)
        os.close(fd)
        self._lines.clear()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class FifoKeypad:
    """A keypad whose keys arrive as names on a FIFO (test backend)."""

    def __init__(self, lines: FifoLines) -> None:
        self._lines = lines
        self._keys: collections.deque[Key] = collections.deque()

    async def read_key(self) -> Key:
        """Wait for the next key.

        Raises:
            DeviceError: the FIFO was closed.
        """
        while not self._keys:
            for name in (await self._lines.next_line()).split():
                try:
                    self._keys.append(Key.parse(name))
                except ValueError:
                    log.warning("keypad FIFO: skipped unknown key %r", name[:20])
        return self._keys.popleft()

    def close(self) -> None:
        """Close the FIFO."""
        self._lines.close()
        log.info("keypad FIFO closed")


class FifoPinPad:
    """A PIN pad whose entries arrive in clear on a FIFO (test backend; see module doc).

    Attributes:
        prompts: What each request showed: (masked PAN, amount in fen or None).
    """

    def __init__(self, lines: FifoLines) -> None:
        self._lines = lines
        self._pik: bytes | None = None
        self.prompts: list[tuple[str, int | None]] = []

    def __repr__(self) -> str:
        return f"FifoPinPad(pik_loaded={self._pik is not None})"

    def load_pik(self, pik: bytes) -> None:
        """Load the PIN key.

        Raises:
            SecurityError: if the key is not 8, 16 or 24 bytes.
        """
        self._pik = checked_pik(pik)

    async def get_pin_block(self, pan: str, amount: int | None) -> bytes | None:
        """Take the next entry from the FIFO and return its ISO-0 block under the PIK.

        Returns:
            8 bytes, or ``None`` for a ``CANCEL`` line.

        Raises:
            KeyMissingError: no PIK loaded (checked before waiting).
            DeviceError: the FIFO was closed.
            SecurityError: the PAN cannot form an ISO-0 block.
        """
        pik = self._pik
        if pik is None:
            raise KeyMissingError("PIN pad has no PIK; sign on first")
        self.prompts.append((mask_pan(pan), amount))
        while True:
            entry = await self._lines.next_line()
            if entry.upper() == "CANCEL":
                return None
            if entry.isascii() and entry.isdigit() and MIN_PIN <= len(entry) <= MAX_PIN:
                return encrypt_pin_block(pik, iso0_clear(entry, pan))
            log.warning("PIN pad FIFO: skipped an entry that is not %d to %d digits or "
                        "CANCEL", MIN_PIN, MAX_PIN)

    def close(self) -> None:
        """Close the FIFO."""
        self._lines.close()
        log.info("PIN pad FIFO closed")


def open_fifo_keypad(url: DeviceUrl) -> FifoKeypad:
    """Registry factory: ``fifo:///path/to/fifo`` keypads (test backend).

    Raises:
        ConfigError: a bad URL.
        DeviceError: the FIFO cannot be opened.
    """
    return FifoKeypad(FifoLines(device_path(url), "keypad FIFO"))


def open_fifo_pinpad(url: DeviceUrl) -> FifoPinPad:
    """Registry factory: ``fifo:///path/to/fifo`` PIN pads (test backend, PIN in clear).

    Raises:
        ConfigError: a bad URL.
        DeviceError: the FIFO cannot be opened.
    """
    pinpad = FifoPinPad(FifoLines(device_path(url), "PIN pad FIFO"))
    log.warning("PIN pad %s is a TEST backend: PINs arrive in clear; never use it with "
                "real cards", url.raw)
    return pinpad
