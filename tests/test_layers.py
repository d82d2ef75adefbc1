import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"socket", "ssl", "asyncio", "sqlite3", "serial", "evdev", "textual", "anyio",
             "escpos", "selectors"}
PURE_PACKAGES = ["xpos/model", "xpos/core", "xpos/proto"]
# File access the pure packages must not do: the ``open`` builtin (also ``io.open``,
# ``Path.open``) and the pathlib shortcuts. The shell reads files and passes text in.
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


def _modules(package: str) -> list[str]:
    return [".".join(p.relative_to(ROOT).with_suffix("").parts)
            for p in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_io_modules_directly(package: str) -> None:
    offenders = []
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_import_no_io_modules_transitively(package: str) -> None:
    modules = _modules(package)
    assert modules
    code = (
        "import sys\n"
        f"before = set(sys.modules)\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        f"bad = sorted(m for m in set(sys.modules) - before if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def _file_calls(source: str) -> list[str]:
    """``line: call`` for every call of ``open(...)`` or ``<anything>.<FILE_CALLS>(...)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            found.append(f"{node.lineno}: open(")
        elif isinstance(func, ast.Attribute) and func.attr in FILE_CALLS:
            found.append(f"{node.lineno}: .{func.attr}(")
    return found


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_packages_do_no_file_io(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{call}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for call in _file_calls(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "call"),
    [
        ("open('m.toml').read()", "open("),
        ("with open(p, 'rb') as f: pass", "open("),
        ("io.open(p)", ".open("),
        ("Path(p).open()", ".open("),
        ("text = path.read_text(encoding='utf-8')", ".read_text("),
        ("data = (folder / 'x').read_bytes()", ".read_bytes("),
        ("p.write_text('x')", ".write_text("),
        ("p.write_bytes(b'x')", ".write_bytes("),
    ],
)
def test_the_file_io_check_would_notice(source: str, call: str) -> None:
    assert _file_calls(source) == [f"1: {call}"]


def test_the_file_io_check_ignores_names_that_are_not_calls() -> None:
    assert _file_calls("opened = 'open'\nread_text = None\nx.read_text\n") == []


# -- the import table (DESIGN.md §2, docs/architecture.md) ------------------------------
#: Which X-POS packages each package may import (itself always). ``None``: anything.
#: ``cli`` is the top; everything else is listed here, so a new package must be added.
ALLOWED: dict[str, set[str] | None] = {
    "errors": set(),
    "model": {"errors"},
    "core": {"model", "errors"},
    "proto": {"model", "errors"},
    "security": {"model", "errors"},
    "journal": {"model", "errors", "security", "proto"},
    "receipts": {"model", "errors"},
    "drivers": {"model", "errors", "security", "receipts"},
    "menus": set(),
    "terminal": {"model", "errors", "core", "proto", "security", "journal", "receipts",
                 "drivers", "menus"},
    "refhost": {"model", "errors", "proto", "security", "journal"},
    "testing": {"model", "errors", "core", "proto", "security", "journal", "receipts",
                "drivers", "menus", "terminal", "refhost"},
    "emulator": {"model", "errors", "core", "proto", "security", "journal", "receipts",
                 "drivers", "testing"},
    "qa": {"model", "errors", "core", "proto", "security", "journal", "receipts",
           "drivers", "testing"},
    "cli": None,
    "__init__": set(),
}
#: Third-party modules a package must never import (besides the I/O list for the pure ones).
FORBIDDEN_THIRD_PARTY = {"terminal": {"textual"}, "refhost": {"textual"}}


def _package_of(path: Path) -> str:
    parts = path.relative_to(ROOT / "xpos").with_suffix("").parts
    return parts[0]


def _xpos_imports(source: str, module: str) -> list[tuple[int, str]]:
    """``(line, imported module)`` for every import in ``source`` (relative ones resolved)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: -node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def layer_violations(root: Path) -> list[str]:
    """Every import in ``root`` (an ``xpos`` tree) that the table forbids."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        package = path.relative_to(root).with_suffix("").parts[0]
        module = ".".join(("xpos", *path.relative_to(root).with_suffix("").parts))
        if package not in ALLOWED:
            bad.append(f"{path.relative_to(root)}: package {package!r} is not in the table")
            continue
        allowed = ALLOWED[package]
        for line, name in _xpos_imports(path.read_text(encoding="utf-8"), module):
            top = name.split(".")
            if top[0] in FORBIDDEN_THIRD_PARTY.get(package, set()):
                bad.append(f"{path.relative_to(root)}:{line}: {name}")
            if top[0] != "xpos" or allowed is None or len(top) < 2:
                continue
            target = top[1]
            if target != package and target not in allowed:
                bad.append(f"{path.relative_to(root)}:{line}: {package} imports {name}")
    return bad


def test_every_import_follows_the_table() -> None:
    assert layer_violations(ROOT / "xpos") == []


@pytest.mark.parametrize(
    ("package", "line"),
    [
        ("terminal", "from xpos.refhost.server import ReferenceHost"),
        ("terminal", "import textual.app"),
        ("model", "from xpos.core.steps import Input"),
        ("core", "from xpos.receipts.escpos import render"),
        ("refhost", "from xpos.terminal.runtime import Terminal"),
        ("qa", "from xpos.refhost.seed import DEMO"),
        ("emulator", "from xpos.terminal import runtime"),
        ("proto", "from ..security import mac"),
    ],
)
def test_the_table_fails_on_a_forbidden_import(tmp_path: Path, package: str,
                                               line: str) -> None:
    (tmp_path / package).mkdir()
    (tmp_path / package / "bad.py").write_text(line + "\n", encoding="utf-8")
    assert len(layer_violations(tmp_path)) == 1


def test_the_table_knows_every_package() -> None:
    packages = {p.name for p in (ROOT / "xpos").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in (ROOT / "xpos").glob("*.py")}
    assert packages | modules <= set(ALLOWED)
