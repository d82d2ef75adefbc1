"""Card readers missing at start: ``xpos run`` starts without them and waits for them.

A card reader, RFID reader or scanner whose device cannot be opened when ``xpos run``
starts (not plugged in yet, the udev link not there) does not stop the terminal: it is
logged (``缺少设备 missing device: …``) and a :class:`MissingReader` takes its place in
the :class:`~xpos.drivers.base.DeviceSet`. Its first read fails, so the terminal's
reader task hands it to :class:`~xpos.terminal.replug.ReaderReplug`, which opens the
configured URL again every 5 s until the device appears, exactly as for a reader
unplugged while running. The menu works meanwhile; a sale waits for a card as for a
slow customer. The keypad, display, PIN pad and printer missing at start are stood in
for by ``xpos run`` too (:mod:`xpos.terminal.devslots`, :mod:`xpos.terminal.standins`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Mapping

from xpos.drivers.base import READER_KINDS, CardReader, DeviceSet
from xpos.drivers.registry import DEFAULT_URL, NONE_URL, DriverRegistry, open_devices
from xpos.errors import DeviceError
from xpos.model import CardData

log = logging.getLogger(__name__)


class MissingReader:
    """Stands in for a reader missing at start; every read fails with :class:`DeviceError`.

    Args:
        kind: The reader's kind (``magstripe``, ``rfid``, ``scanner``).
        why: Why it could not be opened.
    """

    def __init__(self, kind: str, why: str) -> None:
        self.kind = kind
        self.why = why

    async def read_card(self) -> CardData:
        """Fail at once: the reader task then reopens the device (ReaderReplug)."""
        raise DeviceError(f"{self.kind} missing at start: {self.why}")

    def close(self) -> None:
        """Nothing to release."""


def open_devices_or_missing(
    config: Mapping[str, str], *, registry: DriverRegistry | None = None
) -> tuple[DeviceSet, dict[str, str]]:
    """Open the devices as :func:`~xpos.drivers.registry.open_devices`, readers optional.

    Returns:
        The devices (a :class:`MissingReader` in place of each reader that could not be
        opened) and, by kind, why each missing reader could not be opened.

    Raises:
        ConfigError: a bad URL (never tolerated: a typo is not a missing device).
        DeviceError: a device other than a card reader could not be opened.
    """
    reg = registry or DriverRegistry()
    missing: dict[str, str] = {}
    present = dict(config)
    for kind in READER_KINDS:
        url = config.get(kind, DEFAULT_URL)
        if url.strip() == NONE_URL:
            continue
        try:
            probe = reg.open(kind, url)
        except DeviceError as exc:
            missing[kind] = str(exc)
            present[kind] = NONE_URL
            log.warning("缺少设备 missing device: %s %s (%s); the terminal starts without it "
                        "and retries", kind, url, exc)
            continue
        close = getattr(probe, "close", None)
        if callable(close):
            with contextlib.suppress(Exception):
                close()
    devices = open_devices(present, registry=reg)
    if not missing:
        return devices, missing
    opened = iter(devices.readers)
    readers: list[CardReader] = []
    for kind in READER_KINDS:
        if kind in missing:
            readers.append(MissingReader(kind, missing[kind]))
        elif config.get(kind, DEFAULT_URL).strip() != NONE_URL:
            readers.append(next(opened))
    return dataclasses.replace(devices, readers=tuple(readers)), missing
