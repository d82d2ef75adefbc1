"""Run the emulator from the command line: options, the rig, logging to a file, the app.

:func:`build_app` is where the emulator is composed: it builds the
:class:`~xpos.testing.rig.TerminalRig` (embedded reference host unless ``--host``,
sign-on at start, demo cards and vouchers back to their demo state) and hands it to the
:class:`EmulatorApp`, which starts and stops it in its event loop.

While Textual owns the terminal, log records go to ``<data dir>/emulator.log`` (masked
like every X-POS log) instead of stderr, which would scribble over the screen; and the
screen is drawn on the terminal even when stderr is redirected (:mod:`.tty`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.tty import check_terminal, drawing_on_terminal
from xpos.testing.rig import TerminalRig
from xpos.testing.startup import prepare_emulated

LOG_NAME = "emulator.log"


@dataclass(frozen=True, kw_only=True)
class EmulatorOptions:
    """What ``xpos emulator`` was asked for.

    Attributes:
        data_dir: Terminal data directory (the embedded host keeps ``host/`` in it).
        host: ``host:port`` of another host, or ``None`` for the embedded one.
        lang: ``"zh"`` / ``"en"``, or ``None`` for the ``lang`` of ``xpos.toml``.
    """

    data_dir: Path
    host: str | None = None
    lang: str | None = None


def build_rig(options: EmulatorOptions, *, lang: str) -> TerminalRig:
    """The rig the emulator shows (not started): signs on, fresh demo data."""
    return TerminalRig(options.data_dir, host_address=options.host, sign_on=True,
                       fresh_demo_data=True, till=True, lang=lang)


def build_app(options: EmulatorOptions) -> EmulatorApp:
    """The app for ``options``, handed its rig (the data directory is created 0700 if missing).

    Everything that can be checked before the screen appears is checked here: the data
    directory (a file, not writable, cannot be created), ``xpos.toml`` and its
    ``[devices]`` (only ``fake:`` ones: the emulator emulates every device).

    Raises:
        ConfigError: one line naming the problem and what to do.
    """
    config = prepare_emulated(options.data_dir, what="the emulator")
    lang = options.lang or config.lang
    return EmulatorApp(build_rig(options, lang=lang), lang=lang)


def run_emulator(options: EmulatorOptions) -> int:
    """Run the emulator until the user quits; returns the exit code.

    Raises:
        NoTerminalError: there is no terminal to draw on (checked after the
            configuration, so a bad one is reported first).
        XposError: the rig could not start (bad configuration, bad PKI …).
        OSError: the rig could not start (e.g. the data directory is not writable).
    """
    app = build_app(options)
    check_terminal()
    with _log_to(options.data_dir / LOG_NAME), drawing_on_terminal():
        app.run()
    if app.error is not None:
        raise app.error
    return app.return_code or 0


@contextlib.contextmanager
def _log_to(path: Path) -> Iterator[None]:
    """Send the root logger's records to ``path`` instead of its handlers, for a while."""
    root = logging.getLogger()
    saved = root.handlers[:]
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    try:
        yield
    finally:
        root.handlers = saved
        handler.close()
