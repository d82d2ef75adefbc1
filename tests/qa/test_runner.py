"""The runner against the real terminal and embedded host: passes, failures, evidence."""

import asyncio
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from xpos.errors import ConfigError
from xpos.qa.junit import junit_xml
from xpos.qa.keyword import keyword_matcher
from xpos.qa.parse import load_scenarios
from xpos.qa.runner import ScenarioResult, run_scenario, run_scenarios

ALICE_PAN = "6212345678901234567"


def scenarios(tmp_path: Path, text: str) -> list:  # type: ignore[type-arg]
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenarios(path)


def run_one(tmp_path: Path, text: str, **options: object) -> ScenarioResult:
    (scenario,) = scenarios(tmp_path, text)
    return asyncio.run(run_scenario(scenario, workdir=tmp_path / "work", **options))  # type: ignore[arg-type]


SALE_WRONG_EXPECTATION = """\
name: wrong amount
steps:
  - select: "消费"
  - keys: ["1234", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_screen: "交易成功"
  - expect_host: {message: sale, response_code: "00", amount: 9999}
  - expect_screen: "never shown"
"""


def test_a_wrong_expectation_fails_with_readable_evidence(tmp_path: Path) -> None:
    result = run_one(tmp_path, SALE_WRONG_EXPECTATION, evidence_dir=tmp_path / "evidence")
    assert not result.passed
    assert result.steps_run == 5
    assert result.message.startswith(f"{tmp_path / 's.yaml'}:8: expect_host: ")
    assert "amount 1234, expected 9999" in result.message
    assert result.evidence is not None
    files = {p.name: p for p in result.evidence.iterdir()}
    assert set(files) == {"failure.txt", "screens.txt", "receipts.txt", "receipts.escpos",
                          "host.txt", "journal.txt", "log.txt"}
    failure = files["failure.txt"].read_text(encoding="utf-8")
    assert "✗ line 8: expect_host" in failure and "· line 9: expect_screen" in failure
    assert "✓ line 6: pin: ******" in failure
    assert "交易成功" in files["screens.txt"].read_text(encoding="utf-8")
    assert "621234*********4567" in files["receipts.txt"].read_text(encoding="utf-8")
    assert files["receipts.escpos"].read_bytes().startswith(b"\x1b@")
    assert "0210" in files["host.txt"].read_text(encoding="utf-8")
    assert "sale approved amount=1234" in files["journal.txt"].read_text(encoding="utf-8")
    for path in files.values():
        data = path.read_bytes()
        assert ALICE_PAN.encode() not in data, path.name
        assert b"123456" not in data.replace(b"123456789", b""), path.name


def test_expect_screen_failure_shows_the_screen_and_times_out_on_simulated_time(
        tmp_path: Path) -> None:
    text = "name: s\nsteps:\n  - expect_screen: {text: 不存在, timeout: 3m}\n"
    result = run_one(tmp_path, text)
    assert not result.passed
    assert "expected the screen to show '不存在' within 180 s" in result.message
    assert "主菜单" in result.message
    assert result.evidence is None  # no --evidence


def test_select_walks_into_submenus_and_names_what_is_visible(tmp_path: Path) -> None:
    ok = run_one(tmp_path, "name: s\nsteps:\n  - select: 订单验证\n"
                           "  - expect_screen: 请输入券号/扫码\n")
    assert ok.passed, ok.message
    bad = run_one(tmp_path, "name: t\nsteps:\n  - select: 捐款\n")
    assert not bad.passed
    assert "no menu item '捐款'" in bad.message
    assert "visible: 签到, 消费, X菜单" in bad.message


def test_pin_when_no_pin_is_asked_fails(tmp_path: Path) -> None:
    result = run_one(tmp_path, "name: s\nsteps:\n  - pin: \"123456\"\n")
    assert not result.passed
    assert "the PIN pad is not asking for a PIN" in result.message


def test_fixtures_replace_a_demo_card(tmp_path: Path) -> None:
    text = """\
name: poor alice
fixtures:
  cards:
    - {id: alice, pan: "6212345678901234567", pin: "123456", balance: 100}
steps:
  - select: 消费
  - keys: ["500", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_host: {message: sale, response_code: "51"}
  - expect_screen: 余额不足
"""
    result = run_one(tmp_path, text)
    assert result.passed, result.message


def test_the_terminal_section_sets_working_parameters(tmp_path: Path) -> None:
    text = """\
name: other terminal
terminal: {tid: "20000002", mid: "898100012349999", merchant_name: "测试商户", lang: en}
steps:
  - expect_screen: "Main menu"
  - select: "Sale"
  - keys: ["100", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_screen: "Approved"
  - expect_receipt: {contains: ["测试商户", "20000002"]}
"""
    result = run_one(tmp_path, text)
    assert result.passed, result.message


def test_another_host_cannot_take_fixtures_or_faults(tmp_path: Path) -> None:
    text = "name: s\nsteps:\n  - host_fault: drop\n"
    result = run_one(tmp_path, text, host="127.0.0.1:1")
    assert not result.passed
    assert "host_fault needs the embedded reference host" in result.message


def test_an_unreachable_host_is_a_readable_failure(tmp_path: Path) -> None:
    text = "name: s\nsteps:\n  - select: 签到\n  - expect_screen: {text: 签到成功, timeout: 1s}\n"
    result = run_one(tmp_path, text, host="127.0.0.1:1")
    assert not result.passed
    assert result.message.startswith("the sign-on before the first step failed: host "
                                     "unreachable: 127.0.0.1:1")
    assert result.message.endswith("nothing answers at 127.0.0.1:1")
    assert "--pki-dir" not in result.message  # not a PKI problem
    unsigned = run_one(tmp_path, text.replace("name: s", "name: s\nsign_on: false"),
                       host="127.0.0.1:1")
    assert not unsigned.passed
    assert "连接主机失败" in unsigned.message


def test_reports_mask_a_pan_the_scenario_wrote(tmp_path: Path) -> None:
    text = f"""\
name: leaky expectations
steps:
  - expect_screen: {{text: "{ALICE_PAN}", absent: true}}
  - expect_receipt: {{contains: ["{ALICE_PAN}"], timeout: 1s}}
"""
    result = run_one(tmp_path, text, evidence_dir=tmp_path / "ev")
    assert not result.passed
    assert "it holds a full card number, which X-POS never prints" in result.message
    assert ALICE_PAN not in result.message
    assert result.evidence is not None
    for path in result.evidence.iterdir():
        assert ALICE_PAN.encode() not in path.read_bytes(), path.name


def test_receipt_checks_do_not_match_across_two_slips(tmp_path: Path) -> None:
    text = """\
name: two slips
steps:
  - select: 消费
  - keys: ["100", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_screen: 交易成功
  - expect_receipt: {not_contains: ["✂签购单"], timeout: 1s}
"""
    result = run_one(tmp_path, text)
    assert result.passed, result.message


def test_unwritable_evidence_does_not_hide_the_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    text = "name: s\nsteps:\n  - expect_screen: {text: 无, timeout: 1s}\n"
    result = run_one(tmp_path, text, evidence_dir=blocker)
    assert "expected the screen to show '无'" in result.message
    assert "(evidence not written:" in result.message


def test_run_scenarios_and_junit(tmp_path: Path) -> None:
    found = scenarios(tmp_path, "- name: good\n  tags: [a]\n  steps:\n"
                                "    - expect_screen: 主菜单\n"
                                "- name: bad\n  steps:\n"
                                "    - expect_screen: {text: 无, timeout: 1s}\n")
    seen: list[str] = []
    results = run_scenarios(found, on_result=lambda r: seen.append(r.scenario.name),
                            evidence_dir=tmp_path / "ev")
    assert [r.passed for r in results] == [True, False]
    assert seen == ["good", "bad"]
    root = ET.fromstring(junit_xml(results))
    assert root.get("tests") == "2" and root.get("failures") == "1"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["good", "bad"]
    failure = cases[1].find("failure")
    assert failure is not None and "expected the screen to show '无'" in (failure.text or "")
    assert "evidence: " in (failure.text or "")
    assert cases[0].findtext("system-out") == "✓ line 4: expect_screen: 主菜单"
    assert cases[1].findtext("system-out") == "✗ line 7: expect_screen: 无"


@pytest.mark.parametrize(("expr", "names"), [
    ("voucher", ["J2 voucher", "expired voucher"]),
    ("voucher and not expired", ["J2 voucher"]),
    ("bank or expired", ["sale", "expired voucher"]),
    ("not (bank or x-menu)", []),
    ("S.YAML", ["J2 voucher", "sale", "expired voucher"]),
])
def test_keyword_expressions(tmp_path: Path, expr: str, names: list[str]) -> None:
    found = scenarios(tmp_path, """\
- {name: J2 voucher, tags: [x-menu], steps: [power_cycle]}
- {name: sale, tags: [bank], steps: [power_cycle]}
- {name: expired voucher, tags: [x-menu], steps: [power_cycle]}
""")
    match = keyword_matcher(expr)
    assert [s.name for s in found if match(s)] == names


@pytest.mark.parametrize("expr", ["", "a and", "(a", "a )", "and a"])
def test_bad_keyword_expressions(expr: str) -> None:
    with pytest.raises(ConfigError, match="-k"):
        keyword_matcher(expr)
