"""``xpos devices check escpos+tcp://…`` against the printer simulator (a real process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xpos.drivers.check import TEST_PAGE, device_kind
from xpos.receipts.decode import decode_escpos
from xpos.testing.printer_sim import PrinterSim


def _xpos_check(url: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "xpos.cli", "devices", "check", url,
                           "--timeout", "30"], capture_output=True, text=True, timeout=60,
                          check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_the_test_page_is_printed_and_the_status_reported(sim: PrinterSim) -> None:
    code, out, err = _xpos_check(sim.url)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("打印测试页 printing a test page (printer")
    assert out.splitlines()[1] == "OK 测试页已打印 test page printed; 状态 status: 就绪 ready"
    assert sim.output == TEST_PAGE
    assert decode_escpos(sim.output).splitlines()[0] == "X-POS 打印测试 printer test"


def test_a_printer_out_of_paper_is_one_error_line(sim: PrinterSim) -> None:
    sim.paper_out()
    code, _, err = _xpos_check(sim.url)
    assert code == 1 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "缺纸 paper out" in err
    assert sim.output == b""


def test_an_unreachable_printer_is_one_error_line() -> None:
    with PrinterSim() as gone:
        url = gone.url
    code, _, err = _xpos_check(url)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "not ready" in err


def test_printer_urls_are_checked_as_printers() -> None:
    assert device_kind("escpos+usb://04b8:0202") == "printer"
    assert device_kind("serial:///dev/ttyS0") == "magstripe"
    with pytest.raises(Exception, match="printers: an escpos"):
        device_kind("fake:?kind=printer")
