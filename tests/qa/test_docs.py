"""docs/qa.md documents the whole vocabulary the parser accepts, and its examples parse."""

import re
from pathlib import Path

import pytest

from xpos.model import Key
from xpos.qa import parse, proof_parse
from xpos.qa.parse import load_scenarios

DOC = (Path(__file__).parent.parent.parent / "docs" / "qa.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("word", [
    *parse.VERBS, *(k.value for k in Key if len(k.value) > 1), *parse.CARD_FIELDS,
    *parse.VOUCHER_FIELDS, *parse.PROVIDER_FIELDS, *parse.FIXTURE_KINDS, *parse.FAULTS,
    *parse.HOST_MESSAGES, *parse.HOST_CHECKS, *parse.JOURNAL_LAST_FIELDS,
    *parse.TERMINAL_KEYS, *parse.SCENARIO_KEYS, *proof_parse.HOST_CONTROLS,
    *proof_parse.HOST_SIDES, *proof_parse.DEVICE_FAULTS, *proof_parse.HOST_STATE_KEYS,
    *proof_parse.LEDGER_SELECT, *proof_parse.JOURNAL_REVERSAL, *proof_parse.ORDER_KEYS,
    "row", "jobs", "job", "after",
])
def test_every_word_is_documented(word: str) -> None:
    assert f"`{word}`" in DOC or f"{word}:" in DOC


def test_the_yaml_examples_parse(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
    assert blocks
    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.yaml"
        path.write_text(block, encoding="utf-8")
        assert load_scenarios(path)


def test_the_yaml_examples_pass(tmp_path: Path) -> None:
    """A reader copies the examples into a file: they must run green, not only parse."""
    import asyncio

    from xpos.qa.runner import run_scenario

    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.yaml"
        path.write_text(block, encoding="utf-8")
        for scenario in load_scenarios(path):
            result = asyncio.run(run_scenario(scenario, workdir=tmp_path / f"work{number}"))
            assert result.passed, f"docs/qa.md example {number + 1}: {result.message}"
