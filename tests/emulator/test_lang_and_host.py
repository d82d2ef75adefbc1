import asyncio
import socket
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button

from xpos.emulator.app.app import EmulatorApp
from xpos.errors import ConfigError
from xpos.testing.rig import TerminalRig

from .conftest import RunApp, display, host, keyboard_sale, make_app, press, started, status


def test_english(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "Main menu" in display(app)
        assert str(app.main.query_one("#key-enter", Button).label) == "ENTER"
        assert "signed on" in status(app) and "batch 000001" in status(app)
        assert app.main.query_one("#display").border_title == "Display"
        await keyboard_sale(app, pilot, "100")
        assert "Approved" in display(app)

    run_app(scenario, lang="en")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_host_shows_offline_and_not_signed_on(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert "脱机" in status(app) and "未签到" in status(app)
        assert app.rig is not None and not app.rig.has_host
        await press(app, pilot, "2")
        assert "请先签到" in display(app)

    run_app(scenario, host=f"127.0.0.1:{_closed_port()}")


def test_another_host_given_with_host(tmp_path: Path) -> None:
    async def main() -> None:
        outside = TerminalRig(tmp_path)  # only its host: same data dir, same demo PKI
        port = (await outside.start_host(), outside.port)[1]
        try:
            app = make_app(tmp_path, host=f"127.0.0.1:{port}")
            async with app.run_test() as pilot:
                await started(app, pilot)
                assert app.rig is not None and not app.rig.has_host
                assert "已签到" in status(app) and "0810" in host(app)
                await keyboard_sale(app, pilot, "100")
                assert "交易成功" in display(app)
                await pilot.press("ctrl+q")
        finally:
            await outside.host.stop()

    asyncio.run(main())


def test_a_rig_that_cannot_start_ends_the_app_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text(f'pki_dir = "{tmp_path / "no-pki"}"\n',
                                        encoding="utf-8")

    async def main() -> None:
        app = make_app(tmp_path)
        async with app.run_test() as pilot:
            await app.started.wait()
            await pilot.pause()
            assert app.rig is None
        assert isinstance(app.error, ConfigError) and "pki_dir" in str(app.error)
        assert app.return_code == 1

    asyncio.run(main())
