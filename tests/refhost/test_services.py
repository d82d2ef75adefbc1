"""Platform services as data: the loader's refusals, reload on change, the session runner."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from xpos.proto.interactive import SessionRequest, StepReport
from xpos.refhost.services.model import ServiceError, parse_service
from xpos.refhost.services.registry import SHIPPED, ServiceRegistry
from xpos.refhost.services.runner import Payments, SessionBook

GOOD = """\
[service]
id = "hello"
title = "问候"

[[steps]]
type = "input"
text = "请输入号码"
name = "who"
fields = [{ label = "号码", min = 1, max = 8 }]

[[steps]]
type = "end"
text = "你好 {who}"
"""
NOW = datetime(2026, 1, 1, 12, 0, 0)
NO_PAY = Payments(bank=lambda stan, amount: "no", third_party=lambda report, amount: "05")


def test_the_shipped_services_load() -> None:
    registry = ServiceRegistry()
    assert registry.reload() == []
    assert [s.id for s in registry.services()] == ["bills", "points", "topup", "vip"]
    assert SHIPPED.is_dir()


@pytest.mark.parametrize(("text", "line", "words"), [
    (GOOD.replace('type = "input"', 'type = "dance"'), 5, "unknown step type 'dance'"),
    (GOOD.replace('name = "who"', 'name = "who"\ncolour = 1'), 5, "unknown key 'colour'"),
    (GOOD.replace('text = "你好 {who}"', 'text = "你好'), 13, "TOML syntax"),
    (GOOD.replace('type = "end"', 'type = "display"'), 11, "last step must be"),
    (GOOD.replace("min = 1, max = 8", "min = 9, max = 8"), 5, "min/max"),
    (GOOD.replace('id = "hello"', 'id = "Hello!"'), 1, "bad service id"),
    (GOOD.replace('type = "end"', 'type = "bank_debit"\n\n[[steps]]\ntype = "end"'), 11,
     "needs an amount"),
    # a typo must never be ignored: a misspelt hidden would show a password and send it clear
    (GOOD.replace("max = 8 }", "max = 8, hiden = true }"), 5, "unknown key 'hiden' in a field"),
    (GOOD.replace("max = 8 }", 'max = 8, hidden = "no" }'), 5, "hidden must be true or false"),
    (GOOD.replace("max = 8 }", 'max = 8, kind = "hex" }'), 5, "field kind 'hex' unknown"),
    (GOOD.replace('title = "问候"', 'title = "问候"\ntimeout = 5'), 1,
     "unknown key 'timeout' in [service]"),
    (GOOD.replace('type = "input"\n', ""), 5, "a step needs type"),
    (GOOD.replace('type = "end"', 'type = "bank_debit"\namount = -5\n\n[[steps]]\ntype = "end"'),
     11, "amount must be fen"),
    (GOOD.replace('type = "end"', 'type = "bank_debit"\namount = "{who"\n\n[[steps]]\n'
                  'type = "end"'), 11, "amount must be fen"),
    (GOOD.replace('type = "end"', 'type = "bank_debit"\namount = "nosuch:{who}"\n\n[[steps]]\n'
                  'type = "end"'), 11, "amount names table 'nosuch'"),
])
def test_a_malformed_file_is_refused_with_file_and_line(text: str, line: int,
                                                         words: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_service(text, path="svc/hello.toml")
    assert str(caught.value).startswith(f"svc/hello.toml:{line}: ")
    assert words in str(caught.value)


def test_the_registry_reloads_a_changed_folder_and_keeps_good_files(tmp_path: Path) -> None:
    registry = ServiceRegistry(tmp_path)
    assert registry.services() == []
    (tmp_path / "hello.toml").write_text(GOOD, encoding="utf-8")
    assert [s.id for s in registry.services()] == ["hello"]
    (tmp_path / "broken.toml").write_text("[service\n", encoding="utf-8")
    assert [s.id for s in registry.services()] == ["hello"]
    assert len(registry.errors) == 1 and "broken.toml:1: " in registry.errors[0]
    menu = registry.get("menu")
    assert menu is not None and menu.steps[0].items == (("hello", "问候"),)


def _book(tmp_path: Path) -> SessionBook:
    (tmp_path / "hello.toml").write_text(GOOD, encoding="utf-8")
    return SessionBook(ServiceRegistry(tmp_path))


def test_a_session_runs_and_a_repeated_result_gets_the_same_answer(tmp_path: Path) -> None:
    book = _book(tmp_path)
    first = book.open("S1", SessionRequest(service="hello"), NOW)
    assert (first.code, first.number, first.fields[0].label) == ("INP", 1, "号码")
    assert book.open("S1", SessionRequest(service="hello"), NOW) == first
    result = SessionRequest(session="S1", number=1, report=StepReport(result="00",
                                                                      values=("42",)))
    end = book.report(result, NOW, NO_PAY)
    assert (end.code, end.number, end.text) == ("END", 2, "你好 42")
    assert book.report(result, NOW + timedelta(seconds=5), NO_PAY) == end


def test_a_session_silent_too_long_ends_with_a_timeout(tmp_path: Path) -> None:
    book = _book(tmp_path)
    book.open("S1", SessionRequest(service="hello"), NOW)
    late = NOW + timedelta(seconds=121)
    result = SessionRequest(session="S1", number=1, report=StepReport(result="00",
                                                                      values=("42",)))
    end = book.report(result, late, NO_PAY)
    assert end.code == "END" and "会话超时" in end.text


@pytest.mark.parametrize(("code", "words"), [("30", "终端不支持此步骤"), ("12", "会话超时"),
                                             ("10", "交易取消")])
def test_a_step_that_did_not_succeed_ends_the_session_saying_why(
        tmp_path: Path, code: str, words: str) -> None:
    book = _book(tmp_path)
    book.open("S1", SessionRequest(service="hello"), NOW)
    end = book.report(SessionRequest(session="S1", number=1,
                                     report=StepReport(result=code)), NOW, NO_PAY)
    assert end.code == "END" and words in end.text


def test_an_unknown_service_or_session_ends_at_once(tmp_path: Path) -> None:
    book = _book(tmp_path)
    assert "无此业务" in book.open("S1", SessionRequest(service="nope"), NOW).text
    gone = book.report(SessionRequest(session="S9", number=1,
                                      report=StepReport(result="00")), NOW, NO_PAY)
    assert gone.code == "END" and "会话不存在" in gone.text


def test_a_bank_debit_must_be_in_the_bank_ledger() -> None:
    book = SessionBook(ServiceRegistry())
    seen: list[tuple[int, int]] = []

    def bank(stan: int, amount: int) -> str | None:
        seen.append((stan, amount))
        return "银行扣款未确认"

    pay = Payments(bank=bank, third_party=lambda report, amount: "05")
    book.open("S1", SessionRequest(service="topup"), NOW)
    steps = [StepReport(result="00", values=("8868001",)), StepReport(result="00", amount=500),
             StepReport(result="00", values=("1",))]
    for number, report in enumerate(steps, 1):
        book.report(SessionRequest(session="S1", number=number, report=report), NOW, pay)
    debit = StepReport(result="00", amount=500, bank_rc="00", bank_stan=7, bank_rrn="1")
    end = book.report(SessionRequest(session="S1", number=4, report=debit), NOW, pay)
    assert seen == [(7, 500)]
    assert end.code == "END" and "银行扣款未确认" in end.text
