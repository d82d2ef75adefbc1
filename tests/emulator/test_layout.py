import itertools
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.widgets import KeyButton, LcdDisplay
from xpos.model.textwidth import text_width

from .conftest import RunApp

PANES = ("#display", "#keypad", "#pinpad", "#printer", "#wallet", "#host", "#status", "#help")


@pytest.mark.parametrize(("size", "lang"), [((80, 24), "zh"), ((80, 24), "en"),
                                            ((120, 40), "zh")])
def test_every_pane_and_key_fits_on_screen_without_overlap(
        run_app: RunApp, size: tuple[int, int], lang: str) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        screen = Region(0, 0, *size)
        regions = {pane: app.main.query_one(pane).region for pane in PANES}
        for pane, region in regions.items():
            assert region.area > 0 and screen.contains_region(region), pane
        for (a, ra), (b, rb) in itertools.combinations(regions.items(), 2):
            assert not ra.overlaps(rb), (a, b)
        keys = list(app.main.query(KeyButton))
        assert len(keys) == 20
        for key in keys:
            label = str(key.label)
            assert key.region.width >= text_width(label) and key.region.height == 1, label

    run_app(scenario, size=size, lang=lang)


def test_the_display_has_the_device_size(run_app: RunApp) -> None:
    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        display = app.main.query_one(LcdDisplay)
        assert (display.rows, display.cols) == (8, 20)
        assert display.content_region.size == (20, 8)

    run_app(scenario)


def test_a_smaller_display_from_the_configuration(run_app: RunApp, tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('[devices]\ndisplay = "fake:?rows=4&cols=16"\n',
                                        encoding="utf-8")

    async def scenario(app: EmulatorApp, pilot: Pilot[None]) -> None:
        display = app.main.query_one(LcdDisplay)
        assert display.content_region.size == (16, 4)
        assert display.lines[0].startswith("主菜单")

    run_app(scenario)
