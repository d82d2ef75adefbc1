"""X3 on the whole stack: a new service file appears in the X menu without restarting the
terminal, and X3 messages are routed by the platform's TPDU destination."""

from pathlib import Path

from xpos.journal import TxnStatus
from xpos.testing.rig import TerminalRig

from .conftest import RunRig, sign_on

HELLO = """\
[service]
id = "hello"
title = "问候服务"

[[steps]]
type = "input"
text = "请输入工号 按#确认"
name = "who"
fields = [{ label = "工号", min = 1, max = 6 }]

[[steps]]
type = "end"
text = "你好 {who}"
"""


async def _services(rig: TerminalRig) -> str:
    await rig.press("3")           # X菜单
    return await rig.press("2")    # 互动业务: the host's list


def test_a_new_service_file_appears_in_the_x_menu_without_a_restart(
        run_rig: RunRig, tmp_path: Path) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        screen = await _services(rig)
        assert "会员充值" in screen and "问候服务" not in screen
        await rig.press("CANCEL")
        await rig.press("ENTER")
        folder = Path(rig.host.store.path).parent / "services"
        folder.mkdir(exist_ok=True)
        (folder / "hello.toml").write_text(HELLO, encoding="utf-8")
        while "主菜单" not in rig.screen():
            await rig.press("CANCEL")
        screen = await _services(rig)
        assert "问候服务" in screen
        number = next(line.split(".")[0].strip() for line in screen.splitlines()
                      if "问候服务" in line)
        assert "请输入工号" in await rig.press(number)
        assert "你好 42" in await rig.press("4", "2", "#")
        session = rig.terminal.journal.last("x3_session")
        assert session is not None and session.status is TxnStatus.APPROVED

    run_rig(scenario)


def test_a_platform_address_the_host_does_not_route_says_platform_unavailable_at_once(
        run_rig: RunRig) -> None:
    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        sent = len(rig.host.transcript)
        assert "平台不可用" in await _services(rig)
        assert len(rig.host.transcript) == sent + 2           # one open, its 40 answer
        await rig.press("ENTER")
        assert "平台不可用" in await rig.press("2")            # at once, nothing sent
        assert len(rig.host.transcript) == sent + 2
        assert rig.terminal.journal.last("x3_session").status is TxnStatus.FAILED

    run_rig(scenario, platform_tpdu_destination="0009")


def test_a_third_party_card_reaches_the_platform_encrypted_and_its_password_as_a_pin_block(
        run_rig: RunRig) -> None:
    from xpos.proto.interactive import parse_session_request
    from xpos.refhost.seed import DEMO, track2_for

    member = DEMO.card("member")

    async def scenario(rig: TerminalRig) -> None:
        await sign_on(rig)
        screen = await _services(rig)
        number = next(line.split(".")[0].strip()[-1] for line in screen.splitlines()
                      if "积分卡消费" in line)
        await rig.press(number)
        await rig.press("1", "0", "0", "0", "ENTER")
        await rig.swipe(track2_for(member.pan, member.expiry))
        assert "消费成功" in await rig.pin(member.pin or "")
        sent = [m for d, m in rig.messages if d == "→host" and m.get(3) == "790000"]
        reports = [parse_session_request(m).report for m in sent]
        debit = next(r for r in reports if r is not None and r.masked_pan)
        assert debit.masked_pan == "886800******0001" and debit.pin_block is not None
        assert debit.track_cipher and member.pan not in debit.track_cipher
        assert all(member.pan not in (m.get(62) or "") + bytes.fromhex(
            m.get(62) or "").decode("latin-1") for m in sent)
        assert rig.host.store.balance(member.pan) == member.balance - 1000

    run_rig(scenario)
