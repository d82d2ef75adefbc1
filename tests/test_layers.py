import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"socket", "ssl", "asyncio", "sqlite3", "serial", "evdev", "textual", "anyio",
             "escpos", "selectors"}
PURE_PACKAGES = ["xpos/core", "xpos/proto"]
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
