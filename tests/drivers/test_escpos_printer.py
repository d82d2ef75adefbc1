"""python-escpos printer backends against the printer simulator (socket and pty)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from xpos.drivers import conformance, open_device
from xpos.drivers.escpos_printer import EscposPrinter, PrinterNotReadyError
from xpos.drivers.printer_status import CLEAR_BUFFERS
from xpos.errors import ConfigError, DeviceError, PaperOutError
from xpos.receipts.decode import decode_escpos
from xpos.testing.printer_sim import PrinterModel, PrinterSim, SerialPrinterSim

QUERY_1, QUERY_4 = b"\x10\x04\x01", b"\x10\x04\x04"
JOB = b"\x1b@\x1c&" + "签购单".encode("gb18030") + b"\x1c.\nX-POS\n"


def _open(url: str) -> EscposPrinter:
    printer = open_device("printer", url)
    assert isinstance(printer, EscposPrinter)
    return printer


def test_a_job_is_framed_by_status_queries_on_the_wire(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    sim.clear()  # opening may already ask (Python 3.11's Protocol check reads paper_ok)
    printer.print_bytes(JOB)
    printer.close()
    assert sim.received == QUERY_1 + QUERY_4 + JOB + QUERY_1 + QUERY_4  # golden
    assert sim.output == JOB and sim.text() == "签购单\nX-POS"


def test_network_printer_passes_both_printer_conformance_checks(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    asyncio.run(conformance.check_printer(
        printer, output=lambda: sim.output, paper_out=sim.paper_out, reload=sim.reload))
    asyncio.run(conformance.check_printer_mid_job(
        printer, output=lambda: sim.output,
        paper_out_after=lambda n: sim.paper_out(after_bytes=n), reload=sim.reload))
    printer.close()


def test_serial_printer_on_a_pty_passes_both_conformance_checks() -> None:
    with SerialPrinterSim() as sim:
        printer = _open(sim.url)
        asyncio.run(conformance.check_printer(
            printer, output=lambda: sim.output, paper_out=sim.paper_out, reload=sim.reload))
        asyncio.run(conformance.check_printer_mid_job(
            printer, output=lambda: sim.output,
            paper_out_after=lambda n: sim.paper_out(after_bytes=n), reload=sim.reload))
        printer.close()


def test_paper_out_before_a_job_sends_nothing(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    sim.paper_out()
    with pytest.raises(PrinterNotReadyError, match="缺纸"):
        printer.print_bytes(JOB)
    assert JOB not in sim.received and sim.output == b""
    sim.reload()
    printer.print_bytes(JOB)
    assert sim.output == JOB


def test_paper_out_during_a_job_raises_and_the_retry_prints_it_whole(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    sim.paper_out(after_bytes=5)
    sim.clear()
    with pytest.raises(PaperOutError, match="during the job") as caught:
        printer.print_bytes(JOB)
    assert not isinstance(caught.value, PrinterNotReadyError)
    # golden: asked, job, asked (paper end: 1A 72, then 32 12 for n = 2, 3), cleared, asked
    assert sim.received == (QUERY_1 + QUERY_4 + JOB + QUERY_1 + QUERY_4
                            + b"\x10\x04\x02\x10\x04\x03" + CLEAR_BUFFERS + QUERY_4)
    assert sim.output == JOB[:5] and sim.held == b"" and not printer.paper_ok
    sim.reload()
    printer.print_bytes(JOB)
    assert sim.output == JOB[:5] + JOB
    assert decode_escpos(sim.output[5:]) == "签购单\nX-POS"


def test_cover_open_is_not_ready(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    sim.open_cover()
    assert not printer.paper_ok
    with pytest.raises(PrinterNotReadyError, match="cover open"):
        printer.print_bytes(JOB)
    sim.open_cover(False)
    printer.print_bytes(JOB)
    assert sim.output == JOB


def test_a_printer_that_resets_is_reconnected_once(sim: PrinterSim) -> None:
    printer = _open(sim.url)
    printer.print_bytes(JOB)
    sim.drop_connections()
    printer.print_bytes(JOB)  # the idle connection was closed: reconnected, printed
    assert sim.output == JOB + JOB


def test_an_unreachable_printer_does_not_stop_the_terminal() -> None:
    with PrinterSim() as gone:
        url = gone.url
    printer = _open(url)  # connects on the first job
    assert not printer.paper_ok
    with pytest.raises(PrinterNotReadyError, match="not ready"):
        printer.print_bytes(JOB)


def test_a_printer_that_does_not_answer_status_is_not_ready(sim: PrinterSim) -> None:
    class Mute(PrinterModel):
        def feed(self, data: bytes) -> bytes:
            super().feed(data)
            return b""

    mute = Mute()
    sim.feed = mute.feed  # type: ignore[method-assign]
    printer = _open(sim.url.replace("timeout=5", "timeout=1"))
    with pytest.raises(PrinterNotReadyError, match="not ready"):
        printer.print_bytes(JOB)
    assert mute.output == b""
    blind = _open(sim.url.replace("timeout=5", "status=0"))
    blind.print_bytes(JOB)  # status=0: sent without asking
    assert mute.wait_output(len(JOB)) == JOB and blind.paper_ok


def test_escpos_file_printer_writes_the_job(tmp_path: Path) -> None:
    path = tmp_path / "lp0"
    path.touch()
    printer = _open(f"escpos+file://{path}")
    asyncio.run(conformance.check_printer(printer, output=path.read_bytes))
    printer.print_bytes(JOB)
    printer.close()
    assert path.read_bytes().endswith(JOB)
    with pytest.raises(DeviceError, match="closed"):
        printer.print_bytes(JOB)


@pytest.mark.parametrize(("url", "message"), [
    ("escpos+tcp://:9100", "use escpos+tcp://HOST:PORT"),
    ("escpos+tcp://10.0.0.5:99999", "bad TCP port"),
    ("escpos+tcp://10.0.0.5:9100?profile=NoSuch", "unknown printer profile 'NoSuch'"),
    ("escpos+tcp://10.0.0.5:9100?status=yes", "status must be 0 or 1"),
    ("escpos+tcp://10.0.0.5:9100?chinese=braille", "chinese must be fs or image"),
    ("escpos+tcp://10.0.0.5:9100?colour=red", "unknown parameter 'colour'"),
    ("escpos+serial://", "use escpos+serial:///dev/ttyUSB0"),
    ("escpos+serial:///dev/ttyUSB0?flow=rtscts", "flow must be none or dsrdtr"),
    ("escpos+usb://zz:0202", "use escpos+usb://VID:PID"),
    ("escpos+file:///dev/usb/lp0?status=1", "cannot answer status"),
])
def test_bad_printer_urls_name_the_culprit(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        open_device("printer", url)


def test_missing_serial_or_file_printer_is_a_device_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="cannot open serial printer"):
        open_device("printer", f"escpos+serial://{tmp_path}/ttyNone")
    with pytest.raises(DeviceError, match="cannot open printer file"):
        open_device("printer", f"escpos+file://{tmp_path}/no/such/lp0")


def test_usb_printer_needs_pyusb_or_finds_the_device_on_first_job() -> None:
    try:
        import usb.core  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=re.escape("python-escpos[usb]")):
            open_device("printer", "escpos+usb://04b8:0202")
        return
    printer = _open("escpos+usb://04b8:0202?in_ep=82&out_ep=01")
    with pytest.raises(PrinterNotReadyError):  # no such device on a build machine
        printer.print_bytes(JOB)


def test_the_model_answers_queries_split_across_reads() -> None:
    model = PrinterModel()
    assert model.feed(b"AB\x10") == b""
    assert model.feed(b"\x04") == b""
    assert model.feed(b"\x04CD\x10\x04\x01") == b"\x12\x12"
    assert model.output == b"ABCD" and model.queries == [4, 1]
    model.paper_out()
    assert model.feed(b"EF\x10\x04\x04\x10\x04\x01") == b"\x72\x1a"
    assert model.output == b"ABCD" and model.held == b"EF"
    model.reload()  # a real printer prints what it holds once paper is back ...
    assert model.output == b"ABCDEF" and model.held == b""
    model.paper_out(after_bytes=1)
    assert model.feed(b"GHI" + CLEAR_BUFFERS[:4]) == b""
    assert model.feed(CLEAR_BUFFERS[4:] + b"\x10X") == b""  # ... unless told to clear it
    assert (model.output, model.held, model.lost) == (b"ABCDEFG", b"\x10X", 2)
