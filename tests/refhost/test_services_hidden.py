"""Hidden X3 inputs at the reference platform: never echoed (refused at load, masked at
run), opened from their seal bound to the session, refused when clear or unsealed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pytest

from xpos.errors import SecurityError
from xpos.proto.interactive import SessionRequest, StepReport
from xpos.refhost.services.hidden import BAD_SEAL, MASK, NOT_SEALED
from xpos.refhost.services.model import ServiceError, parse_service
from xpos.refhost.services.registry import ServiceRegistry
from xpos.refhost.services.runner import Payments, SessionBook
from xpos.security.platform_value import open_value, seal_value

TDK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
NOW = datetime(2026, 1, 1, 12, 0, 0)
MEMBER, PASSWORD = "8868000000000001", "666666"
CODE = """\
[service]
id = "code"
title = "验证码"

[[steps]]
type = "input"
text = "请输入手机号和验证码"
name = "otp"
fields = [
    { label = "手机号", min = 1, max = 11 },
    { label = "验证码", min = 4, max = 6, hidden = true },
]

[[steps]]
type = "end"
text = "手机号 {otp_1}"
"""


@pytest.mark.parametrize("echo", ["{otp}", "{otp_2}"])
def test_a_text_that_would_echo_a_hidden_value_is_refused_at_load(echo: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse_service(CODE.replace("{otp_1}", echo), path="svc/code.toml")
    assert str(caught.value).startswith("svc/code.toml:14: ")
    assert "hidden" in str(caught.value) and echo in str(caught.value)
    assert parse_service(CODE, path="svc/code.toml").steps[0].fields[1].hidden


@pytest.mark.parametrize(("verify", "words"), [
    ('verify = "telepathy"', "unknown verify 'telepathy'"),
    ('verify = "member_password"', "two fields"),
])
def test_a_bad_verify_is_refused_with_file_and_line(verify: str, words: str) -> None:
    text = CODE.replace('name = "otp"', f'name = "otp"\n{verify}').replace(
        "min = 4, max = 6, hidden = true", "min = 4, max = 6")
    with pytest.raises(ServiceError) as caught:
        parse_service(text, path="svc/code.toml")
    assert str(caught.value).startswith("svc/code.toml:5: ") and words in str(caught.value)


def _verify(kind: str, values: tuple[str, ...]) -> Mapping[str, str] | str:
    assert kind == "member_password"
    return {"balance": "200.00"} if values == (MEMBER, PASSWORD) else "会员密码错误"


def _payments(session: str) -> Payments:
    def unseal(cipher: bytes, number: int, position: int) -> str | None:
        try:
            return open_value(cipher, TDK, session=session, number=number, position=position)
        except SecurityError:
            return None
    return Payments(bank=lambda stan, amount: "no", third_party=lambda report, amount: "05",
                    unseal=unseal, verify=_verify)


def _report(values: tuple[str, ...], sealed: tuple[tuple[int, bytes], ...]) -> SessionRequest:
    return SessionRequest(session="S1", number=1,
                          report=StepReport(result="00", values=values, sealed=sealed))


def _seal(value: str, *, session: str = "S1", number: int = 1) -> tuple[tuple[int, bytes]]:
    return ((2, seal_value(value, TDK, session=session, number=number, position=2)),)


def _vip() -> SessionBook:
    book = SessionBook(ServiceRegistry())
    first = book.open("S1", SessionRequest(service="vip"), NOW)
    assert first.code == "INP" and [f.hidden for f in first.fields] == [False, True]
    return book


def test_the_sealed_password_opens_is_checked_and_never_comes_back() -> None:
    book = _vip()
    step = book.report(_report((MEMBER, ""), _seal(PASSWORD)), NOW, _payments("S1"))
    assert step.code == "PRT" and "200.00" in step.text and PASSWORD not in step.text


@pytest.mark.parametrize(("values", "sealed", "words"), [
    ((MEMBER, ""), _seal("000000"), "会员密码错误"),
    ((MEMBER, PASSWORD), (), NOT_SEALED),                    # sent in clear
    ((MEMBER, PASSWORD), _seal(PASSWORD), NOT_SEALED),        # in clear beside its seal
    ((MEMBER, ""), (), NOT_SEALED),                           # seal left out (no TDK)
    ((MEMBER,), (), NOT_SEALED),                              # no place kept
    ((MEMBER, ""), _seal(PASSWORD, session="S2"), BAD_SEAL),  # replayed from another session
    ((MEMBER, ""), _seal(PASSWORD, number=2), BAD_SEAL),      # from another step
])
def test_a_wrong_clear_or_foreign_password_ends_the_session_in_words(
        values: tuple[str, ...], sealed: tuple[tuple[int, bytes], ...], words: str) -> None:
    step = _vip().report(_report(values, sealed), NOW, _payments("S1"))
    assert step.code == "END" and words in step.text and "会员余额查询" in step.text
    assert PASSWORD not in step.text


def test_a_hidden_value_that_reaches_a_text_anyway_shows_as_stars() -> None:
    from dataclasses import replace

    service = parse_service(CODE, path="svc/code.toml")
    end = replace(service.steps[1], text="验证码 {otp_2} / {otp} / {otp_1}")
    registry = ServiceRegistry()
    registry._services = {"code": replace(service, steps=(service.steps[0], end))}
    registry._stamp = registry._current_stamp()
    book = SessionBook(registry)
    book.open("S1", SessionRequest(service="code"), NOW)
    step = book.report(_report(("13800138000", ""), _seal("4321")), NOW, _payments("S1"))
    assert step.code == "END" and step.text == f"验证码 {MASK} / {MASK} / 13800138000"
