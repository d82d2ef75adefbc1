"""Change notification for the fake devices' test side.

A fake device that others watch (the emulator's panes) holds a :class:`Listeners` and
calls :meth:`Listeners.notify` after each change of what it shows. A listener takes no
argument: it reads the device again. Listeners run synchronously in the thread that
changed the device (the event loop's, for the fakes); one that must act on another loop
or thread schedules the work itself (e.g. ``loop.call_soon_threadsafe``). A listener that
raises does not stop the others or the device: the error is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

Listener = Callable[[], None]
_log = logging.getLogger(__name__)


class Listeners:
    """The callbacks to call when a device changed."""

    def __init__(self) -> None:
        self._callbacks: list[Listener] = []

    def add(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback()`` after every change; returns a function that stops it."""
        self._callbacks.append(callback)

        def remove() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return remove

    def __len__(self) -> int:
        return len(self._callbacks)

    def notify(self) -> None:
        """Call every listener (in the order added)."""
        for callback in list(self._callbacks):
            try:
                callback()
            except Exception:
                _log.exception("device change listener %r failed", callback)
