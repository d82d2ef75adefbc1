"""``xpos keys load``: the TMK from components (prompt without echo, stdin or arguments).

The components never reach a log, an error message or the screen; ``--component`` works
but warns that it leaves the key in the process list and shell history.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from xpos.errors import ConfigError, SecurityError
from xpos.terminal.config import KEYSTORE_NAME, prepare_data_dir


class KeyEntryError(SecurityError):
    """TMK components or check value given wrongly (count, not hex, length, none)."""


def keys_load(args: argparse.Namespace) -> int:
    from xpos.security.keystore import KeyStore

    components = _components(args)
    prepare_data_dir(args.data_dir)
    path = args.data_dir / KEYSTORE_NAME
    store = KeyStore(path)
    try:
        store.load_tmk(components, args.kcv)
    except ConfigError as exc:  # count, hex, length: never quotes key digits
        raise KeyEntryError(str(exc)) from None
    print(f"TMK loaded into {path} (KCV {args.kcv.strip().upper()})")
    if args.component:
        print("xpos: 注意 note: --component leaves the key in the process list and shell "
              "history; the prompt (no --component) does not", file=sys.stderr)
    return 0


def _components(args: argparse.Namespace) -> list[str]:
    """The TMK components: from ``--component``, stdin, or a prompt without echo.

    Raises:
        KeyEntryError: none could be read (no terminal to prompt on, input ended).
    """
    if args.component:
        return list(args.component)
    if args.components_from_stdin:
        return [line.strip() for line in sys.stdin if line.strip()]
    if not sys.stdin.isatty():
        raise KeyEntryError("no TMK components: run in a terminal to be asked for them, or "
                            "pipe them one per line with --components-from-stdin")
    return _prompt_components(sys.stderr)


def _prompt_components(out: TextIO) -> list[str]:
    """Ask for 2 or 3 components without echo (an empty third answer ends)."""
    print("输入TMK分量 enter the TMK components (not shown while typed)", file=out)
    components: list[str] = []
    while len(components) < 3:
        optional = len(components) == 2
        hint = " (Enter if none)" if optional else ""
        try:
            answer = getpass.getpass(f"分量 component {len(components) + 1}{hint}: ",
                                     stream=out)
        except EOFError:
            raise KeyEntryError("input ended before the TMK components were entered") from None
        if not answer.strip() and optional:
            break
        components.append(answer)
    return components
