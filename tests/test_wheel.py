"""The wheel is complete: built, installed in a fresh virtualenv, ``xpos demo`` runs.

Menus are package data read through ``importlib.resources``; a file left out of the
wheel would only show once installed, so this builds the wheel from a copy of the
sources, installs it (``--no-deps``) into a new virtualenv outside the source tree and
runs ``xpos demo`` there, with the working directory outside the repository.

To stay fast and offline the new virtualenv gets the dependencies already installed
here through a ``.pth`` line naming this environment's site-packages. Python does not
process ``.pth`` files in a directory added that way, so the editable install of the
source tree is not visible; the test checks that ``xpos`` is imported from the new
virtualenv. The ``.pth`` is written after the wheel is installed, so pip never sees the
development install there. The wheel is built without build isolation when this
environment has a setuptools that can (otherwise pip fetches setuptools from its index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "xpos")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def _can_build_here() -> bool:
    """True if this environment's setuptools builds wheels without fetching anything."""
    try:
        version = tuple(int(p) for p in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    if version >= (70, 1):  # bdist_wheel is part of setuptools from 70.1
        return True
    try:
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        return False
    return version >= (68, 0)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (the tree gets no build/ or egg-info)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    isolation = ["--no-build-isolation"] if _can_build_here() else []
    out = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation,
               "-w", base / "dist", src, cwd=base)
    assert out.returncode == 0, out.stderr
    (built,) = (base / "dist").glob("xpos_terminal-*.whl")
    return built


def test_the_wheel_carries_the_menus_and_the_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    menus = sorted(p.name for p in (ROOT / "xpos" / "menus").glob("*.toml"))
    assert menus
    assert {f"xpos/menus/{name}" for name in menus} <= names
    assert "xpos/py.typed" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)


def test_the_installed_wheel_runs_the_demo_outside_the_source_tree(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    created = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q",
                     "--no-deps", "--no-index", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).stdout.strip())
    (site / "xpos-dev-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n",
                                            encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("XPOS")}
    env["PYTHONNOUSERSITE"] = "1"

    where = _run(python, "-c", "import xpos, xpos.menus; print(xpos.__file__)",
                 cwd=tmp_path, env=env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv)
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)

    demo = _run(venv / "bin" / "xpos", "demo", "--data-dir", tmp_path / "data",
                cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert demo.stdout.rstrip().endswith("DEMO OK")
    assert "Traceback" not in demo.stderr
