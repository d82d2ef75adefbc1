from pathlib import Path

import pytest

from xpos.errors import ConfigError, MenuError
from xpos.terminal.config import load_config
from xpos.terminal.linkconf import link_config
from xpos.terminal.menufiles import load_menus


def test_defaults_need_no_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.tid, config.tls, config.mac_algorithm) == ("10000001", True, "cup-ecb")
    assert config.menus_dir is None  # the menus shipped in the package


def test_file_values_and_overrides_apply(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('tid = "12345678"\nresponse_timeout_s = 5\n')
    config = load_config(tmp_path, backup_host="127.0.0.1:6000")
    assert (config.tid, config.response_timeout_s, config.backup_host) == \
        ("12345678", 5.0, "127.0.0.1:6000")


@pytest.mark.parametrize(("text", "key"), [
    ('colour = "red"\n', "colour"),
    ("tls = 1\n", "tls"),
    ('tid = "123"\n', "tid"),
    ('host = "nohostport"\n', "host"),
    ('mac_algorithm = "md5"\n', "mac_algorithm"),
    ("reversal_retries = 1000000\n", "reversal_retries' must be 0 to 99"),
    ("connect_timeout_s = 1e300\n", "connect_timeout_s' must be .*, at most 86400"),
    ('merchant_name = "  "\n', "merchant_name' must not be empty"),
])
def test_bad_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / "xpos.toml").write_text(text)
    with pytest.raises(ConfigError, match=key):
        load_config(tmp_path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text("tid = \n")
    with pytest.raises(ConfigError, match=r"xpos\.toml"):
        load_config(tmp_path)


def test_a_configured_pki_dir_must_hold_the_terminal_files(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    config = load_config(tmp_path, pki_dir=str(tmp_path / "mine"))
    with pytest.raises(ConfigError, match=r"ca\.pem"):
        link_config(config)
    assert not (tmp_path / "pki").exists()


@pytest.mark.parametrize(("key", "value"), [("operator", "0\x01"), ("tid", "1234567\x00")])
def test_identity_fields_must_be_carriable_on_the_wire(tmp_path: Path, key: str,
                                                       value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_config(tmp_path, **{key: value})


def test_a_missing_menus_dir_says_so(tmp_path: Path) -> None:
    with pytest.raises(MenuError, match="no such directory"):
        load_menus(tmp_path / "nonexistent")
    (tmp_path / "afile").write_text("")
    with pytest.raises(MenuError, match="not a directory"):
        load_menus(tmp_path / "afile")
