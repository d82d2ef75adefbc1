"""Beepers: evdev tone events and console bells (golden), file, fake, pty, errors."""

from __future__ import annotations

import os
import re
import threading
import tty
from pathlib import Path

import pytest

from xpos.drivers import open_device
from xpos.drivers.base import Beeper
from xpos.drivers.beeper import (
    ConsoleBeeper,
    EvdevBeeper,
    FakeBeeper,
    FileBeeper,
    bell_bytes,
    tone_events,
)
from xpos.errors import ConfigError, DeviceError


def test_golden_tone_events_and_bells() -> None:
    assert tone_events("ok") == ((0x12, 0x02, 2000), (0x12, 0x02, 0))
    assert tone_events("error") == ((0x12, 0x02, 400), (0x12, 0x02, 0))
    assert tone_events("weird") == tone_events("error")
    assert bell_bytes("ok") == b"\x07" and bell_bytes("error") == b"\x07\x07"


class _Speaker:
    """An ``EV_SND`` device stand-in (no /dev/input on build machines)."""

    def __init__(self) -> None:
        self.events: list[tuple[int, int, int] | str] = []
        self.stopped = threading.Event()
        self.closed = False

    def write(self, etype: int, code: int, value: int) -> None:
        self.events.append((etype, code, value))
        if value == 0:
            self.stopped.set()

    def syn(self) -> None:
        self.events.append("SYN")

    def close(self) -> None:
        self.closed = True


def test_evdev_beeper_starts_and_stops_the_tone() -> None:
    speaker = _Speaker()
    beeper = EvdevBeeper(speaker, name="speaker")
    assert isinstance(beeper, Beeper)
    beeper.beep("ok")
    assert speaker.stopped.wait(10)
    assert speaker.events == [(0x12, 0x02, 2000), "SYN", (0x12, 0x02, 0), "SYN"]
    beeper.close()
    assert speaker.closed
    beeper.beep("error")  # after close: nothing, never raises
    assert len(speaker.events) == 6  # close silenced the speaker once more


def test_console_beeper_rings_on_a_pty() -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        beeper = open_device("beeper", f"console://{os.ttyname(slave)}")
        assert isinstance(beeper, ConsoleBeeper)
        beeper.beep("ok")
        beeper.beep("error")
        rung = b""
        while len(rung) < 3:
            rung += os.read(master, 16)
        assert rung == b"\x07\x07\x07"
        beeper.close()
    finally:
        os.close(master)
        os.close(slave)


def test_file_and_fake_beepers(tmp_path: Path) -> None:
    path = tmp_path / "beeps.txt"
    beeper = open_device("beeper", f"file://{path}")
    assert isinstance(beeper, FileBeeper)
    beeper.beep("ok")
    beeper.beep("error")
    beeper.close()
    assert path.read_text() == "ok\nerror\n"
    fake = open_device("beeper", "fake:")
    assert isinstance(fake, FakeBeeper)
    fake.beep("ok")
    assert fake.beeps == ["ok"]


@pytest.mark.parametrize(("url", "error", "message"), [
    ("evdev:///no/such/event9", DeviceError, "cannot open beeper /no/such/event9"),
    ("console:///no/such/tty", DeviceError, "console /no/such/tty"),
    ("file://relative", ConfigError, "needs an absolute path"),
    ("serial:///dev/ttyS0", ConfigError, "no beeper driver for URL scheme 'serial'"),
])
def test_bad_beeper_urls(url: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        open_device("beeper", url)
