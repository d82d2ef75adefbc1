"""What ``xpos qa run`` prints and blames: quiet output, logs in evidence, sign-on causes."""

import asyncio
import subprocess
import sys
from pathlib import Path

from xpos.qa.parse import load_scenarios
from xpos.qa.runner import ScenarioResult, run_scenario
from xpos.refhost.seed import DEMO
from xpos.refhost.server import ReferenceHost
from xpos.security.pki import ensure_demo_pki

MALFORMED = """\
- name: malformed answer
  steps:
    - host_fault: {next: malformed}
    - select: "消费"
    - keys: ["100", ENTER]
    - swipe: alice
    - pin: "123456"
    - expect_screen: {text: 不存在的文字, timeout: 40s}
"""


def test_quiet_run_prints_only_the_summary_and_failures_the_log_goes_to_evidence(
        tmp_path: Path) -> None:
    scenario = tmp_path / "malformed.yaml"
    scenario.write_text(MALFORMED, encoding="utf-8")
    evidence = tmp_path / "evidence"
    done = subprocess.run([sys.executable, "-m", "xpos.cli", "qa", "run", str(scenario), "-q",
                           "--evidence", str(evidence)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout
    assert done.stderr == ""  # the terminal's WARNING about the bad frame is not printed
    assert "0 passed, 1 failed" in done.stdout and "WARNING" not in done.stdout
    (folder,) = evidence.iterdir()
    log = (folder / "log.txt").read_text(encoding="utf-8")
    assert "WARNING xpos.terminal" in log and "malformed frame from host" in log


def _run_against(host: ReferenceHost, pki: Path, text: str, tmp_path: Path) -> ScenarioResult:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    (scenario,) = load_scenarios(path)

    async def main() -> ScenarioResult:
        port = await host.start()
        try:
            return await run_scenario(scenario, workdir=tmp_path / "work",
                                      host=f"127.0.0.1:{port}", pki_dir=pki)
        finally:
            await host.stop()

    return asyncio.run(main())


SIGN_ON_ONLY = """\
name: s
terminal: {tid: "20000002"}
steps:
  - expect_screen: 主菜单
"""


def test_a_wrong_key_check_value_is_blamed_on_the_tmk_not_the_pki(tmp_path: Path) -> None:
    pki = ensure_demo_pki(tmp_path / "host", terminal_id="20000002")  # its certificate
    host = ReferenceHost(tmp_path / "host.db", tls=pki)
    host.store.add_terminal("20000002", DEMO.mid, bytes(range(16)))  # not the demo TMK
    result = _run_against(host, pki.ca_cert.parent, SIGN_ON_ONLY, tmp_path)
    assert not result.passed
    assert result.message.startswith("the sign-on before the first step failed: ")
    assert "(KCV)" in result.message and "TMK" in result.message
    assert "PKI" not in result.message and "--pki-dir" not in result.message


def test_a_host_from_another_ca_is_blamed_on_tls(tmp_path: Path) -> None:
    theirs = ensure_demo_pki(tmp_path / "host")
    ours = ensure_demo_pki(tmp_path / "terminal")
    host = ReferenceHost(tmp_path / "host.db", tls=theirs)
    result = _run_against(host, ours.ca_cert.parent, SIGN_ON_ONLY, tmp_path)
    assert not result.passed
    assert "TLS handshake failed" in result.message
    assert "TLS/PKI" in result.message and "--pki-dir" in result.message
    assert "KCV" not in result.message
