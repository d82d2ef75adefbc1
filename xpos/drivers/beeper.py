"""Beepers: the evdev PC speaker, the console bell, a file (tests) and a fake.

Theory of operation
-------------------
The terminal calls ``beep(kind)`` with ``"ok"`` (a card was read) or ``"error"`` (a key
was refused, a bad read); a beeper never raises and never blocks (a failure is logged).
Wire formats (pure, golden-tested):

* evdev (``evdev:///dev/input/by-path/platform-pcspkr-event-spkr``): ``EV_SND``
  (0x12) ``SND_TONE`` (0x02) with the tone in Hz, then the same event with 0 after the
  tone's length (:data:`TONES`: ok = 2000 Hz for 80 ms, error = 400 Hz for 250 ms),
  each followed by ``SYN_REPORT``; written with ``evdev.InputDevice.write``.
* console (``console:///dev/tty1``): BEL (0x07), once for ok, twice for error.
* file (``file:///path``): one line per beep, ``ok`` or ``error`` (tests of
  ``xpos run`` read it from outside the process).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Protocol

from xpos.drivers.fifo import device_path
from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError, DeviceError

log = logging.getLogger(__name__)

EV_SND = 0x12
SND_TONE = 0x02
BEL = b"\x07"
#: kind -> (tone in Hz, length in ms).
TONES: dict[str, tuple[int, int]] = {"ok": (2000, 80), "error": (400, 250)}


def _tone(kind: str) -> tuple[int, int]:
    return TONES.get(kind, TONES["error"])


def tone_events(kind: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The ``(type, code, value)`` events that start and stop the tone of ``kind``."""
    hz, _ = _tone(kind)
    return (EV_SND, SND_TONE, hz), (EV_SND, SND_TONE, 0)


def bell_bytes(kind: str) -> bytes:
    """The console bell for ``kind``: one BEL for ok, two for anything else."""
    return BEL if kind == "ok" else BEL * 2


class FakeBeeper:
    """A beeper that remembers its beeps (test side: :attr:`beeps`)."""

    def __init__(self) -> None:
        self.beeps: list[str] = []

    def beep(self, kind: str) -> None:
        """Remember ``kind``."""
        self.beeps.append(kind)


class FileBeeper:
    """A beeper writing one line per beep to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file: Any = path.open("a", encoding="ascii")
        except OSError as exc:
            raise DeviceError(f"beeper file {path}: {exc.strerror}") from exc

    def beep(self, kind: str) -> None:
        """Append ``kind`` as a line."""
        if self._file is None:
            return
        try:
            self._file.write(("ok" if kind == "ok" else "error") + "\n")
            self._file.flush()
        except OSError as exc:
            log.warning("beeper file %s: %s", self.path, exc.strerror)

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class ConsoleBeeper:
    """The console bell (BEL to a terminal device)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file: Any = path.open("wb", buffering=0)
        except OSError as exc:
            raise DeviceError(f"console {path}: {exc.strerror}") from exc

    def beep(self, kind: str) -> None:
        """Ring the bell (once for ok, twice for error)."""
        if self._file is None:
            return
        try:
            self._file.write(bell_bytes(kind))
        except OSError as exc:
            log.warning("console %s: %s", self.path, exc.strerror)

    def close(self) -> None:
        """Close the device (idempotent)."""
        if self._file is not None:
            self._file.close()
            self._file = None


class EventSink(Protocol):
    """The part of ``evdev.InputDevice`` the beeper uses."""

    def write(self, etype: int, code: int, value: int) -> None:
        """Send one input event."""
        ...

    def syn(self) -> None:
        """Send ``SYN_REPORT``."""
        ...

    def close(self) -> None:
        """Close the device."""
        ...


class EvdevBeeper:
    """The PC speaker (or any ``EV_SND`` device) through evdev.

    The tone stops on a timer thread after its length, so ``beep`` returns at once.
    """

    def __init__(self, device: EventSink, *, name: str) -> None:
        self._device: EventSink | None = device
        self.name = name
        self._lock = threading.Lock()

    def beep(self, kind: str) -> None:
        """Start the tone of ``kind`` and stop it after its length."""
        start, stop = tone_events(kind)
        if self._send(start):
            timer = threading.Timer(_tone(kind)[1] / 1000, self._send, args=(stop,))
            timer.daemon = True
            timer.start()

    def _send(self, event: tuple[int, int, int]) -> bool:
        with self._lock:
            if self._device is None:
                return False
            try:
                self._device.write(*event)
                self._device.syn()
            except OSError as exc:
                log.warning("%s: %s", self.name, exc)
                return False
            return True

    def close(self) -> None:
        """Silence and close the device (idempotent)."""
        self._send((EV_SND, SND_TONE, 0))
        with self._lock:
            if self._device is not None:
                device, self._device = self._device, None
                device.close()


def open_fake_beeper(url: DeviceUrl) -> FakeBeeper:
    """Registry factory: ``fake:`` beepers."""
    url.check_params(())
    return FakeBeeper()


def open_file_beeper(url: DeviceUrl) -> FileBeeper:
    """Registry factory: ``file:///path`` beepers (one line per beep)."""
    return FileBeeper(Path(device_path(url)))


def open_console_beeper(url: DeviceUrl) -> ConsoleBeeper:
    """Registry factory: ``console:///dev/tty1`` (the console bell)."""
    return ConsoleBeeper(Path(device_path(url)))


def open_evdev_beeper(url: DeviceUrl) -> EvdevBeeper:
    """Registry factory: ``evdev:///dev/input/by-path/platform-pcspkr-event-spkr``.

    Raises:
        ConfigError: a bad URL or python-evdev missing.
        DeviceError: the device cannot be opened.
    """
    path = device_path(url)
    try:
        import evdev
    except ImportError:
        raise ConfigError("evdev beepers need the python-evdev package") from None
    try:
        device: EventSink = evdev.InputDevice(path)
    except OSError as exc:
        raise DeviceError(f"cannot open beeper {path}: {exc}") from exc
    return EvdevBeeper(device, name=f"beeper {path}")
