"""Menus as data: the TOML files in ``menus/``, their validation, and the menu flow.

Theory of operation
-------------------
Each ``*.toml`` file in the menu directory holds one menu (schema in docs/menus.md)::

    [menu]
    id = "main"            # unique; "main" is the root
    title = "主菜单"
    title_en = "Main menu"
    version = 1

    [[menu.items]]
    label = "消费"
    label_en = "Sale"
    action = "builtin:sale"   # or "menu:<id>" for a submenu, "service:<id>" (X3)

:func:`parse_menus` takes the files' texts (file name -> TOML text; this module reads
no files: :func:`xpos.terminal.menufiles.load_menus` reads a menu folder and calls it), checks
every menu strictly (unknown, missing and wrongly typed keys, labels too wide for the
display, unknown built-in flows) and then checks the set (duplicate ids, dangling or
cyclic ``menu:`` links, a root menu). Any problem raises
:class:`~xpos.errors.MenuError` naming the file and the dotted key, e.g.
``menu.items[1].action`` (item indexes count from 0). A menu set that parses is safe to
run: :func:`menu_flow` never meets an action it cannot perform.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Generator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from xpos.core.flows import BUILTIN_FLOWS
from xpos.core.flows.common import ask
from xpos.core.flows.interactive import service_flow
from xpos.core.flows.online import Command, Flow, FlowContext
from xpos.core.i18n import pick
from xpos.core.menu_schema import check_menu_table
from xpos.core.steps import ResultCode, Select
from xpos.errors import MenuError

ROOT_MENU = "main"
"""The id of the menu shown first."""

_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")
_SERVICE_ID = re.compile(r"[a-z][a-z0-9_-]{0,31}")


@dataclass(frozen=True, kw_only=True)
class MenuItem:
    """One entry of a menu."""

    label: str
    label_en: str
    action: str

    @property
    def kind(self) -> str:
        """``"builtin"``, ``"menu"`` or ``"service"`` (an X3 platform service)."""
        return self.action.partition(":")[0]

    @property
    def target(self) -> str:
        """The built-in flow name, the submenu id or the platform service id."""
        return self.action.partition(":")[2]

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` (Chinese unless ``"en"``)."""
        return pick((self.label, self.label_en), lang)


@dataclass(frozen=True, kw_only=True)
class Menu:
    """One menu, as loaded from one file."""

    id: str
    title: str
    title_en: str
    version: int
    items: tuple[MenuItem, ...]
    path: str

    def title_in(self, lang: str) -> str:
        """The title in ``lang`` (Chinese unless ``"en"``)."""
        return pick((self.title, self.title_en), lang)


@dataclass(frozen=True, kw_only=True)
class MenuSet:
    """All menus, validated; ``root`` is the one shown first."""

    menus: Mapping[str, Menu]
    root: str = ROOT_MENU

    def __getitem__(self, menu_id: str) -> Menu:
        """The menu with this id (KeyError if none)."""
        return self.menus[menu_id]

    @property
    def versions(self) -> dict[str, int]:
        """Menu id -> version, e.g. for a TMS status report."""
        return {menu.id: menu.version for menu in self.menus.values()}


def parse_menu(text: str, *, path: str, builtins: Collection[str]) -> Menu:
    """Parse and check one menu file's text.

    Args:
        text: The TOML source.
        path: Where it came from (for error messages).
        builtins: The built-in flow names ``builtin:`` actions may use.

    Raises:
        MenuError: naming ``path`` and the offending key.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MenuError(f"not valid TOML: {exc}", path=path, key="<toml>") from exc
    except RecursionError:
        raise MenuError("not valid TOML: nested too deeply", path=path, key="<toml>") from None
    table = check_menu_table(document, path=path)
    if not _ID.fullmatch(table["id"]):
        raise MenuError("id must match [a-z][a-z0-9_]*", path=path, key="menu.id")
    items = tuple(
        MenuItem(label=item["label"], label_en=item["label_en"], action=item["action"])
        for item in table["items"]
    )
    for index, item in enumerate(items):
        _check_action(item.action, builtins, path=path, key=f"menu.items[{index}].action")
    return Menu(
        id=table["id"],
        title=table["title"],
        title_en=table["title_en"],
        version=table["version"],
        items=items,
        path=path,
    )


def parse_menus(
    texts: Mapping[str, str],
    *,
    builtins: Collection[str] | None = None,
    origin: str = "menus",
) -> MenuSet:
    """Parse and check a whole menu set from the texts of its files.

    Files are checked in sorted name order; a duplicate id is reported in the later of
    the two files.

    Args:
        texts: File name -> TOML text; the name is what errors (and ``Menu.path``) show.
        builtins: Flow names ``builtin:`` may use; the keys of
            :data:`~xpos.core.flows.BUILTIN_FLOWS` by default.
        origin: Where the set came from (the menu folder); errors about the set as a
            whole (no menus, no ``main`` menu) name it as their path.

    Raises:
        MenuError: the first problem found, naming the file and the key.
    """
    names = BUILTIN_FLOWS.keys() if builtins is None else builtins
    if not texts:
        raise MenuError("no menu files", path=origin, key="menu")
    menus: dict[str, Menu] = {}
    for path in sorted(texts):
        menu = parse_menu(texts[path], path=path, builtins=names)
        if menu.id in menus:
            other = menus[menu.id].path
            raise MenuError(f"duplicate id {menu.id!r} (also in {other})", path=path, key="menu.id")
        menus[menu.id] = menu
    _check_links(menus, origin)
    return MenuSet(menus=MappingProxyType(menus))


def menu_flow(
    menus: MenuSet,
    ctx: FlowContext,
    *,
    flows: Mapping[str, Callable[[FlowContext], Flow]] = BUILTIN_FLOWS,
) -> Flow:
    """Run the menu tree: pick an item, run its flow, come back to the menu.

    CANCEL in a submenu goes back to its parent; CANCEL in the root menu, or a timeout
    anywhere, ends the flow.

    Args:
        menus: A validated menu set.
        ctx: Passed to every flow started from the menu.
        flows: The built-in flows (the same names the menus were validated with).
    """
    yield from _run_menu(menus, menus.root, ctx, flows, submenu=False)


def _run_menu(
    menus: MenuSet,
    menu_id: str,
    ctx: FlowContext,
    flows: Mapping[str, Callable[[FlowContext], Flow]],
    *,
    submenu: bool,
) -> Generator[Command, object, bool]:
    """Run one menu; returns True when the whole tree should close."""
    menu = menus[menu_id]
    by_id = {str(n): item for n, item in enumerate(menu.items)}
    items = tuple((key, item.label_in(ctx.lang)) for key, item in by_id.items())
    select = Select(title=menu.title_in(ctx.lang), items=items, submenu=submenu)
    while True:
        choice = yield from ask(select)
        if choice.code is ResultCode.BACK:
            return False
        if not choice.ok:
            return True
        item = by_id.get(choice.id)
        if item is None:
            continue
        if item.kind == "menu":
            if (yield from _run_menu(menus, item.target, ctx, flows, submenu=True)):
                return True
        elif item.kind == "service":
            yield from service_flow(ctx, item.target)
        elif item.target in flows:
            yield from flows[item.target](ctx)


def _check_action(action: str, builtins: Collection[str], *, path: str, key: str) -> None:
    scheme, colon, name = action.partition(":")
    if not colon or scheme not in ("builtin", "menu", "service"):
        raise MenuError(f"{action!r}: use 'builtin:<flow>', 'menu:<id>' or 'service:<id>'",
                        path=path, key=key)
    if scheme == "service" and not _SERVICE_ID.fullmatch(name):
        raise MenuError(f"bad service id {name!r}", path=path, key=key)
    if scheme == "builtin" and name not in builtins:
        known = ", ".join(sorted(builtins))
        raise MenuError(f"unknown built-in flow {name!r} (known: {known})", path=path, key=key)
    if scheme == "menu" and not _ID.fullmatch(name):
        raise MenuError(f"bad menu id {name!r}", path=path, key=key)


def _check_links(menus: Mapping[str, Menu], origin: str) -> None:
    if ROOT_MENU not in menus:
        raise MenuError(f"no menu with id {ROOT_MENU!r}", path=origin, key="menu.id")
    for menu in menus.values():
        for index, item in enumerate(menu.items):
            if item.kind == "menu" and item.target not in menus:
                raise MenuError(
                    f"no menu with id {item.target!r}",
                    path=menu.path,
                    key=f"menu.items[{index}].action",
                )
    for menu in menus.values():
        _check_no_cycle(menus, menu, (menu.id,))


def _check_no_cycle(menus: Mapping[str, Menu], menu: Menu, trail: tuple[str, ...]) -> None:
    for index, item in enumerate(menu.items):
        if item.kind != "menu":
            continue
        if item.target in trail:
            loop = " -> ".join((*trail, item.target))
            raise MenuError(f"menu loop {loop}", path=menu.path, key=f"menu.items[{index}].action")
        _check_no_cycle(menus, menus[item.target], (*trail, item.target))
