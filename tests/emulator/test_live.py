"""The panes follow the devices and the host link without any input and without polling."""

from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp

from .conftest import RunApp, display, host, roll, status


def test_a_display_change_without_input_is_painted(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert app.rig is not None
        app.rig.display.show(["外部变化", "no key pressed"])
        await pilot.pause()
        assert "外部变化" in display(app) and "no key pressed" in display(app)

    run_app(scenario)


def test_a_burst_of_changes_paints_once_with_the_last_state(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        assert app.rig is not None
        painted: list[str] = []
        real_paint = app.paint

        def counting_paint() -> None:
            real_paint()
            painted.append(display(app))

        app.paint = counting_paint  # type: ignore[method-assign]
        for n in range(5):
            app.rig.display.show([f"screen {n}"])
        app.rig.printer.paper_out()
        await pilot.pause()
        assert len(painted) == 1 and "screen 4" in painted[0]
        assert "缺纸" in status(app)

    run_app(scenario)


def test_host_traffic_and_printing_outside_the_app_show_up(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        rig = app.rig
        assert rig is not None
        before = host(app).count("0800")
        assert await rig.sign_on()  # straight on the rig: the app is not told
        await pilot.pause()
        assert host(app).count("0800") == before + 1
        rig.printer.print_bytes(b"\x1b@EXTERNAL JOB\n")
        await pilot.pause()
        assert "EXTERNAL JOB" in roll(app)

    run_app(scenario)


def test_after_quit_device_changes_no_longer_reach_the_app(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        rig = app.rig
        assert rig is not None
        display_fake = rig.display
        await app.stop_rig()
        painted: list[int] = []
        app.paint = lambda: painted.append(1)  # type: ignore[method-assign]
        display_fake.show(["after the end"])
        await pilot.pause()
        assert painted == []

    run_app(scenario)
