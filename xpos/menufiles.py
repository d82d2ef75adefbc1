"""Reading the menu folder (shell side of :mod:`xpos.core.menus`).

The core parses and checks menus from text and never touches files;
:func:`load_menus` is the part that reads them.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from xpos.core.menus import MenuSet, parse_menus
from xpos.errors import MenuError

__all__ = ["load_menus"]


def load_menus(directory: Path, *, builtins: Collection[str] | None = None) -> MenuSet:
    """Read every ``*.toml`` menu in ``directory`` and check the set.

    Errors name the file as ``str(directory / name)``; errors about the set as a
    whole (no files, no ``main`` menu) name the directory.

    Args:
        directory: The menu folder (``menus/`` in the repository).
        builtins: Flow names ``builtin:`` may use; the keys of
            :data:`~xpos.core.flows.BUILTIN_FLOWS` by default.

    Raises:
        MenuError: a missing or empty folder, a file that cannot be read or is not
            UTF-8, or the first problem :func:`~xpos.core.menus.parse_menus` finds.
    """
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if not files:
        raise MenuError("no *.toml menu files", path=str(directory), key="menu")
    texts = {str(file): _read(file) for file in files}
    return parse_menus(texts, builtins=builtins, origin=str(directory))


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MenuError("not UTF-8 text", path=str(file), key="<toml>") from exc
    except OSError as exc:
        raise MenuError(f"cannot read: {exc.strerror}", path=str(file), key="<toml>") from exc
