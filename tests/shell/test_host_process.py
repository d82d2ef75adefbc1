import asyncio
import re
import subprocess
import sys
from pathlib import Path

from xpos.core.flows.online import Outcome
from xpos.refhost.seed import DEMO
from xpos.terminal.compose import open_terminal
from xpos.terminal.config import load_config


def _start_host(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xpos.cli", "host", "--data-dir", str(data_dir), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"127\.0\.0\.1:(\d+)", line)
    assert match, f"no port in {line!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"
    return proc, int(match.group(1))


async def _sign_on(data_dir: Path, port: int) -> Outcome:
    # the host process made the demo PKI in data_dir/pki, where the terminal looks for it
    terminal = open_terminal(load_config(data_dir, host=f"127.0.0.1:{port}"))
    try:
        terminal.keystore.load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
        return (await terminal.txn.sign_on()).outcome
    finally:
        await terminal.close()


def test_xpos_host_serves_a_terminal_over_mutual_tls(tmp_path: Path) -> None:
    proc, port = _start_host(tmp_path)
    try:
        assert asyncio.run(_sign_on(tmp_path, port)) is Outcome.APPROVED
        assert (tmp_path / "host" / "host.db").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
