import dataclasses
import re
from pathlib import Path

from xpos.drivers.base import KINDS
from xpos.terminal.config import CONFIG_NAME, TerminalConfig, load_config

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_config_key_is_documented_and_nothing_else() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    keys = {f.name for f in dataclasses.fields(TerminalConfig)} - {"data_dir"}
    assert documented == keys


def test_the_documented_example_loads(tmp_path: Path) -> None:
    example = DOC.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / CONFIG_NAME).write_text(example, encoding="utf-8")
    config = load_config(tmp_path)
    assert (config.backup_host, config.devices["magstripe"]) == \
        ("10.0.0.6:8583", "serial:///dev/ttyS1?baud=9600")
    assert set(config.devices) == set(KINDS)  # the example shows a complete device config


def test_every_toml_example_loads(tmp_path: Path) -> None:
    examples = DOC.read_text(encoding="utf-8").split("```toml\n")[1:]
    assert len(examples) >= 2
    for example in examples:
        (tmp_path / CONFIG_NAME).write_text(example.split("```", 1)[0], encoding="utf-8")
        load_config(tmp_path)
