"""A tiny ``sd_notify(3)``: tell systemd the service is ready, alive, or stopping.

systemd passes ``$NOTIFY_SOCKET`` (a path, or ``@name`` for the abstract namespace) to a
``Type=notify`` service; each state is one datagram (``READY=1``, ``WATCHDOG=1``,
``STOPPING=1``, ``STATUS=…``). Without the variable every call does nothing, so
``xpos run`` behaves the same outside systemd. ``$WATCHDOG_USEC`` (with
``$WATCHDOG_PID`` naming this process, when set) asks for ``WATCHDOG=1`` at least that
often: :func:`watchdog_interval` gives half of it, as sd_watchdog_enabled(3) advises.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Notifier:
    """Sends states to ``$NOTIFY_SOCKET`` (a no-op when it is not set).

    Args:
        environ: Where to read ``NOTIFY_SOCKET`` and ``WATCHDOG_*`` (default ``os.environ``).
    """

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.address = env.get("NOTIFY_SOCKET", "")
        self._env = env

    @property
    def enabled(self) -> bool:
        """A notify socket was given."""
        return bool(self.address)

    def notify(self, state: str) -> bool:
        """Send one state datagram; False (logged once per failure) when it could not go.

        A service manager that went away must not take the terminal down, so send
        errors are logged, never raised.
        """
        if not self.address:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(state.encode("utf-8"), target)
        except OSError as exc:
            log.warning("sd_notify %s to %s failed: %s", state.split("\n")[0], self.address, exc)
            return False
        return True

    def ready(self, status: str = "") -> bool:
        """``READY=1`` (and ``STATUS=``): the terminal serves."""
        return self.notify("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def watchdog(self) -> bool:
        """``WATCHDOG=1``: still alive."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """``STOPPING=1``: shutting down on request."""
        return self.notify("STOPPING=1")

    def watchdog_interval(self) -> float | None:
        """Seconds between ``WATCHDOG=1`` pings (half of ``$WATCHDOG_USEC``), or None.

        None when no watchdog is asked for, the value is not a positive integer, or
        ``$WATCHDOG_PID`` names another process.
        """
        usec = self._env.get("WATCHDOG_USEC", "")
        pid = self._env.get("WATCHDOG_PID", "")
        if not usec.isdigit() or int(usec) <= 0:
            return None
        if pid and (not pid.isdigit() or int(pid) != os.getpid()):
            return None
        return int(usec) / 2_000_000
