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
