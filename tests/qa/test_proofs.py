"""Negative controls of the proof verbs: a scenario that must fail does fail, naming the
file, the line and what was seen (docs/qa.md). The passing forms are in
tests/scenarios/qa_proofs.yaml."""

import asyncio
import re
from pathlib import Path

import pytest

from xpos.errors import ScenarioError
from xpos.qa.parse import load_scenarios
from xpos.qa.runner import ScenarioResult, run_scenario

SALE = """\
    - select: "消费"
    - keys: ["1234", ENTER]
    - swipe: alice
    - pin: "123456"
"""
BAD_MAC_THEN_SALE = """\
name: bad mac then sale
steps:
  - select: "消费"
  - keys: ["1234", ENTER]
  - swipe: alice
  - host_fault: bad_mac
  - pin: "123456"
  - expect_screen: "MAC校验错"
  - mark
  - keys: [CANCEL]
  - select: "消费"
  - keys: ["100", ENTER]
  - swipe: alice
  - pin: "123456"
  - expect_screen: "交易成功"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, text: str, **options: object) -> ScenarioResult:
    (scenario,) = load_scenarios(write(tmp_path, text))
    return asyncio.run(run_scenario(scenario, workdir=tmp_path / "work",  # type: ignore[arg-type]
                                    **options))


def fails_at(tmp_path: Path, text: str, line: int, verb: str) -> str:
    """Run; assert it failed at ``line`` with ``verb``; return the message."""
    result = run(tmp_path, text)
    assert not result.passed
    assert result.message.startswith(f"{tmp_path / 's.yaml'}:{line}: {verb}"), result.message
    return result.message


def sale_then(*steps: str, head: str = "name: s\nsteps:\n") -> str:
    return head + SALE.replace("    - ", "  - ") + "".join(f"  - {s}\n" for s in steps)


# -- request fields ------------------------------------------------------------------


def test_a_wrong_request_field_fails_naming_it(tmp_path: Path) -> None:
    text = BAD_MAC_THEN_SALE + '  - expect_host: {message: reversal, fields: {39: "98"}}\n'
    message = fails_at(tmp_path, text, 16, "expect_host")
    assert "the last reversal exchange has request field 39 is 'A0', expected '98'" in message


def test_a_response_field_and_an_absent_field(tmp_path: Path) -> None:
    text = sale_then('expect_screen: "交易成功"',
                     'expect_host: {message: sale, response_fields: {38: none}}')
    message = fails_at(tmp_path, text, 8, "expect_host")
    assert "response field 38 is " in message and "expected none" in message


def test_which_names_a_missing_occurrence(tmp_path: Path) -> None:
    text = sale_then('expect_screen: "交易成功"', 'expect_host: {mti: "0200", which: 3}')
    message = fails_at(tmp_path, text, 8, "expect_host")
    assert "there is no 3rd 0200 request: 1 sent" in message


def test_a_card_data_field_is_never_shown_or_compared_by_value(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*field 35 holds card data"):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - expect_host: {message: sale, "
                                       "fields: {35: \"6212345678901234567=3012\"}}\n"))
    text = sale_then('expect_screen: "交易成功"',
                     "expect_host: {message: sale, fields: {52: none}}")
    message = fails_at(tmp_path, text, 8, "expect_host")
    assert "request field 52 is present, expected none" in message


def test_bad_field_numbers_are_located(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*'200' is not a field number"):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - expect_host: {message: sale, "
                                       "fields: {200: x}}\n"))


# -- message order -------------------------------------------------------------------


@pytest.mark.parametrize("order", ["[sale, reversal]", "{sent: [\"0200\", \"0400\"]}",
                                   "{sent: [reversal], exactly: true}"])
def test_a_wrong_order_fails_listing_what_was_sent(tmp_path: Path, order: str) -> None:
    message = fails_at(tmp_path, BAD_MAC_THEN_SALE + f"  - expect_order: {order}\n", 16,
                       "expect_order")
    assert "sent (oldest first): reversal 0400, sale 0200" in message


def test_order_since_the_mark_only(tmp_path: Path) -> None:
    # before the mark a sale (0200) was sent; after it only 0400 then 0200
    text = BAD_MAC_THEN_SALE + "  - expect_order: [sale, sale]\n"
    fails_at(tmp_path, text, 16, "expect_order")


# -- host state ----------------------------------------------------------------------


def test_host_state_mismatches_are_reported(tmp_path: Path) -> None:
    text = sale_then('expect_screen: "交易成功"', "expect_host_state: {card: alice, balance: 1}")
    message = fails_at(tmp_path, text, 8, "expect_host_state")
    assert "host state of card alice: balance is 98766, expected 1" in message
    text = sale_then('expect_screen: "交易成功"',
                     "expect_host_state: {ledger: {kind: void}, rc: \"00\"}")
    message = fails_at(tmp_path, text, 8, "expect_host_state")
    assert "the ledger rows kind void: none (the ledger of 10000001: " in message
    assert "sale 000002 00" in message
    text = sale_then('expect_screen: "交易成功"', "expect_host_state: {batch: 2}")
    assert "batch is 1, expected 2" in fails_at(tmp_path, text, 8, "expect_host_state")
    text = "name: s\nsteps:\n  - expect_host_state: {voucher: \"883300112233\", status: used}\n"
    assert "status is 'valid', expected 'used'" in fails_at(tmp_path, text, 3,
                                                             "expect_host_state")


@pytest.mark.parametrize(("arg", "error"), [
    ("{card: alcie, balance: 1}", "unknown card id 'alcie'"),
    ("{card: alice, reversed: true}", "'reversed' is not checked for a card"),
    ("{card: alice, voucher: \"1\", balance: 1}", "exactly one of card, voucher"),
    ("{card: alice}", "say what to check of the card"),
    ("{voucher: \"1\", status: lost}", "unknown status 'lost' (one of: valid, used)"),
])
def test_bad_host_state_steps_are_located(tmp_path: Path, arg: str, error: str) -> None:
    with pytest.raises(ScenarioError, match=r"s.yaml:3") as info:
        load_scenarios(write(tmp_path, f"name: s\nsteps:\n  - expect_host_state: {arg}\n"))
    assert error in str(info.value)


# -- journal rows by trace -----------------------------------------------------------


def test_journal_rows_by_trace(tmp_path: Path) -> None:
    text = BAD_MAC_THEN_SALE + "  - expect_journal: {row: {trace: 2, status: approved}}\n"
    message = fails_at(tmp_path, text, 16, "expect_journal")
    assert "trace 000002: status is 'reversed', expected 'approved'" in message
    text = BAD_MAC_THEN_SALE + "  - expect_journal: {row: {trace: 3, reversal: pending}}\n"
    assert "trace 000003: reversal is 'none', expected 'pending'" in fails_at(
        tmp_path, text, 16, "expect_journal")
    text = BAD_MAC_THEN_SALE + "  - expect_journal: {row: {trace: 9, type: sale}}\n"
    message = fails_at(tmp_path, text, 16, "expect_journal")
    assert "no transaction with trace 000009 (journal: 000002 sale, 000003 sale)" in message


def test_a_journal_row_needs_a_trace_and_a_field(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*row needs 'trace'"):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - expect_journal: {row: {type: "
                                       "sale}}\n"))
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*row needs trace and at least one"):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - expect_journal: {row: {trace: "
                                       "2}}\n"))


# -- print jobs ----------------------------------------------------------------------


def test_print_job_count_and_per_job_checks(tmp_path: Path) -> None:
    text = sale_then('expect_screen: "交易成功"', "expect_receipt: {jobs: 3}")
    assert "2 print job(s), expected 3" in fails_at(tmp_path, text, 8, "expect_receipt")
    text = sale_then('expect_screen: "交易成功"',
                     'expect_receipt: {job: 2, contains: "商户存根"}')
    assert "the receipts do not contain '商户存根'" in fails_at(tmp_path, text, 8,
                                                               "expect_receipt")
    text = sale_then('expect_screen: "交易成功"', 'expect_receipt: {job: 5, contains: "x"}')
    assert "there is no print job 5th (2 printed)" in fails_at(tmp_path, text, 8,
                                                              "expect_receipt")


def test_paper_out_between_the_copies(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n  - paper_out: {after: 1}\n" + SALE.replace("    - ", "  - ")
            + '  - expect_screen: "打印机缺纸"\n  - expect_receipt: {jobs: 2}\n')
    assert "1 print job(s), expected 2" in fails_at(tmp_path, text, 9, "expect_receipt")


# -- host control --------------------------------------------------------------------


def test_host_down_makes_a_sale_fail(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n  - host_control: down\n" + SALE.replace("    - ", "  - ")
            + '  - expect_screen: {text: "交易成功", timeout: 5s}\n')
    assert "连接主机失败" in fails_at(tmp_path, text, 8, "expect_screen")


def test_without_a_backup_host_primary_down_is_host_down(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n  - host_control: {down: primary}\n"
            + SALE.replace("    - ", "  - ") + '  - expect_screen: {text: "交易成功", '
            "timeout: 5s}\n")
    assert "连接主机失败" in fails_at(tmp_path, text, 8, "expect_screen")
    text = "name: s\nsteps:\n  - host_control: {down: backup}\n"
    assert "the terminal has no backup host" in fails_at(tmp_path, text, 3, "host_control")


def test_forgotten_keys_fail_the_next_sale(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n  - host_control: forget_keys\n" + SALE.replace("    - ", "  - ")
            + '  - expect_host: {message: sale, response_code: "00"}\n')
    assert "response code 77, expected 00" in fails_at(tmp_path, text, 8, "expect_host")


def test_host_control_words_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*unknown host_control .crash. \(one of"):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - host_control: crash\n"))
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*unknown down .both."):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - host_control: {down: both}\n"))


# -- device faults -------------------------------------------------------------------


def test_device_faults_end_the_sale(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n" + SALE.replace("    - ", "  - ").replace(
        '  - pin: "123456"\n', "  - device_fault: pinpad_error\n")
        + '  - expect_screen: {text: "交易成功", timeout: 5s}\n')
    assert "交易已取消" in fails_at(tmp_path, text, 7, "expect_screen")
    text = ('name: s\nsteps:\n  - select: "消费"\n  - keys: ["1234", ENTER]\n'
            "  - device_fault: card_read_error\n"
            '  - expect_screen: {text: "请输入密码", timeout: 1s}\n')
    assert "读卡失败 请重试" in fails_at(tmp_path, text, 6, "expect_screen")
    with pytest.raises(ScenarioError, match=r"s.yaml:3.*unknown device_fault .printer_fire."):
        load_scenarios(write(tmp_path, "name: s\nsteps:\n  - device_fault: printer_fire\n"))


# -- never_shown ---------------------------------------------------------------------


def test_never_shown_is_checked_over_every_screen_at_the_end(tmp_path: Path) -> None:
    text = ("name: s\nsteps:\n  - never_shown: \"请刷卡\"\n" + SALE.replace("    - ", "  - ")
            + '  - expect_screen: "交易成功"\n  - keys: [ENTER]\n')
    result = run(tmp_path, text)
    assert not result.passed
    assert result.steps_run == 7  # every step ran; the check came at the end
    assert result.message.startswith(f"{tmp_path / 's.yaml'}:3: never_shown: 请刷卡: "
                                     "the screen showed '请刷卡' (screen ")
    assert "  | 请刷卡" in result.message or "请刷卡" in result.message.split("\n", 1)[1]
    ok = run(tmp_path, text.replace('"请刷卡"', '"请刷卡了吗"'))
    assert ok.passed, ok.message


# -- secrets -------------------------------------------------------------------------

LEAKY = """\
name: leaky
fixtures:
  cards:
    - {id: erin, pan: "6212340000000000018", pin: "975318", balance: 5000}
  secrets: ["MERCHANT-TOKEN-XYZ", "6212340000000000018"]
steps:
  - select: "消费"
  - keys: ["300", ENTER]
  - swipe: erin
  - pin: "975318"
  - expect_screen: "交易成功"
  - expect_receipt: {not_contains: ["975318"], contains: ["MERCHANT-TOKEN-XYZ"], timeout: 1s}
"""
SECRETS = (b"975318", b"MERCHANT-TOKEN-XYZ", b"6212340000000000018")


def test_secrets_are_masked_in_every_report_and_evidence_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from xpos.cli import main

    scenario = write(tmp_path, LEAKY)
    junit, evidence = tmp_path / "junit.xml", tmp_path / "evidence"
    assert main(["qa", "run", str(scenario), "--junit", str(junit), "--evidence",
                 str(evidence)]) == 1
    stdout = capsys.readouterr().out
    (folder,) = evidence.iterdir()
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert set(files) >= {"failure.txt", "screens.txt", "receipts.txt", "receipts.escpos",
                          "host.txt", "journal.txt", "log.txt"}
    outputs = {**files, "junit.xml": junit.read_bytes(), "stdout": stdout.encode()}
    for name, data in outputs.items():
        for secret in SECRETS:
            assert secret not in data, (name, secret)
    # the secrets were there to be masked: the step and the failure show the mask
    failure = files["failure.txt"].decode()
    assert "not_contains: ['******']" in failure
    assert "the receipts do not contain '******'" in failure
    assert "not_contains: [&apos;******&apos;]" in outputs["junit.xml"].decode() or \
        "not_contains: ['******']" in outputs["junit.xml"].decode()
    assert "the receipts do not contain '******'" in stdout


def test_a_digit_secret_is_masked_only_as_a_whole_number() -> None:
    from xpos.qa.model import hide_secrets

    assert hide_secrets("pin 975318, amount 9753180", {"975318"}) == \
        "pin ******, amount 9753180"
    assert hide_secrets("token=abc-1", {"abc-1"}) == "token=******"


# -- the embedded host, and docs/qa.md's example ---------------------------------------


@pytest.mark.parametrize(("step", "verb"), [("host_control: down", "host_control"),
                                            ("expect_host_state: {batch: 1}",
                                             "expect_host_state")])
def test_host_state_and_control_need_the_embedded_host(tmp_path: Path, step: str,
                                                        verb: str) -> None:
    result = run(tmp_path, f"name: s\nsteps:\n  - {step}\n", host="127.0.0.1:1")
    assert not result.passed
    assert f"{verb} needs the embedded reference host" in result.message


def test_the_proof_example_of_docs_qa_md_runs_and_passes(tmp_path: Path) -> None:
    doc = (Path(__file__).parent.parent.parent / "docs" / "qa.md").read_text(encoding="utf-8")
    section = doc.split("### Proofs:", 1)[1]
    example = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)[0]
    assert "expect_order" in example and "never_shown" in example
    result = run(tmp_path, example)
    assert result.passed, result.message
