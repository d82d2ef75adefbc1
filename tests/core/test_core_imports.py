import json
import pkgutil
import subprocess
import sys

import xpos.core

FORBIDDEN = [
    "socket",
    "ssl",
    "asyncio",
    "selectors",
    "sqlite3",
    "serial",
    "evdev",
    "textual",
    "escpos",
    "anyio",
]

PROBE = """
import importlib, json, pkgutil, sys
import xpos.core
names = [m.name for m in pkgutil.walk_packages(xpos.core.__path__, "xpos.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "modules": sorted(sys.modules)}))
"""


def test_importing_every_core_module_pulls_in_no_io_module():
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out)
    assert "xpos.core.engine" in result["imported"]
    assert "xpos.core.menus" in result["imported"]
    loaded = {name.split(".")[0] for name in result["modules"]}
    assert sorted(loaded & set(FORBIDDEN)) == []


def test_the_probe_would_notice_a_forbidden_import():
    probe = "import sys, json; import sqlite3; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "sqlite3" in {name.split(".")[0] for name in json.loads(out.stdout)}


def test_every_core_module_is_covered_by_the_probe():
    names = {m.name for m in pkgutil.walk_packages(xpos.core.__path__, "xpos.core.")}
    assert {"xpos.core.flows.sale", "xpos.core.machines.keyed", "xpos.core.testing"} <= names
