"""Settings that cannot work are refused when the config is read, with the key named;
overrides given in code are checked the same way."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

import pytest

from xpos.errors import ConfigError, ScenarioError
from xpos.qa.parse import load_scenarios
from xpos.terminal.config import ConfigOverrides, TerminalConfig, check_overrides, load_config
from xpos.testing.rig import TerminalRig


def _load(tmp_path: Path, text: str) -> TerminalConfig:
    (tmp_path / "xpos.toml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


@pytest.mark.parametrize(("text", "key", "words"), [
    ('key_mode = "001"\nmac_algorithm = "x9.19"\n', "mac_algorithm", "double-length MAK"),
    ('tls_server_name = ""\n', "tls_server_name", "host-name check"),
    ("connect_timeout_s = -1\n", "connect_timeout_s", "above 0"),
    ("connect_timeout_s = 0\n", "connect_timeout_s", "above 0"),
    ("connect_timeout_s = nan\n", "connect_timeout_s", "finite"),
    ("connect_timeout_s = inf\n", "connect_timeout_s", "finite"),
    ("response_timeout_s = inf\n", "response_timeout_s", "finite"),
    ("response_timeout_s = nan\n", "response_timeout_s", "finite"),
    ("response_timeout_s = 0\n", "response_timeout_s", "above 0"),
    ("response_timeout_s = -0.5\n", "response_timeout_s", "above 0"),
    ('[devices]\nkeybord = "fake:"\n', "devices", "unknown device kind 'keybord'"),
    ("[devices]\nkeypad = 1\n", "devices", "not a string"),
    ('supervisor_password = ""\n', "supervisor_password", "1 to 12 digits"),
    ('supervisor_password = "12ab"\n', "supervisor_password", "1 to 12 digits"),
    ('supervisor_password = "1234567890123"\n', "supervisor_password", "1 to 12 digits"),
    ("supervisor_password = 123456\n", "supervisor_password", "wrong type"),
])
def test_impossible_settings_are_refused_naming_the_key(tmp_path: Path, text: str, key: str,
                                                        words: str) -> None:
    with pytest.raises(ConfigError, match=rf"xpos\.toml: key '{key}'") as info:
        _load(tmp_path, text)
    assert words in str(info.value)


@pytest.mark.parametrize("text", [
    'key_mode = "001"\nmac_algorithm = "cup-ecb"\n',
    'key_mode = "003"\nmac_algorithm = "x9.19"\n',
    "connect_timeout_s = 0.5\nresponse_timeout_s = 1\n",
    'tls = false\n',
])
def test_workable_neighbours_of_those_settings_load(tmp_path: Path, text: str) -> None:
    _load(tmp_path, text)


def test_overrides_are_checked_like_the_file(tmp_path: Path) -> None:
    bad: dict[str, Any] = {"colour": "red"}
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        load_config(tmp_path, **bad)
    with pytest.raises(ConfigError, match="'tls' has the wrong type"):
        load_config(tmp_path, **{"tls": "yes"})  # type: ignore[typeddict-item]
    with pytest.raises(ConfigError, match="'mac_algorithm'"):
        load_config(tmp_path, key_mode="001", mac_algorithm="x9.19")
    # an override that fixes the file's combination is fine
    (tmp_path / "xpos.toml").write_text('key_mode = "001"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'mac_algorithm'"):
        load_config(tmp_path, mac_algorithm="x9.19")
    assert load_config(tmp_path, key_mode="004", mac_algorithm="x9.19").key_mode == "004"


def test_replace_is_checked(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.replace(connect_timeout_s=2).connect_timeout_s == 2.0
    with pytest.raises(ConfigError, match="connect_timeout_s"):
        config.replace(connect_timeout_s=float("nan"))
    with pytest.raises(ConfigError, match="tls_server_name"):
        config.replace(tls_server_name="")


def test_the_rig_checks_its_overrides_before_starting_anything(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TerminalRig: unknown key 'respone_timeout_s'"):
        TerminalRig(tmp_path, **{"respone_timeout_s": 1.0})  # type: ignore[typeddict-unknown-key]
    with pytest.raises(ConfigError, match="response_timeout_s"):
        TerminalRig(tmp_path, response_timeout_s=float("inf"))
    assert not any(tmp_path.iterdir())


def test_check_overrides_returns_the_values_typed() -> None:
    values = check_overrides({"lang": "en", "reversal_retries": 1}, source="t")
    assert values == {"lang": "en", "reversal_retries": 1}


def test_config_overrides_lists_every_config_key() -> None:
    fields = {f.name for f in dataclasses.fields(TerminalConfig)} - {"data_dir"}
    assert set(typing.get_type_hints(ConfigOverrides)) == fields


@pytest.mark.parametrize(("terminal", "key"), [
    ('{key_mode: "001", mac_algorithm: "x9.19"}', "mac_algorithm"),
    ("{connect_timeout_s: 0s}", "connect_timeout_s"),
])
def test_qa_scenarios_go_through_the_same_checks(tmp_path: Path, terminal: str,
                                                 key: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\nterminal: {terminal}\nsteps: [power_cycle]\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert info.value.key == key and f"key '{key}'" in str(info.value)


def test_the_supervisor_password_never_shows_in_the_config_repr(tmp_path: Path) -> None:
    config = _load(tmp_path, 'supervisor_password = "97531"\n')
    assert config.supervisor_password == "97531" and "97531" not in repr(config)
    assert load_config(tmp_path / "fresh").supervisor_password == "123456"


@pytest.mark.parametrize(("text", "says"), [
    ('tid = 10000001', "'tid' has the wrong type (int): it must be a string in quotes"),
    ('tls = "yes"', "'tls' has the wrong type (str): it must be true or false"),
    ('reversal_retries = 1.5', "(float): it must be a whole number"),
    ('connect_timeout_s = "5"', "(str): it must be a number of seconds"),
    ('devices = "fake:"', "(str): it must be a table: [devices] with one kind"),
    ('respones_timeout_s = 5', "unknown key 'respones_timeout_s' (did you mean "
                               "'response_timeout_s'?)"),
    ('colour = 5', "unknown key 'colour'"),
])
def test_a_wrong_type_or_a_typo_says_what_to_write(tmp_path: Path, text: str,
                                                   says: str) -> None:
    (tmp_path / "xpos.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert says in str(caught.value)
    assert "did you mean" not in str(caught.value) or "respones" in text


def test_a_config_file_that_is_a_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file .* is a directory, not a file$"):
        load_config(tmp_path, file=tmp_path)
    with pytest.raises(ConfigError, match=r"config file .*nope\.toml does not exist$"):
        load_config(tmp_path, file=tmp_path / "nope.toml")
