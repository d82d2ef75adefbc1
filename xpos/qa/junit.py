"""JUnit XML for CI dashboards: one ``testsuite`` per scenario file.

Each scenario is a ``testcase`` (``classname`` = the file, ``name`` = the scenario);
a failed one carries a ``failure`` with the message and the evidence directory, and
every one a ``system-out`` with its steps marked ✓ done, ✗ failed, · not run.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from xpos.qa.model import marked_steps
from xpos.qa.runner import ScenarioResult


def junit_xml(results: Sequence[ScenarioResult]) -> bytes:
    """The JUnit XML document (UTF-8) for these results."""
    root = ET.Element("testsuites", name="xpos-qa", tests=str(len(results)),
                      failures=str(sum(not r.passed for r in results)),
                      time=f"{sum(r.seconds for r in results):.3f}")
    for path, group in itertools.groupby(results, key=lambda r: r.scenario.path):
        cases = list(group)
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(cases)),
                              failures=str(sum(not r.passed for r in cases)), errors="0",
                              skipped="0", time=f"{sum(r.seconds for r in cases):.3f}")
        for result in cases:
            case = ET.SubElement(suite, "testcase", classname=path, name=result.scenario.name,
                                 time=f"{result.seconds:.3f}",
                                 file=path, line=str(result.scenario.line))
            ET.SubElement(case, "system-out").text = _steps(result)
            if not result.passed:
                scrub = result.scenario.scrub
                failure = ET.SubElement(case, "failure",
                                        message=scrub(result.message.splitlines()[0]))
                text = scrub(result.message)
                if result.evidence is not None:
                    text += f"\n\nevidence: {result.evidence}"
                failure.text = text
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _steps(result: ScenarioResult) -> str:
    """The steps, marked ✓ done, ✗ failed, · not run (secrets masked as in reports)."""
    lines = marked_steps(result.scenario, done=result.steps_run, failed=result.step)
    return result.scenario.scrub("\n".join(lines))


def write_junit(path: Path, results: Sequence[ScenarioResult]) -> None:
    """Write :func:`junit_xml` to ``path`` (parent directories made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junit_xml(results))
