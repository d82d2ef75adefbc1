"""A QA file that is not YAML at all: one located error, exit 2, never a traceback."""

from pathlib import Path

import pytest

from xpos.cli import main


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- name: a\n  steps:\n    - keys: 1\x08\n", 3, "0x0008"),
    ("- " + "[" * 20_000 + "\n", 0, "nested too deeply"),
    ("- name: a\n  steps: [\n", 3, "not valid YAML"),
])
def test_unreadable_yaml_exits_2_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int,
        words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["qa", "run", str(path)]) == 2
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Traceback" not in out
    assert words in out
    assert f"{path}:{line}" in out if line else str(path) in out
