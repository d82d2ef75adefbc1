"""TPDU per host and the header's parts as working parameters (reference §1.1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xpos.errors import ConfigError, EncodeError
from xpos.proto.codec import DEFAULT_HEADER, DEFAULT_TPDU, make_header
from xpos.proto.messages import sign_on_request
from xpos.proto.session import TerminalSession
from xpos.terminal.config import CONFIG_NAME, load_config
from xpos.terminal.linkconf import link_config


def test_defaults_are_the_codecs() -> None:
    assert make_header() == DEFAULT_HEADER


def test_the_header_is_built_from_its_parts() -> None:
    assert make_header(app_type="61", spec_version="22", test=True,
                       app_version="010203") == "612210010203"


@pytest.mark.parametrize("parts", [{"app_type": "6"}, {"spec_version": "3a"},
                                   {"app_version": "1234567"}])
def test_a_bad_header_part_is_an_encode_error(parts: dict[str, str]) -> None:
    with pytest.raises(EncodeError, match="header"):
        make_header(**parts)


def test_each_host_gets_its_tpdu_and_both_the_header(tmp_path: Path) -> None:
    config = load_config(tmp_path, tls=False, backup_host="10.0.0.6:8583",
                         tpdu="6000120034", backup_tpdu="6000560078", header_test=True,
                         header_app_version="123456")
    link = link_config(config)
    assert link.primary.tpdu == "6000120034"
    assert link.backup is not None and link.backup.tpdu == "6000560078"
    assert link.header == "603110123456"
    same = link_config(config.replace(backup_tpdu=""))
    assert same.backup is not None and same.backup.tpdu == "6000120034"


@pytest.mark.parametrize(("text", "key"), [
    ('tpdu = "600003000"', "tpdu"),
    ('tpdu = "700003000O"', "tpdu"),
    ('tpdu = "7000030000"', "tpdu"),
    ('backup_tpdu = "60000300001"', "backup_tpdu"),
    ('header_app_type = "6"', "header_app_type"),
    ('header_spec_version = "x1"', "header_spec_version"),
    ('header_app_version = "31000"', "header_app_version"),
    ('header_test = "yes"', "header_test"),
])
def test_bad_link_parameters_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / CONFIG_NAME).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"key '{key}'"):
        load_config(tmp_path)


def test_the_session_stamps_tpdu_and_header_on_what_it_sends() -> None:
    session = TerminalSession(tpdu="6000120034", header="603110123456")
    request = sign_on_request(stan=1, tid="10000001", mid="898100012340001", batch=1)
    assert request.tpdu == DEFAULT_TPDU
    data = session.send(request, now=0.0)
    assert data[2:7].hex().upper() == "6000120034"
    assert data[7:13].hex() == "603110123456"
    (sent,) = session.outstanding
    assert (sent.tpdu, sent.header) == ("6000120034", "603110123456")
    plain = TerminalSession()
    assert plain.stamp(request) is request
