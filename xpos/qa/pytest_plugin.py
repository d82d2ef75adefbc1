"""pytest plugin: YAML scenarios in a ``scenarios`` directory run as pytest items.

Installed with X-POS (entry point ``pytest11``): every ``*.yaml`` / ``*.yml`` file whose
directory is named ``scenarios`` (or lies below one) is collected; each scenario in it is
one test item named after the scenario, with its tags as ``-k`` keywords. An invalid
file is a collection error naming file, line and key. ``--xpos-evidence DIR`` keeps the
evidence of failures; without it the evidence goes to pytest's temporary directory and
the failure report names it (``$TMPDIR/xpos-evidence``).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from xpos.errors import ScenarioError
from xpos.qa.model import Scenario
from xpos.qa.parse import load_scenarios
from xpos.qa.runner import ScenarioResult, SharedSetup, run_scenario

_SHARED = pytest.StashKey[SharedSetup]()
_SCENARIO_DIR = "scenarios"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--xpos-evidence DIR``."""
    group = parser.getgroup("xpos-qa", "X-POS QA scenarios")
    group.addoption("--xpos-evidence", metavar="DIR", type=Path, default=None,
                    help="write the evidence of failed scenarios under DIR")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ScenarioFile | None:
    """Collect scenario files (YAML under a directory named ``scenarios``)."""
    if file_path.suffix in (".yaml", ".yml") and _SCENARIO_DIR in file_path.parent.parts:
        file: ScenarioFile = ScenarioFile.from_parent(parent, path=file_path)
        return file
    return None


class ScenarioFile(pytest.File):
    """One scenario file."""

    def collect(self) -> Iterator[ScenarioItem]:
        """One item per scenario; an invalid file fails collection with the located error."""
        try:
            scenarios = load_scenarios(self.path)
        except ScenarioError as exc:
            raise self.CollectError(f"invalid scenario file: {exc}") from None
        for scenario in scenarios:
            item: ScenarioItem = ScenarioItem.from_parent(self, name=scenario.name,
                                                          scenario=scenario)
            yield item


class ScenarioFailed(Exception):
    """A scenario did not pass."""

    def __init__(self, result: ScenarioResult) -> None:
        super().__init__(result.message)
        self.result = result


class ScenarioItem(pytest.Item):
    """One scenario run on a fresh embedded host and terminal."""

    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.extra_keyword_matches.update(scenario.tags)

    def runtest(self) -> None:
        """Run the scenario; raise :class:`ScenarioFailed` if it fails."""
        shared = _shared(self.config)
        evidence = self.config.getoption("xpos_evidence") or Path(
            tempfile.gettempdir()) / "xpos-evidence"
        with tempfile.TemporaryDirectory(prefix="xpos-qa-") as work:
            result = asyncio.run(run_scenario(self.scenario, workdir=Path(work),
                                              evidence_dir=evidence, shared=shared))
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        """The failure message and where the evidence is."""
        if isinstance(excinfo.value, ScenarioFailed):
            result = excinfo.value.result
            text = result.message
            if result.evidence is not None:
                text += f"\nevidence: {result.evidence}"
            return text
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the scenario is."""
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the shared host database and PKI."""
    shared = config.stash.get(_SHARED, None)
    if shared is not None:
        shutil.rmtree(shared.host_template.parent, ignore_errors=True)


def _shared(config: pytest.Config) -> SharedSetup:
    if _SHARED not in config.stash:
        directory = Path(tempfile.mkdtemp(prefix="xpos-qa-shared-"))
        config.stash[_SHARED] = SharedSetup.create(directory)
    return config.stash[_SHARED]
