"""Reading the menu folder (shell side of :mod:`xpos.core.menus`).

The core parses and checks menus from text and never touches files;
:func:`load_menus` is the part that reads them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from xpos.core.menus import MenuSet, parse_menus
from xpos.errors import MenuError

__all__ = ["load_menus"]


#: The package that ships the standard menus as data (``xpos/menus/*.toml``).
PACKAGED_MENUS = "xpos.menus"


def load_menus(directory: Path | None = None, *,
               builtins: Collection[str] | None = None) -> MenuSet:
    """Read every ``*.toml`` menu in ``directory`` and check the set.

    Errors name the file as ``str(directory / name)``; errors about the set as a
    whole (no files, no ``main`` menu) name the directory.

    Args:
        directory: The menu folder; ``None`` reads the menus shipped in the package
            (``xpos/menus/``) through :mod:`importlib.resources`, so a wheel install
            finds them too.
        builtins: Flow names ``builtin:`` may use; the keys of
            :data:`~xpos.core.flows.BUILTIN_FLOWS` by default.

    Raises:
        MenuError: a missing or empty folder, a file that cannot be read or is not
            UTF-8, or the first problem :func:`~xpos.core.menus.parse_menus` finds.
    """
    if directory is None and builtins is None:
        return _packaged_menus()
    return _load(directory, builtins)


@functools.cache
def _packaged_menus() -> MenuSet:
    """The shipped menus, read once per process (package data does not change)."""
    return _load(None, None)


def _load(directory: Path | None, builtins: Collection[str] | None) -> MenuSet:
    folder: Traversable = resources.files(PACKAGED_MENUS) if directory is None else directory
    origin = "xpos/menus" if directory is None else str(directory)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")),
                   key=lambda f: f.name) if folder.is_dir() else []
    if not files:
        why = "no *.toml menu files" if folder.is_dir() else (
            "not a directory" if directory is not None and directory.exists()
            else "no such directory")
        raise MenuError(why, path=origin, key="menu")
    texts = {_name(origin, file): _read(file, _name(origin, file)) for file in files}
    return parse_menus(texts, builtins=builtins, origin=origin)


def _name(origin: str, file: Traversable) -> str:
    return f"{origin}/{file.name}"


def _read(file: Traversable, name: str) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MenuError("not UTF-8 text", path=name, key="<toml>") from exc
    except OSError as exc:
        raise MenuError(f"cannot read: {exc.strerror}", path=name, key="<toml>") from exc
