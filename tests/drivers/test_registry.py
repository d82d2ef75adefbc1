from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest

from xpos.drivers import (
    DeviceSet,
    DeviceUrl,
    DriverRegistry,
    open_device,
    open_devices,
    parse_device_url,
)
from xpos.drivers.fake_cards import FakeCardReader, FakeRfidReader, FakeScanner
from xpos.drivers.fake_pinpad import FakePinPad
from xpos.drivers.fakes import FakeDisplay, FakeKeypad, FakePrinter
from xpos.errors import ConfigError

NO_EPS = DriverRegistry(entry_point_list=())


def test_parse_device_url_splits_scheme_path_netloc_and_params() -> None:
    url = parse_device_url("serial:///dev/ttyS1?baud=9600")
    assert (url.scheme, url.netloc, url.path, dict(url.params)) == (
        "serial", "", "/dev/ttyS1", {"baud": "9600"})
    net = parse_device_url("ESCPOS+USB://04b8:0202")
    assert (net.scheme, net.netloc) == ("escpos+usb", "04b8:0202")


@pytest.mark.parametrize(("url", "message"), [
    ("fake", "no scheme"),
    ("fake:?cols=1&cols=2", "repeats parameter 'cols'"),
])
def test_parse_device_url_rejects_bad_urls(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_device_url(url)


@pytest.mark.parametrize(("kind", "cls"), [
    ("keypad", FakeKeypad), ("display", FakeDisplay), ("magstripe", FakeCardReader),
    ("rfid", FakeRfidReader), ("scanner", FakeScanner), ("pinpad", FakePinPad),
    ("printer", FakePrinter),
])
def test_fake_url_opens_the_fake_of_each_kind(kind: str, cls: type) -> None:
    assert type(open_device(kind, "fake:", registry=NO_EPS)) is cls


def test_fake_display_takes_rows_and_cols() -> None:
    display = open_device("display", "fake:?cols=16&rows=4")
    assert isinstance(display, FakeDisplay)
    assert (display.rows, display.cols) == (4, 16)


@pytest.mark.parametrize(("kind", "url", "message"), [
    ("teleporter", "fake:", "unknown device kind 'teleporter'"),
    ("printer", "escpos+bt://00:11", "no printer driver for URL scheme 'escpos+bt'"),
    ("display", "fake:?cols=abc", "cols must be"),
    ("display", "fake:?colour=red", "unknown parameter 'colour'"),
    ("keypad", "fake:?rows=2", "unknown parameter 'rows'"),
    ("magstripe", "serial://?baud=9600", "no device path"),
    ("magstripe", "serial:///dev/ttyS1?baud=fast", "baud must be"),
])
def test_open_device_errors_name_the_culprit(kind: str, url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        open_device(kind, url, registry=NO_EPS)


def test_entry_point_adds_a_scheme() -> None:
    ep = EntryPoint(name="printer.paper", value="xpos.drivers.fakes:open_fake_printer",
                    group="xpos.drivers")
    registry = DriverRegistry(entry_point_list=[ep])
    assert isinstance(registry.open("printer", "paper://roll"), FakePrinter)


def test_entry_point_that_cannot_load_is_a_config_error() -> None:
    ep = EntryPoint(name="printer.paper", value="xpos.no_such_module:factory",
                    group="xpos.drivers")
    with pytest.raises(ConfigError, match=re.escape("printer.paper")):
        DriverRegistry(entry_point_list=[ep]).open("printer", "paper:")


def test_registered_factory_is_checked_against_the_kind_protocol() -> None:
    registry = DriverRegistry(entry_point_list=())
    registry.register("printer", "bogus", lambda url: FakeKeypad())
    with pytest.raises(ConfigError, match="did not return a Printer"):
        registry.open("printer", "bogus:")


def test_registered_factory_receives_the_parsed_url() -> None:
    registry = DriverRegistry(entry_point_list=())
    seen: list[DeviceUrl] = []

    def factory(url: DeviceUrl) -> FakeKeypad:
        seen.append(url)
        return FakeKeypad()

    registry.register("keypad", "mine", factory)
    registry.open("keypad", "mine://host:1?x=1")
    assert (seen[0].netloc, dict(seen[0].params)) == ("host:1", {"x": "1"})


def test_open_devices_defaults_every_kind_to_fake() -> None:
    devices = open_devices({}, registry=NO_EPS)
    assert isinstance(devices, DeviceSet)
    assert [type(r) for r in devices.readers] == [FakeCardReader, FakeRfidReader, FakeScanner]
    assert isinstance(devices.pinpad, FakePinPad)
    devices.close()


def test_open_devices_leaves_out_readers_set_to_none() -> None:
    devices = open_devices({"rfid": "none:", "scanner": "none:"}, registry=NO_EPS)
    assert [type(r) for r in devices.readers] == [FakeCardReader]


def test_open_devices_rejects_unknown_kinds_and_none_for_required_devices() -> None:
    with pytest.raises(ConfigError, match="'keybord'"):
        open_devices({"keybord": "fake:"}, registry=NO_EPS)
    with pytest.raises(ConfigError, match="scheme 'none'"):
        open_devices({"keypad": "none:"}, registry=NO_EPS)


def test_opening_fakes_imports_neither_pyserial_nor_escpos() -> None:
    code = (
        "import sys; from xpos.drivers import open_devices; open_devices({}); "
        "bad = [m for m in ('serial', 'escpos') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
