"""The composition root: devices from the config, owned and closed by the terminal."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from xpos.drivers.fakes import FakePrinter
from xpos.drivers.registry import DriverRegistry, open_devices
from xpos.drivers.url import DeviceUrl
from xpos.errors import CardReadError, ConfigError, DeviceError
from xpos.model import CardData, CardSource
from xpos.refhost.seed import DEMO
from xpos.security.keystore import KeyStore
from xpos.security.pki import ensure_demo_pki
from xpos.terminal.compose import check_provisioned, open_terminal
from xpos.terminal.config import KEYSTORE_NAME, load_config
from xpos.terminal.daemon import serve
from xpos.terminal.runtime import Terminal


class _RecordingPrinter(FakePrinter):
    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    def close(self) -> None:
        self.closed = True


def _registry(opened: list[_RecordingPrinter]) -> DriverRegistry:
    def factory(url: DeviceUrl) -> _RecordingPrinter:
        opened.append(_RecordingPrinter())
        return opened[-1]

    registry = DriverRegistry(())
    registry.register("printer", "rec", factory)
    return registry


def test_the_terminal_closes_the_devices_it_opened(tmp_path: Path) -> None:
    opened: list[_RecordingPrinter] = []
    config = load_config(tmp_path, tls=False, devices={"printer": "rec:"})

    async def main() -> None:
        terminal = open_terminal(config, registry=_registry(opened))
        assert terminal.devices.printer is opened[0] and not opened[0].closed
        await terminal.close()
        assert opened[0].closed
        await terminal.close()  # idempotent

    asyncio.run(main())


def test_a_terminal_handed_devices_leaves_them_to_the_caller(tmp_path: Path) -> None:
    opened: list[_RecordingPrinter] = []
    config = load_config(tmp_path, tls=False, devices={"printer": "rec:"})

    async def main() -> None:
        terminal = Terminal(config, open_devices(config.devices, registry=_registry(opened)))
        await terminal.close()

    asyncio.run(main())
    assert not opened[0].closed


def test_devices_are_closed_again_when_the_terminal_cannot_be_built(tmp_path: Path) -> None:
    opened: list[_RecordingPrinter] = []
    config = load_config(tmp_path, devices={"printer": "rec:"})  # tls, but no PKI
    with pytest.raises(ConfigError, match=r"ca\.pem"):
        open_terminal(config, registry=_registry(opened))
    assert opened[0].closed
    assert not (tmp_path / "pki").exists()  # the terminal makes no demo PKI
    assert not (tmp_path / "journal.db").exists()


def test_check_provisioned_names_the_pki_files_and_the_tmk(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    problems = check_provisioned(config)
    assert len(problems) == 2 and "ca.pem" in problems[0] and "no TMK" in problems[1]
    assert check_provisioned(config.replace(tls=False)) == problems[1:]
    ensure_demo_pki(tmp_path)
    KeyStore(tmp_path / KEYSTORE_NAME).load_tmk(list(DEMO.tmk_components), DEMO.tmk_kcv)
    assert check_provisioned(config) == []


def test_serve_refuses_before_opening_any_device(tmp_path: Path) -> None:
    printer = tmp_path / "out.bin"
    config = load_config(tmp_path, devices={"printer": f"file://{printer}"})
    with pytest.raises(ConfigError, match=r"not provisioned: .*ca\.pem.*no TMK"):
        asyncio.run(serve(config))
    assert not printer.exists()


def test_a_missing_fifo_is_a_device_error(tmp_path: Path) -> None:
    config = load_config(tmp_path, tls=False, devices={"keypad": f"fifo://{tmp_path}/none"})
    with pytest.raises(DeviceError, match="cannot open FIFO"):
        open_terminal(config)


class _UnpluggedReader:
    source = CardSource.SWIPE

    def __init__(self) -> None:
        self.reads = 0

    async def read_card(self) -> CardData:
        self.reads += 1
        if self.reads == 1:
            raise CardReadError("bad swipe")  # the reader stays usable after this
        raise DeviceError("unplugged")


def test_a_failed_reader_ends_its_task_and_is_reported_once(tmp_path: Path) -> None:
    readers: list[_UnpluggedReader] = []

    def factory(url: DeviceUrl) -> _UnpluggedReader:
        readers.append(_UnpluggedReader())
        return readers[-1]

    registry = DriverRegistry(())
    registry.register("magstripe", "unplugged", factory)
    config = load_config(tmp_path, tls=False, devices={"magstripe": "unplugged:"})

    async def main() -> None:
        terminal = open_terminal(config, registry=registry)
        try:
            terminal.start_devices()
            failure = await asyncio.wait_for(terminal.wait_device_failure(), 10)
            assert isinstance(failure, DeviceError) and str(failure) == "unplugged"
            for _ in range(10):
                await asyncio.sleep(0)
            assert readers[0].reads == 2  # no spinning on a dead device
        finally:
            await terminal.close()

    asyncio.run(main())
