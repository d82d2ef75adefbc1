import typing
from pathlib import Path

import pytest

from xpos.core import steps
from xpos.core.flows import BUILTIN_FLOWS
from xpos.core.menu_schema import ITEM_SCHEMA, MENU_SCHEMA
from xpos.core.steps import ResultCode

DOC = (Path(__file__).resolve().parents[2] / "docs" / "menus.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", [c.name for c in ResultCode])
def test_docs_explain_every_result_code(code):
    assert f"| `{code}` |" in DOC


@pytest.mark.parametrize("step", [s.__name__ for s in typing.get_args(steps.Step)])
def test_docs_list_every_step(step):
    assert f"| `{step}` |" in DOC


@pytest.mark.parametrize("name", sorted(BUILTIN_FLOWS))
def test_docs_list_every_builtin_action(name):
    assert f"`builtin:{name}`" in DOC


@pytest.mark.parametrize(
    "key", [f"menu.{k}" for k in MENU_SCHEMA] + [f"menu.items[n].{k}" for k in ITEM_SCHEMA]
)
def test_docs_describe_every_schema_key(key):
    assert f"`{key}`" in DOC
