"""A hidden X3 input in the emulator: 会员余额查询 by keyboard alone; the password shows as
``*`` on the display and as ``<sealed>`` in the host pane, never in clear."""

from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.hostwords import tlv_lines
from xpos.proto import interactive as x3
from xpos.proto.tlv import encode_tlv
from xpos.refhost.seed import DEMO

from .conftest import RunApp, display, host, press

MEMBER = DEMO.card("member")


def test_the_member_password_is_starred_sealed_and_checked(run_app: RunApp) -> None:
    password = MEMBER.pin or ""

    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        await press(app, pilot, "3")
        await press(app, pilot, "2")
        number = next(line.split(".")[0].strip()[-1] for line in display(app).splitlines()
                      if "会员余额查询" in line)
        await press(app, pilot, number)
        await press(app, pilot, *MEMBER.pan, "number_sign")
        await press(app, pilot, *password)
        assert "******" in display(app) and password not in display(app)
        await press(app, pilot, "number_sign")
        assert "余额 200.00" in display(app)
        traffic = host(app)
        assert "隐藏输入(加密): <sealed> (41 bytes)" in traffic
        assert password not in traffic

    run_app(scenario, size=(120, 40))


def test_the_host_pane_words_show_a_sealed_value_by_size_only() -> None:
    cipher = bytes(range(0x60, 0x78))
    raw = encode_tlv([(x3.TAG_VALUE, b""), (x3.TAG_SEALED, b"\x02" + cipher)]).hex()
    assert tlv_lines(raw, "en") == ["      value: ",
                                     "      hidden value (sealed): <sealed> (25 bytes)"]
