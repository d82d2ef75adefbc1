"""The menu file schema as data, and the checks that hold a parsed file to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, cast

from xpos.core.screen import COLS, text_width
from xpos.errors import MenuError

MENU_SCHEMA: Mapping[str, type] = {
    "id": str,
    "title": str,
    "title_en": str,
    "version": int,
    "items": list,
}
"""Keys of the ``[menu]`` table and their TOML types (all required)."""

ITEM_SCHEMA: Mapping[str, type] = {"label": str, "label_en": str, "action": str}
"""Keys of each ``[[menu.items]]`` table and their TOML types (all required)."""

TEXT_WIDTH: Mapping[str, int] = {
    "title": COLS,
    "title_en": COLS,
    "label": COLS - 2,
    "label_en": COLS - 2,
}
"""Display columns a text may take (an item row starts with ``n.``)."""

_TYPE_NAMES = {str: "a string", int: "an integer", list: "an array of tables", dict: "a table"}


class ItemTable(TypedDict):
    """A checked ``[[menu.items]]`` table."""

    label: str
    label_en: str
    action: str


class MenuTable(TypedDict):
    """A checked ``[menu]`` table."""

    id: str
    title: str
    title_en: str
    version: int
    items: list[ItemTable]


def check_menu_table(document: Mapping[str, Any], *, path: str) -> MenuTable:
    """Check a parsed menu file against the schema.

    Raises:
        MenuError: naming ``path`` and the dotted key of the first problem.
    """
    _check_table(document, {"menu": dict}, prefix="", path=path)
    table = document["menu"]
    _check_table(table, MENU_SCHEMA, prefix="menu.", path=path)
    if table["version"] < 1:
        raise MenuError("must be 1 or more", path=path, key="menu.version")
    items = table["items"]
    if not items:
        raise MenuError("a menu needs at least one item", path=path, key="menu.items")
    for index, item in enumerate(items):
        key = f"menu.items[{index}]"
        if not isinstance(item, dict):
            raise MenuError("expected a table", path=path, key=key)
        _check_table(item, ITEM_SCHEMA, prefix=f"{key}.", path=path)
    return cast(MenuTable, table)


def _check_table(
    table: Mapping[str, Any], schema: Mapping[str, type], *, prefix: str, path: str
) -> None:
    for key in table:
        if key not in schema:
            known = ", ".join(schema)
            raise MenuError(f"unknown key (expected: {known})", path=path, key=prefix + key)
    for key, kind in schema.items():
        if key not in table:
            raise MenuError("missing", path=path, key=prefix + key)
        _check_value(table[key], kind, path=path, key=prefix + key)


def _check_value(value: object, kind: type, *, path: str, key: str) -> None:
    if not isinstance(value, kind) or isinstance(value, bool):
        got = type(value).__name__
        raise MenuError(f"expected {_TYPE_NAMES[kind]}, got {got}", path=path, key=key)
    if isinstance(value, str):
        if not value.strip():
            raise MenuError("must not be empty", path=path, key=key)
        limit = TEXT_WIDTH.get(key.rpartition(".")[2])
        if limit is not None and text_width(value) > limit:
            raise MenuError(f"wider than {limit} display columns", path=path, key=key)
