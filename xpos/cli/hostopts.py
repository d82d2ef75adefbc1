"""The ``xpos host`` options that tune the reference host's business rules.

Each option is checked by argparse (a bad value is one usage line, exit 2) and handed to
:func:`xpos.refhost.server.serve_forever`; docs/reference-host.md lists them.
"""

from __future__ import annotations

import argparse

DEFAULT_X_VOID_WINDOW_S = 86_400
"""``--x-void-window``'s default: 24 h (``HostContext.x_void_window_s``)."""
MAX_WINDOW_S = 366 * 86_400
"""The longest window accepted: a year (a longer one is surely a typo)."""


def add_host_options(parser: argparse.ArgumentParser) -> None:
    """Add the business-rule options of ``xpos host`` to its parser."""
    parser.add_argument(
        "--x-void-window", type=window_seconds, default=DEFAULT_X_VOID_WINDOW_S,
        metavar="SECONDS",
        help="how long after a redemption an X void (核销撤销) is accepted, unless the "
             "voucher's provider has its own window; 0 refuses every X void "
             f"(default {DEFAULT_X_VOID_WINDOW_S} = 24 h)")


def window_seconds(text: str) -> int:
    """A window in whole seconds, 0 to :data:`MAX_WINDOW_S`.

    Raises:
        argparse.ArgumentTypeError: not a whole number of seconds in that range (argparse
            turns it into a usage error naming the option).
    """
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_WINDOW_S:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of seconds from 0 to {MAX_WINDOW_S} "
            f"(e.g. 3600 for one hour), got {text!r}")
    return int(value)
