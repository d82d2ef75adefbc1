"""Card readers that come back: a reader unplugged while ``xpos run`` runs is reopened.

``xpos run`` hands the terminal a :class:`ReaderReplug`. When a card reader's task sees
the device fail for good (a closed or unplugged port), instead of stopping the terminal
it asks :meth:`ReaderReplug.reopen`: the old device is closed, and the reader's URL from
the config is opened again every ``retry_s`` seconds (each failure logged) until it
opens. Meanwhile the terminal goes on: a sale waiting for a card waits (or times out)
as it would for a slow customer, and nothing already journaled is touched. Replacement
devices are closed with the terminal.
"""

from __future__ import annotations

import contextlib
import logging
from typing import cast

from xpos.drivers.base import READER_KINDS, CardReader
from xpos.drivers.registry import DEFAULT_URL, NONE_URL, DriverRegistry, open_device
from xpos.errors import XposError
from xpos.terminal.clock import Clock
from xpos.terminal.config import TerminalConfig

log = logging.getLogger(__name__)

RETRY_S = 5.0
"""Seconds between attempts to reopen an unplugged card reader."""


class ReaderReplug:
    """Reopens the terminal's card readers from their configured URLs.

    Args:
        config: The working parameters (``devices``).
        clock: What the waits between attempts run on.
        retry_s: Seconds between attempts.
        registry: Where drivers are looked up (default: built-ins + entry points).
    """

    def __init__(self, config: TerminalConfig, *, clock: Clock, retry_s: float = RETRY_S,
                 registry: DriverRegistry | None = None) -> None:
        urls = {kind: config.devices.get(kind, DEFAULT_URL) for kind in READER_KINDS}
        #: The kinds of ``DeviceSet.readers``, in its order (absent readers left out).
        self.kinds = [kind for kind in READER_KINDS if urls[kind].strip() != NONE_URL]
        self._urls = urls
        self._clock = clock
        self._retry_s = retry_s
        self._registry = registry
        self._opened: list[object] = []

    async def reopen(self, index: int, old: CardReader) -> CardReader:
        """Close ``old`` (reader number ``index``) and open its URL again until it opens."""
        kind = self.kinds[index]
        close = getattr(old, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()
        while True:
            try:
                device = open_device(kind, self._urls[kind], registry=self._registry)
            except XposError as exc:
                log.warning("%s still missing: %s; retrying in %g s", kind, exc, self._retry_s)
                await self._clock.sleep(self._retry_s)
                continue
            self._opened.append(device)
            log.info("%s reader is back: %s", kind, self._urls[kind])
            return cast(CardReader, device)  # the registry checked its protocol

    @property
    def reopened(self) -> int:
        """How many readers were opened again (and are still held here)."""
        return len(self._opened)

    def close(self) -> None:
        """Close the readers opened here."""
        for device in self._opened:
            close = getattr(device, "close", None)
            if callable(close):
                with contextlib.suppress(Exception):
                    close()
        self._opened.clear()
