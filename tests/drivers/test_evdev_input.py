"""The evdev transport, driven by a pipe-backed event device (no /dev/input here).

``PipeInputDevice`` has evdev.InputDevice's small interface (fileno, non-blocking read,
grab, ungrab, close) over a real pipe, so the readers run on the event loop's real
fd watching; events are real ``evdev.InputEvent`` objects as the kernel sends them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import errno
import os
from collections.abc import Awaitable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from xpos.drivers import conformance, open_device
from xpos.drivers.evdev_input import (
    DEFAULT_KEYMAP,
    EvdevCardReader,
    EvdevKeypad,
    parse_keymap,
)
from xpos.drivers.wedge import WedgeDecoder, type_text
from xpos.drivers.wedge_formats import card_from_wedge_swipe, code_from_line, uid_from_line
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardSource, Key

evdev = pytest.importorskip(
    "evdev", reason="optional extra evdev (needs a C compiler): pip install evdev==2.0.0")
InputEvent, ecodes = evdev.InputEvent, evdev.ecodes

T = TypeVar("T")


class PipeInputDevice:
    """An event device over a pipe: ``push`` events, the reader sees the fd readable."""

    def __init__(self, *, busy: bool = False) -> None:
        self._r, self._w = os.pipe()
        os.set_blocking(self._r, False)
        self._events: collections.deque[InputEvent] = collections.deque()
        self.grabbed = False
        self.closed = False
        self.unplugged = False
        self._busy = busy

    def push(self, keys: Sequence[tuple[int, int]]) -> None:
        for code, value in keys:
            self._events.append(InputEvent(0, 0, ecodes.EV_MSC, ecodes.MSC_SCAN, code))
            self._events.append(InputEvent(0, 0, ecodes.EV_KEY, code, value))
            self._events.append(InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_REPORT, 0))
        os.write(self._w, b"!")

    @property
    def pending(self) -> int:
        return len(self._events)

    def unplug(self) -> None:
        self.unplugged = True
        os.write(self._w, b"!")

    def fileno(self) -> int:
        return self._r

    def read(self) -> Iterator[InputEvent]:
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        with contextlib.suppress(BlockingIOError):
            os.read(self._r, 4096)
        if not self._events:
            raise BlockingIOError(errno.EAGAIN, "no events")
        batch = list(self._events)
        self._events.clear()
        return iter(batch)

    def grab(self) -> None:
        if self._busy:
            raise OSError(errno.EBUSY, "Device or resource busy")
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def close(self) -> None:
        if not self.closed:
            os.close(self._r)
            os.close(self._w)
        self.closed = True


def _bounded(coro: Awaitable[T]) -> T:
    async def main() -> T:
        return await asyncio.wait_for(coro, 10)

    return asyncio.run(main())


def _magstripe(dev: PipeInputDevice, *, lrc: bool = False) -> EvdevCardReader:
    return EvdevCardReader(dev, lambda t: card_from_wedge_swipe(t, lrc=lrc),
                           source=CardSource.SWIPE, name="magstripe reader")


def test_wedge_magstripe_reader_passes_the_magstripe_conformance_check() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev)
    assert dev.grabbed
    asyncio.run(conformance.check_magstripe_reader(
        reader, lambda t2: dev.push(type_text(f";{t2}?"))))
    reader.close()
    assert dev.closed and not dev.grabbed


def test_wedge_rfid_reader_passes_the_rfid_conformance_check_hex_and_decimal() -> None:
    dev = PipeInputDevice()
    hex_reader = EvdevCardReader(dev, uid_from_line, source=CardSource.TAP)
    asyncio.run(conformance.check_rfid_reader(hex_reader, lambda uid: dev.push(type_text(uid))))
    hex_reader.close()
    dev2 = PipeInputDevice()
    dec = EvdevCardReader(dev2, lambda t: uid_from_line(t, fmt="dec"), source=CardSource.TAP)
    asyncio.run(conformance.check_rfid_reader(
        dec, lambda uid: dev2.push(type_text(f"{int(uid, 16):010d}")), uid="12345678"))
    dec.close()


def test_wedge_scanner_with_tab_suffix_passes_the_scanner_conformance_check() -> None:
    dev = PipeInputDevice()
    decoder = WedgeDecoder(terminators=[ecodes.KEY_TAB])
    scanner = EvdevCardReader(dev, code_from_line, source=CardSource.SCAN, decoder=decoder)
    asyncio.run(conformance.check_scanner(
        scanner, lambda code: dev.push(type_text(code, terminator=ecodes.KEY_TAB))))
    scanner.close()


def test_evdev_keypad_passes_the_keypad_conformance_check() -> None:
    dev = PipeInputDevice()
    keypad = EvdevKeypad(dev)
    codes = {key: code for code, key in sorted(DEFAULT_KEYMAP.items(), reverse=True)}
    keys = tuple(k for k in Key if k in codes)

    def feed(pressed: Sequence[Key]) -> None:
        dev.push([pair for k in pressed for pair in ((codes[k], 1), (codes[k], 0))])

    asyncio.run(conformance.check_keypad(keypad, feed, keys=keys))
    keypad.close()


def test_lrc_swipe_and_a_swipe_split_across_event_batches() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev, lrc=True)
    keys = type_text(";6212345678901234567=30121010000000000?<")
    dev.push(keys[:30])

    async def split() -> str:
        task = asyncio.ensure_future(reader.read_card())
        while dev.pending:  # until the reader has taken the first batch
            await asyncio.sleep(0)
        dev.push(keys[30:])
        return (await task).pan

    assert _bounded(split()) == "6212345678901234567"
    reader.close()


def test_bad_swipe_is_one_read_error_and_the_reader_reads_on() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev)
    dev.push(type_text("%B6212345678901234567^ZHANG/SAN^3012101?;E?")
             + type_text(";6212345678901234567=30121010000000000?"))
    with pytest.raises(CardReadError, match="track2 unreadable"):
        _bounded(reader.read_card())
    assert _bounded(reader.read_card()).expiry == "3012"
    reader.close()


def test_unplugged_device_is_a_device_error() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev)
    dev.unplug()
    with pytest.raises(DeviceError, match="magstripe reader failed"):
        _bounded(reader.read_card())
    reader.close()


def test_a_swipe_read_before_the_unplug_is_still_delivered() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev)

    async def swipe_then_unplug() -> str:
        swipe = type_text(";6212345678901234567=30121010000000000?")
        dev.push(swipe + swipe)
        await reader.read_card()  # the reader took both swipes in one batch
        dev.unplug()
        while not reader._failure:  # until the reader has seen the unplug
            await asyncio.sleep(0)
        return (await reader.read_card()).pan

    assert _bounded(swipe_then_unplug()) == "6212345678901234567"
    with pytest.raises(DeviceError, match="failed"):
        _bounded(reader.read_card())
    reader.close()


def test_closed_reader_raises_and_wakes_a_waiting_read() -> None:
    dev = PipeInputDevice()
    reader = _magstripe(dev)

    async def close_while_waiting() -> None:
        task = asyncio.ensure_future(reader.read_card())
        await asyncio.sleep(0)
        reader.close()
        await task

    with pytest.raises(DeviceError, match="is closed"):
        _bounded(close_while_waiting())
    with pytest.raises(DeviceError, match="is closed"):
        _bounded(reader.read_card())


def test_a_device_someone_else_grabbed_is_a_device_error_and_is_closed() -> None:
    dev = PipeInputDevice(busy=True)
    with pytest.raises(DeviceError, match="cannot grab"):
        _magstripe(dev)
    assert dev.closed
    shared = EvdevCardReader(PipeInputDevice(busy=True), code_from_line,
                             source=CardSource.SCAN, grab=False)
    shared.close()


def test_keymap_parameter() -> None:
    keymap = parse_keymap("59:MENU, 1:cancel")
    assert keymap[59] is Key.MENU and keymap[1] is Key.CANCEL and keymap[28] is Key.ENTER
    for bad in ("59", "x:MENU", "59:NOPE", "99999:MENU"):
        with pytest.raises(ConfigError, match="keymap entry"):
            parse_keymap(bad)


@pytest.mark.parametrize(("kind", "query", "message"), [
    ("magstripe", "?grab=yes", "grab must be 0 or 1"),
    ("magstripe", "?layout=de", "layout must be one of us"),
    ("scanner", "?suffix=space", "suffix must be enter or tab"),
    ("rfid", "?format=oct", "format must be one of auto, dec, hex"),
    ("rfid", "?order=middle", "order be or le"),
    ("rfid", "?kind=scanner", "says kind=scanner"),
    ("keypad", "?lrc=1", "unknown parameter 'lrc'"),
    ("keypad", "?keymap=1:X", "keymap entry"),
])
def test_bad_evdev_parameters_are_config_errors(
    tmp_path: Path, kind: str, query: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        open_device(kind, f"evdev://{tmp_path}/event-kbd{query}")


def test_evdev_urls_need_a_path_and_a_present_device(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="absolute device path"):
        open_device("scanner", "evdev://host/dev/input/event3")
    with pytest.raises(DeviceError, match="cannot open input device"):
        open_device("magstripe", f"evdev://{tmp_path}/usb-Reader-event-kbd?grab=1")
