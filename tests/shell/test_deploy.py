"""deploy/: the systemd unit, the udev rules and the example config stay valid."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xpos.drivers.registry import BUILTIN_DRIVERS, NONE_URL
from xpos.drivers.url import parse_device_url
from xpos.terminal.config import load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNIT = DEPLOY / "xpos.service"


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values in order]}} (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        key, sep, value = line.partition("=")
        if current is None or not sep or not re.fullmatch(r"[A-Za-z]+", key):
            raise ValueError(f"{UNIT.name}:{number}: not KEY=value in a section: {raw!r}")
        current.setdefault(key, []).append(value)
    return sections


def test_the_unit_asks_for_what_the_terminal_needs() -> None:
    unit = parse_unit(UNIT.read_text(encoding="utf-8"))
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert service["Type"] == "notify" and service["NotifyAccess"] == "main"
    assert int(service["WatchdogSec"]) > 0 and service["Restart"] == "on-failure"
    assert service["StateDirectory"] == "xpos" and service["StateDirectoryMode"] == "0700"
    assert set(service["SupplementaryGroups"].split()) == {"dialout", "input", "lp"}
    command = service["ExecStart"].split()
    assert command[1:3] == ["run", "--data-dir"] and command[3] == "/var/lib/xpos"
    assert "--config" in command and service["User"] == "xpos"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in unit["Unit"]["After"][0]


def test_the_unit_parser_refuses_a_broken_line() -> None:
    with pytest.raises(ValueError, match="not KEY=value"):
        parse_unit("[Service]\nType notify\n")


def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here; the pure unit test still runs")
    fake = tmp_path / "xpos"  # verify checks that ExecStart's program exists
    fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake.chmod(0o755)
    unit = tmp_path / "xpos.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/xpos/bin/xpos", str(fake)),
                    encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                            timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if "xpos.service" in line]
    if result.returncode != 0 and not problems:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_the_example_config_loads_and_names_only_known_backends(tmp_path: Path) -> None:
    config = load_config(tmp_path, file=DEPLOY / "xpos.toml")
    assert config.tls and config.ecr.startswith("serial:///dev/xpos-ecr")
    assert config.supervisor_password != "123456"  # the example changes the default
    for kind, url in config.devices.items():
        if url == NONE_URL:
            continue
        scheme = parse_device_url(url).scheme
        assert (kind, scheme) in BUILTIN_DRIVERS, (kind, url)


def test_the_udev_rules_give_every_symlink_the_config_uses() -> None:
    rules = (DEPLOY / "99-xpos.rules").read_text(encoding="utf-8")
    lines = [line for line in rules.splitlines() if line and not line.startswith("#")]
    assert lines and all("==" in line and ("GROUP=" in line) for line in lines)
    links = set(re.findall(r'SYMLINK\+="([^"]+)"', rules))
    config = (DEPLOY / "xpos.toml").read_text(encoding="utf-8")
    used = set(re.findall(r"/dev/(xpos-[a-z]+|input/xpos-[a-z-]+)", config))
    assert used and used <= links, used - links
