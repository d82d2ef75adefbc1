"""A hidden X3 input on the whole stack: the member password typed for 会员余额查询 shows
as ``*``, travels sealed under the TDK, is checked by the reference platform, and appears
nowhere: not in a log record, the host's transcript, the terminal's traffic, the journal
file, the host database or the printed slips."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from xpos.journal import TxnStatus
from xpos.proto.interactive import parse_session_request
from xpos.refhost.seed import DEMO
from xpos.testing.rig import TerminalRig

from .conftest import RunRig, sign_on

MEMBER = DEMO.card("member")
WRONG = "097531"


async def _vip(rig: TerminalRig, password: str) -> str:
    await rig.press("3")                      # X菜单
    screen = await rig.press("2")             # 互动业务: the host's list
    number = next(line.split(".")[0].strip()[-1] for line in screen.splitlines()
                  if "会员余额查询" in line)
    assert "请输入会员卡号和密码" in await rig.press(number)
    await rig.press(*MEMBER.pan, "#")
    typed = await rig.press(*password)
    assert "*" * len(password) in typed and password not in typed
    return await rig.press("#")


def _files(*paths: Path) -> bytes:
    found = b""
    for path in paths:
        for one in path.parent.glob(path.name + "*"):   # the file, -wal, -shm, marker
            found += one.read_bytes()
    return found


def test_a_hidden_password_is_sealed_checked_and_found_nowhere(
        run_rig: RunRig, caplog: pytest.LogCaptureFixture) -> None:
    password = MEMBER.pin or ""
    caplog.set_level(logging.DEBUG)

    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        assert "余额 200.00" in await _vip(rig, password)
        assert "会员余额查询凭证" in rig.receipts()
        assert rig.terminal.journal.last("x3_session").status is TxnStatus.APPROVED
        await rig.press("ENTER")
        while "主菜单" not in rig.screen():
            await rig.press("CANCEL")
        screen = await _vip(rig, WRONG)
        assert "会员密码错误" in screen and WRONG not in screen
        assert rig.terminal.journal.last("x3_session").status is TxnStatus.APPROVED

        sent = [m for d, m in rig.messages if d == "→host" and m.get(3) == "790000"]
        reports = [parse_session_request(m).report for m in sent]
        hidden = [r for r in reports if r is not None and r.sealed]
        assert len(hidden) == 2 and all(r.values == (MEMBER.pan, "") for r in hidden)
        wire = b"".join(bytes.fromhex(m.get(62) or "") + (m.get(62) or "").encode()
                        for _, m in rig.messages)
        logs = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
        transcript = "\n".join(str(entry) for entry in rig.host.transcript)
        assert "sealed[2]=<sealed>" in transcript
        files = _files(rig.terminal.journal.path, Path(rig.host.store.path))
        slips = rig.printer.output
        assert files and slips
        for secret in (password, WRONG):
            assert secret.encode() not in wire
            assert secret not in logs and secret not in transcript
            assert secret.encode() not in files and secret.encode() not in slips
        assert MEMBER.pan.encode() in wire   # the search can find what is there

    run_rig(scenario)
