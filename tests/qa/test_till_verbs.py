"""The till verbs parse what docs/qa.md says and refuse the rest with a located error."""

from pathlib import Path

import pytest

from xpos.errors import ScenarioError
from xpos.proto.ecr import EcrRequest
from xpos.qa.parse import load_scenarios
from xpos.qa.till_verbs import ExpectTillStep, TillStep


def steps(tmp_path: Path, *lines: str) -> list[object]:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nsteps:\n" + "".join(f"  - {line}\n" for line in lines),
                    encoding="utf-8")
    (scenario,) = load_scenarios(path)
    return list(scenario.steps)


def test_till_requests_and_expectations_parse(tmp_path: Path) -> None:
    sale, void, other, expect = steps(
        tmp_path, 'till: {sale: "12.3", ref: "R1"}', "till: {void: 2}",
        "till: {command: SETTLE}",
        'expect_till: {result: "00", card: alice, amount: "12.30", has: [auth_code, trace]}')
    assert isinstance(sale, TillStep) and sale.request == EcrRequest(
        command="SALE", reference="R1", amount=1230)
    assert isinstance(void, TillStep) and void.request.original_trace == 2
    assert void.request.reference == "QA0004"  # QA + the step's line
    assert isinstance(other, TillStep) and other.request.command == "SETTLE"
    assert isinstance(expect, ExpectTillStep)
    assert (expect.result, expect.amount, expect.masked_pan, expect.has) == (
        "00", 1230, "621234*********4567", ("auth_code", "trace"))
    assert "6212345678901234567" not in expect.describe()


@pytest.mark.parametrize("line, why", [
    ("till: {sale: abc}", "amount in yuan"),
    ('till: {sale: "1", void: 2}', "exactly one of"),
    ("till: {}", "exactly one of"),
    ("till: {command: refund}", "upper-case"),
    ("till: {void: 1234567}", "void"),
    ("till: {sael: 1}", "unknown key 'sael'"),
    ("expect_till: {result: OK}", "result"),
    ("expect_till: {card: nobody}", "unknown card id"),
    ("expect_till: {has: [pin]}", "has"),
])
def test_bad_till_steps_are_located_errors(tmp_path: Path, line: str, why: str) -> None:
    with pytest.raises(ScenarioError, match=why) as error:
        steps(tmp_path, line)
    assert ":3" in str(error.value)
