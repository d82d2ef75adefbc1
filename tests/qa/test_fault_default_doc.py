"""docs/qa.md names the default targets of ``host_fault`` exactly as the host has them."""

from __future__ import annotations

import re
from pathlib import Path

from xpos.qa.verbs import HOST_MESSAGES
from xpos.refhost.faults import FINANCIAL

DOC = Path(__file__).resolve().parents[2] / "docs" / "qa.md"


def test_docs_list_the_default_fault_targets() -> None:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"by default the financial ones: (.*?)\)", text, re.S)
    assert found, "docs/qa.md: the host_fault default is not listed"
    words = re.findall(r"`([a-z_]+)`", found.group(1))
    assert len(words) == len(set(words))
    assert {HOST_MESSAGES[word] for word in words} == {kind.value for kind in FINANCIAL}
