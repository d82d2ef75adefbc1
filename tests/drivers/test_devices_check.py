"""``xpos devices check URL`` against pty-backed serial devices."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.cli import main
from xpos.drivers.check import check_device, describe_card
from xpos.drivers.magstripe import encode_swipe
from xpos.drivers.serial_frames import encode_rfid_frame
from xpos.model import CardData, CardSource

TRACK2 = "6212345678901234567=30121010000000000"


@pytest.fixture
def pty_port() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def _check(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["devices", "check", url, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _xpos_check(url: str, master: int, wire: bytes) -> tuple[int, str, str]:
    """Run ``xpos devices check URL``; write ``wire`` to the pty once it asks."""
    proc = subprocess.Popen([sys.executable, "-m", "xpos.cli", "devices", "check", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        prompt = proc.stdout.readline()  # the card comes after the prompt, as on a bench
        os.write(master, wire)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return proc.returncode, prompt + out, err


def test_magstripe_swipe_is_shown_masked(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    code, out, err = _xpos_check(f"serial://{path}?baud=9600", master,
                                 encode_swipe(track2=TRACK2))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("请刷卡 swipe a card now (magstripe")
    assert out.splitlines()[1] == "OK 卡号 card 621234*********4567 服务码 service code 101"
    assert "6212345678901234567" not in out and "3012" not in out


def test_serial_scanner_code_is_shown_masked(pty_port: tuple[int, str]) -> None:
    master, path = pty_port

    async def scan() -> str:
        return await check_device(f"serial://{path}?kind=scanner&suffix=CR",
                                  lambda _: os.write(master, b"VC20240001234567\r"))

    assert asyncio.run(scan()) == "条码 code ************4567 (16 characters)"


def test_bad_rfid_frame_is_one_error_line(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    code, _, err = _xpos_check(f"serial://{path}?kind=rfid", master,
                               b"\x0262E3086CED09\x03")
    assert code == 1
    assert err == "xpos: 错误 error: 读卡失败 card read failed: RFID frame checksum wrong\n"


def test_nothing_read_in_time_is_one_error_line(
    pty_port: tuple[int, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = pty_port
    code, _, err = _check(f"serial://{path}?kind=rfid", capsys, "--timeout", "0.3")
    assert code == 1
    assert err == ("xpos: 错误 error: 设备故障 device failure: nothing read from rfid "
                   "within 0.3 s\n")


@pytest.mark.parametrize(("url", "says"), [
    ("serial:///dev/ttyS0?kind=printer", "配置错误 configuration error: kind=printer cannot"),
    ("serial:?kind=rfid", "has no device path"),
    ("evdev:///dev/input/by-id/none?kind=scanner&suffix=x", "suffix must be enter or tab"),
    ("nonsense", "has no scheme"),
])
def test_bad_urls_are_one_error_line(
    url: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _check(url, capsys)
    assert code == 1
    assert says in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_device_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _check(f"serial://{tmp_path}/ttyUSB9?kind=rfid", capsys)
    assert code == 1
    assert err.startswith("xpos: 错误 error: 设备故障 device failure: cannot open serial port")


def test_descriptions_never_show_full_numbers() -> None:
    card = CardData(source=CardSource.TAP, uid="04A1B2C3D4E5F6")
    assert describe_card(card) == "卡片标识 UID **********E5F6 (7 bytes)"


def test_the_command_waits_for_a_tap_on_a_real_pty(pty_port: tuple[int, str]) -> None:
    master, path = pty_port
    code, out, err = _xpos_check(f"serial://{path}?kind=rfid", master,
                                 b"\x00noise" + encode_rfid_frame("62E3086CED"))
    assert (code, err) == (0, "")
    assert out == "请挥卡 tap a card now (rfid, 60 s)\nOK 卡片标识 UID ******6CED (5 bytes)\n"
