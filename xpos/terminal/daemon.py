"""``xpos run``: one terminal in the foreground, as a service manager expects it.

Theory of operation
-------------------
:func:`serve` checks that the terminal is provisioned (PKI files with ``tls``, a TMK)
and refuses to start, naming what is missing, when it is not. Otherwise it opens the
terminal through the composition root (:func:`~xpos.terminal.compose.open_terminal`),
which opens the configured devices, and runs the main menu forever as the idle screen.
SIGTERM and SIGINT set a stop event: the menu task is cancelled and the terminal closed
(host link, journal, devices), and :func:`serve` returns normally. If the menu task
ends by itself, that is a fatal error: it is raised after the terminal is closed, and
``xpos run`` exits non-zero so the service manager restarts it.
No device that is missing or unplugged takes the terminal down. A card reader that
fails while running is reopened from its URL every 5 s by
:class:`~xpos.terminal.replug.ReaderReplug`; one missing at start is logged as 缺少设备
and opened the same way once it appears (:mod:`xpos.terminal.missing`). The keypad,
display, PIN pad and printer are opened through a
:class:`~xpos.terminal.devslots.StandInRegistry`: missing at start or unplugged while
running, each is logged as 缺少设备, stood in for (:mod:`xpos.terminal.standins`:
the flow waiting for a key waits, screens are kept and redrawn, a PIN entry is
cancelled, a slip takes the paper-out path) and reopened every 5 s by the registry's
watch task. Their states go to ``<data dir>/devices.state`` for ``xpos devices list``.
A lost or damaged journal, or a key store gone after a TMK was loaded
(:class:`~xpos.errors.JournalLostError`, :class:`~xpos.errors.KeysLostError`), is logged
at ERROR and shown on the display (交易记录丢失 请联系维护) before it is raised: the
terminal never transacts on recreated state (docs/operations.md).

With ``ecr`` configured the idle loop is :meth:`EcrService.run_forever
<xpos.terminal.ecr.EcrService.run_forever>` (the main menu, taken over at idle by the
till's requests); an ECR port that is missing or fails is retried, never fatal.

Under systemd (``Type=notify``, deploy/xpos.service) :class:`~xpos.terminal.sdnotify.Notifier`
sends ``READY=1`` once the terminal runs, ``WATCHDOG=1`` every half ``WatchdogSec`` from the
event loop (a loop that hangs stops the pings, and systemd restarts the service), and
``STOPPING=1`` on SIGTERM/SIGINT.

Log records go to stderr one line each, without a timestamp, with the syslog priority
as a ``<N>`` prefix (sd-daemon(3)), so journald files them at the right level.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import TextIO

from xpos.drivers.base import KINDS
from xpos.drivers.registry import DEFAULT_URL
from xpos.errors import ConfigError, JournalLostError, KeysLostError, XposError
from xpos.terminal.compose import check_provisioned, open_terminal, show_refusal
from xpos.terminal.config import TerminalConfig
from xpos.terminal.devslots import STATE_FILE, DeviceBoard, StandInRegistry
from xpos.terminal.ecr import EcrService
from xpos.terminal.replug import ReaderReplug
from xpos.terminal.sdnotify import Notifier
from xpos.terminal.standins import wire

log = logging.getLogger(__name__)

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class JournaldFormatter(logging.Formatter):
    """``<priority>logger: message`` on one line (newlines escaped as ``\\n``)."""

    _PRIORITIES = ((logging.CRITICAL, 2), (logging.ERROR, 3), (logging.WARNING, 4),
                   (logging.INFO, 6))

    def __init__(self) -> None:
        """A formatter with the ``name: message`` body."""
        super().__init__("%(name)s: %(message)s")

    @classmethod
    def priority(cls, level: int) -> int:
        """The syslog priority (0 emergency … 7 debug) of a logging level."""
        for threshold, priority in cls._PRIORITIES:
            if level >= threshold:
                return priority
        return 7

    def format(self, record: logging.LogRecord) -> str:
        """One line: ``<N>name: message`` (a traceback follows on the same line)."""
        text = super().format(record).replace("\r", "").replace("\n", "\\n")
        return f"<{self.priority(record.levelno)}>{text}"


def log_to_journald(stream: TextIO, level: int) -> None:
    """Send the root logger's records to ``stream`` in :class:`JournaldFormatter` form."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JournaldFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)


async def serve(config: TerminalConfig, *, notifier: Notifier | None = None) -> None:
    """Run the terminal until SIGTERM or SIGINT.

    Args:
        config: The working parameters.
        notifier: Where readiness and watchdog pings go (default: ``$NOTIFY_SOCKET``).

    Raises:
        ConfigError: the terminal is not provisioned (PKI files, TMK) or misconfigured.
        JournalLostError: the journal is lost or damaged (logged, shown on the display).
        KeysLostError: the key store is gone though a TMK was loaded (likewise).
        DeviceError: an optional device (customer display, beeper) could not be opened.
        MenuError: a menu file is malformed.
        RuntimeError: the menu ended by itself (a fatal error).
    """
    try:
        problems = check_provisioned(config)
        if problems:
            raise ConfigError("not provisioned: " + "; ".join(problems))
        board = DeviceBoard(config.data_dir / STATE_FILE)
        registry = StandInRegistry(board=board)
        terminal = open_terminal(config, readers_optional=True, registry=registry)
    except (JournalLostError, KeysLostError) as exc:  # docs/operations.md
        log.error("refusing to transact: %s", exc)
        try:
            show_refusal(config, exc)
        except XposError as unseen:  # the display missing too: the log has said it
            log.error("cannot show it on the display: %s", unseen)
        raise
    wire(terminal.devices)
    terminal.replug = ReaderReplug(config, clock=terminal.clock, registry=registry)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in _STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    notifier = notifier or Notifier()
    idle = EcrService(terminal, config.ecr).run_forever() if config.ecr else \
        terminal.run_forever()
    runner = asyncio.create_task(idle, name="menu")
    stopper = asyncio.create_task(stop.wait(), name="stop")
    failed = asyncio.create_task(terminal.wait_device_failure(), name="device failure")
    pinger = asyncio.create_task(_watchdog(notifier), name="watchdog")
    watcher = asyncio.create_task(registry.watch(), name="device watch")
    try:
        log.info("terminal %s running: host %s, devices %s", config.tid, config.host,
                 _devices(config))
        fakes = [kind for kind in KINDS if config.devices.get(kind, DEFAULT_URL) == DEFAULT_URL]
        if fakes:
            log.warning("on fake devices, which nothing outside this process can use: %s "
                        "(set [devices] in the config)", ", ".join(fakes))
        notifier.ready(f"terminal {config.tid} running")
        await asyncio.wait({runner, stopper, failed}, return_when=asyncio.FIRST_COMPLETED)
        if failed.done():
            raise failed.result()
        if runner.done():
            runner.result()
            raise RuntimeError("the terminal's menu ended")
        log.info("stopping on signal")
    finally:
        notifier.stopping()
        for sig in _STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        for task in (runner, stopper, failed, pinger, watcher):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await terminal.close()
        board.remove()
    log.info("terminal stopped")


async def _watchdog(notifier: Notifier) -> None:
    """Ping the service manager's watchdog from the event loop, if it asked for one."""
    interval = notifier.watchdog_interval()
    if interval is None:
        return
    while True:
        notifier.watchdog()
        await asyncio.sleep(interval)


def _devices(config: TerminalConfig) -> str:
    return ", ".join(f"{kind}={url}" for kind, url in sorted(config.devices.items())) or "fake"
