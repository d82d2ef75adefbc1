"""``--host``: the scenarios run against a reference host in another process, on real time."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import closed_port
from xpos.cli import main


@pytest.fixture
def external_host(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "host-data"
    port = closed_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "xpos.cli", "host", "--data-dir", str(data), "--port",
         str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once it listens
        assert "listening" in line, line
        yield f"127.0.0.1:{port}", data / "pki"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_sale_against_another_host(external_host: tuple[str, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    address, pki = external_host
    scenario = tmp_path / "sale.yaml"
    scenario.write_text(f"""\
name: sale against another host
terminal: {{pki_dir: "{pki}"}}
steps:
  - select: 消费
  - keys: ["250", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_screen: {{text: 交易成功, timeout: 10s}}
  - expect_host: {{message: sale, response_code: "00", amount: 250}}
""", encoding="utf-8")
    assert main(["qa", "run", str(scenario), "--host", address]) == 0, capsys.readouterr()
