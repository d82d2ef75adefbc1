"""Draw on the terminal even when stderr is redirected (``xpos emulator 2>file``).

Textual draws on the process's stderr (file descriptor 2). Redirected to a file, the
screen would go into the file and the terminal would stay blank; so while the app runs,
:func:`drawing_on_terminal` puts the controlling terminal (``/dev/tty``) on descriptor 2
and gives the file back afterwards, where the error line of a failed start still goes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from xpos.errors import NoTerminalError

TTY = "/dev/tty"


@contextlib.contextmanager
def drawing_on_terminal(fd: int = 2, tty: str = TTY) -> Iterator[bool]:
    """While in the block, ``fd`` is the controlling terminal if it is not one already.

    Args:
        fd: The descriptor Textual draws on.
        tty: The terminal device to open.

    Yields:
        True when ``fd`` was moved to the terminal; False when it already is one, or
        when there is no terminal to open (then nothing changes).
    """
    if os.isatty(fd):
        yield False
        return
    try:
        terminal = os.open(tty, os.O_RDWR | os.O_NOCTTY)
    except OSError:
        yield False
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    os.dup2(terminal, fd)
    os.close(terminal)
    try:
        yield True
    finally:
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)


def check_terminal(fd: int = 2, tty: str = TTY) -> None:
    """Make sure there is a terminal to draw on: ``fd`` is one, or ``tty`` opens.

    Without one Textual would write its screen into a file or a pipe and wait for keys
    that never come.

    Raises:
        NoTerminalError: one line saying what to run instead.
    """
    if os.isatty(fd):
        return
    try:
        os.close(os.open(tty, os.O_RDWR | os.O_NOCTTY))
    except OSError:
        raise NoTerminalError(
            "xpos emulator draws a full screen and needs a terminal (none here: no "
            "controlling terminal and stderr is not one); run it in a terminal window, "
            "tmux or ssh -t, or use `xpos demo` / `xpos qa run` headless") from None
