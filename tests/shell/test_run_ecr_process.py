"""``xpos run`` as a real process driven by a till on a pty: the whole M8 path.

Reference host in another process; the terminal's magstripe reader and its ECR port are
two ptys; keypad and PIN pad FIFOs; a display file; the network printer simulator
(``xpos.testing.printer_sim``, ESC/POS with status on a local socket); ``$NOTIFY_SOCKET`` a real
unix datagram socket. The till sends a sale, the customer swipes and enters the PIN, and
the till gets the masked card, the auth code and the trace; systemd would have seen
READY=1 and, on SIGTERM, STOPPING=1.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from xpos.drivers.magstripe import encode_swipe
from xpos.model import mask_pan
from xpos.proto.ecr import ACK, EcrRequest, EcrResponse, decode_response, encode_frame
from xpos.proto.ecr import encode_request as encode_ecr
from xpos.proto.ecr_link import Control, Frame, FrameSplitter, Token
from xpos.refhost.seed import DEMO, track2_for
from xpos.testing.printer_sim import PrinterSim

TIMEOUT_S = 30.0
CARD = DEMO.cards[0]


def _xpos(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "xpos.cli", *args], text=True,
                            **kwargs)  # type: ignore[call-overload]


def _wait_for(what: str, ready: Callable[[], bool], proc: subprocess.Popen[str],
              log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not ready():
        if proc.poll() is not None:
            pytest.fail(f"xpos run exited ({proc.returncode}) waiting for {what}:\n"
                        f"{log.read_text(encoding='utf-8')}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {TIMEOUT_S} s:\n{log.read_text(encoding='utf-8')}")
        time.sleep(0.02)


@pytest.fixture
def host(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    data = tmp_path / "host"
    proc = _xpos("host", "--data-dir", str(data), "--port", "0",
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    match = re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline())
    assert match, proc.stderr.read() if proc.stderr else ""
    yield data / "pki", int(match.group(1))
    proc.terminate()
    proc.wait(timeout=TIMEOUT_S)


@contextlib.contextmanager
def _pty() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        yield master, os.ttyname(slave)
    finally:
        with contextlib.suppress(OSError):
            os.close(master)
        os.close(slave)


class PtyTill:
    """The till on the master side of the ECR pty (blocking, with a generous timeout)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.splitter = FrameSplitter()
        self.tokens: list[Token] = []

    def send(self, request: EcrRequest) -> None:
        os.write(self.fd, encode_frame(encode_ecr(request)))
        assert self._next() == Control(ACK)

    def response(self) -> EcrResponse:
        token = self._next()
        assert isinstance(token, Frame), token
        os.write(self.fd, bytes([ACK]))
        return decode_response(token.data)

    def _next(self) -> Token:
        deadline = time.monotonic() + TIMEOUT_S
        while not self.tokens:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                pytest.fail("the terminal did not answer the till in time")
            self.tokens.extend(self.splitter.feed(os.read(self.fd, 1024)))
        return self.tokens.pop(0)


def _terminal_dir(tmp_path: Path, pki: Path, port: int, reader: str, ecr: str,
                  printer: str) -> Path:
    data = tmp_path / "terminal"
    data.mkdir(mode=0o700)
    os.mkfifo(data / "keys")
    os.mkfifo(data / "pin")
    (data / "xpos.toml").write_text(f"""\
host = "127.0.0.1:{port}"
pki_dir = "{pki}"
response_timeout_s = 10
ecr = "serial://{ecr}?baud=9600"

[devices]
keypad = "fifo://{data}/keys"
pinpad = "fifo://{data}/pin"
display = "file://{data}/screen.txt"
printer = "{printer}"
magstripe = "serial://{reader}?baud=9600"
rfid = "none:"
scanner = "none:"
""", encoding="utf-8")
    components = [arg for c in DEMO.tmk_components for arg in ("--component", c)]
    loaded = subprocess.run([sys.executable, "-m", "xpos.cli", "keys", "load", "--data-dir",
                             str(data), *components, "--kcv", DEMO.tmk_kcv],
                            capture_output=True, text=True, timeout=TIMEOUT_S)
    assert loaded.returncode == 0, loaded.stderr
    return data


def test_xpos_run_does_a_sale_driven_by_the_till_end_to_end(
        tmp_path: Path, host: tuple[Path, int]) -> None:
    pki, port = host
    notify_path = str(tmp_path / "notify")
    with _pty() as (reader_fd, reader_tty), _pty() as (till_fd, till_tty), \
            socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify, PrinterSim() as sim:
        notify.bind(notify_path)
        notify.settimeout(TIMEOUT_S)
        data = _terminal_dir(tmp_path, pki, port, reader_tty, till_tty, sim.url)
        log = data / "run.log"
        env = {**os.environ, "NOTIFY_SOCKET": notify_path}
        with log.open("w", encoding="utf-8") as err:
            proc = _xpos("run", "--data-dir", str(data), stderr=err,
                         stdout=subprocess.DEVNULL, env=env)
        try:
            assert notify.recv(256).startswith(b"READY=1")
            screen = data / "screen.txt"

            def shows(text: str) -> None:
                _wait_for(f"screen {text!r}", lambda: screen.exists() and
                          text in screen.read_text(encoding="utf-8"), proc, log)

            _wait_for("the ECR port", lambda: "ECR port serial" in log.read_text("utf-8"),
                      proc, log)
            keys = os.open(data / "keys", os.O_WRONLY)
            pin = os.open(data / "pin", os.O_WRONLY)
            till = PtyTill(till_fd)
            try:
                shows("主菜单")
                os.write(keys, b"1\n")
                shows("签到成功")
                os.write(keys, b"ENTER\n")
                shows("主菜单")
                till.send(EcrRequest(command="SALE", reference="POS-0001", amount=1234))
                shows("收银机发起")
                os.write(reader_fd, encode_swipe(track2=track2_for(CARD.pan, CARD.expiry)))
                shows("请持卡人输入密码")
                os.write(pin, f"{CARD.pin}\n".encode())
                answer = till.response()
                shows("交易成功")
            finally:
                os.close(keys)
                os.close(pin)
            assert (answer.result, answer.reference, answer.amount) == ("00", "POS-0001", 1234)
            assert answer.masked_pan == mask_pan(CARD.pan) and answer.trace > 0
            assert re.fullmatch(r"[0-9A-Z]{6}", answer.auth_code), answer.auth_code
            _wait_for("the cardholder copy", lambda: "CARDHOLDER COPY" in sim.text(), proc,
                      log)
            text = sim.text()
            assert text.count("￥12.34") == 2 and f"{answer.trace:06d}" in text
            assert answer.auth_code in text and CARD.pan not in text
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=TIMEOUT_S) == 0
            assert notify.recv(256) == b"STOPPING=1"
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    logged = log.read_text(encoding="utf-8")
    assert "ECR: SALE POS-0001: approved" in logged and CARD.pan not in logged
