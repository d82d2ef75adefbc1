"""Readers missing at start keep their place among the readers (ReaderReplug's index)."""

from __future__ import annotations

import asyncio
import os
import tty
from pathlib import Path

import pytest

from xpos.errors import ConfigError, DeviceError
from xpos.terminal.missing import MissingReader, open_devices_or_missing


def test_a_missing_reader_stands_in_at_its_place_and_fails_to_read(tmp_path: Path) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        devices, missing = open_devices_or_missing({
            "magstripe": f"serial://{tmp_path}/no-such-tty?baud=9600",
            "rfid": "none:",
            "scanner": f"serial://{os.ttyname(slave)}?baud=9600",
        })
        try:
            assert list(missing) == ["magstripe"] and "no-such-tty" in missing["magstripe"]
            first, second = devices.readers
            assert isinstance(first, MissingReader) and not isinstance(second, MissingReader)
            with pytest.raises(DeviceError, match="magstripe missing at start"):
                asyncio.run(first.read_card())
        finally:
            devices.close()
    finally:
        os.close(master)
        os.close(slave)


def test_nothing_missing_is_the_plain_device_set() -> None:
    devices, missing = open_devices_or_missing({})
    assert missing == {} and not any(isinstance(r, MissingReader) for r in devices.readers)
    devices.close()


def test_a_bad_url_is_still_an_error_not_a_missing_device() -> None:
    with pytest.raises(ConfigError):
        open_devices_or_missing({"magstripe": "serial://relative?baud=9600"})
