from pathlib import Path

import pytest

from xpos.errors import ConfigError
from xpos.terminal.config import load_config


@pytest.mark.parametrize("value", [0, -1, float("inf"), float("nan")])
def test_pin_timeout_must_be_positive_and_finite(tmp_path: Path, value: float) -> None:
    with pytest.raises(ConfigError, match="pin_timeout_s"):
        load_config(tmp_path, pin_timeout_s=value)


def test_pin_timeout_defaults_to_a_minute_and_takes_whole_seconds(tmp_path: Path) -> None:
    assert load_config(tmp_path).pin_timeout_s == 60.0
    config = load_config(tmp_path, pin_timeout_s=90)
    assert config.pin_timeout_s == 90.0 and isinstance(config.pin_timeout_s, float)
