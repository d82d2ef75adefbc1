"""Helpers for driving the emulator app headless with Textual's Pilot.

Nothing sleeps: after each action the helpers await the rig's ``settle`` (through
``app.settle``) and ``pilot.pause()``.
"""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from xpos.emulator.app.app import EmulatorApp
from xpos.emulator.app.launch import EmulatorOptions, build_app
from xpos.emulator.app.widgets import HostPane, LcdDisplay, PinPadPane, PrinterPane, StatusLine
from xpos.refhost.seed import DEMO

ALICE = DEMO.card("alice")
Scenario = Callable[[EmulatorApp, Pilot[None]], Awaitable[None]]
RunApp = Callable[..., None]


@pytest.fixture
def run_app(tmp_path: Path) -> RunApp:
    def run(scenario: Scenario, *, size: tuple[int, int] = (80, 24), **options: Any) -> None:
        async def main() -> None:
            app = make_app(tmp_path, **options)
            async with app.run_test(size=size) as pilot:
                await started(app, pilot)
                await scenario(app, pilot)

        asyncio.run(main())

    return run


def make_app(data_dir: Path, *, host: str | None = None, lang: str | None = None) -> EmulatorApp:
    """The app as ``xpos emulator`` builds it (the launcher makes the rig and hands it in)."""
    return build_app(EmulatorOptions(data_dir=data_dir, host=host, lang=lang))


async def started(app: EmulatorApp, pilot: Pilot[None]) -> None:
    await app.started.wait()
    assert app.error is None
    await settle(app, pilot)


async def settle(app: EmulatorApp, pilot: Pilot[None]) -> None:
    await app.settle()
    await pilot.pause()


async def press(app: EmulatorApp, pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


async def click(app: EmulatorApp, pilot: Pilot[None], selector: str) -> None:
    assert await pilot.click(selector)
    await settle(app, pilot)


async def keyboard_sale(app: EmulatorApp, pilot: Pilot[None], amount: str) -> None:
    """A sale by keyboard alone: amount, s → alice, PIN, Enter."""
    await press(app, pilot, "2")
    await press(app, pilot, *amount, "enter")
    await press(app, pilot, "s")
    await press(app, pilot, "1")
    assert app.rig is not None and app.rig.pinpad.asking
    await press(app, pilot, *ALICE.pin, "enter")


def display(app: EmulatorApp) -> str:
    return app.main.query_one(LcdDisplay).text


def roll(app: EmulatorApp) -> str:
    return app.main.query_one(PrinterPane).text


def host(app: EmulatorApp) -> str:
    return app.main.query_one(HostPane).text


def status(app: EmulatorApp) -> str:
    return app.main.query_one(StatusLine).text


def pin_stars(app: EmulatorApp) -> str:
    return app.main.query_one(PinPadPane).stars
