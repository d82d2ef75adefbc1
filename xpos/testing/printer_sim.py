"""A receipt printer simulator: ESC/POS over a local socket or a pty, with a paper roll.

Theory of operation
-------------------
:class:`PrinterModel` is the printer: bytes go in (:meth:`PrinterModel.feed`), the
answers to real-time status queries come out. It scans the stream for ``DLE EOT n``
(``10 04 n``, also split across reads) and answers each at once with the status byte
of :func:`xpos.drivers.printer_status.encode_status`, *in stream order*: an answer
reflects every byte sent before the query. Every other byte is "printed" (kept in
:attr:`PrinterModel.output`, decodable with :func:`xpos.receipts.decode.decode_escpos`)
while there is paper. ``paper_out(after_bytes=N)`` lets N more bytes print; the paper
ends under the byte after them: it and later bytes are *held* in the printer's buffer
and the status says paper out. As on a real printer, :meth:`reload` prints what is held
first -- unless the host sent ``DLE DC4 8`` (clear buffers) meanwhile, which drops it
(counted in :attr:`lost`).

:class:`PrinterSim` serves the model on ``127.0.0.1:<free port>`` (a thread per
connection, like a network printer's port 9100): ``sim.url`` is the
``escpos+tcp://`` URL for ``xpos.toml``. :class:`SerialPrinterSim` serves it on a pty
(``sim.url`` is ``escpos+serial:///dev/pts/N``). The test-side API (``paper_out``,
``reload``, ``output``, ``jobs_text`` …) may be called from any thread.

A slow or silent printer: :meth:`PrinterModel.hold_answers` makes the printer keep its
status answers to itself (the bytes before a query still print) until the test calls
:meth:`PrinterModel.release_answers`; :meth:`PrinterModel.wait_held` waits until a query
is being held, i.e. the host is stuck waiting for it. ``answer_delay_s`` answers every
query that many seconds late instead (for the benchmark, ``bench/printlag.py``).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import socketserver
import threading
import time
import tty
from types import TracebackType

from xpos.drivers.printer_status import (
    CLEAR_BUFFERS,
    DLE_EOT,
    QUERIES,
    PrinterStatus,
    encode_status,
)
from xpos.receipts.decode import decode_escpos

DLE = 0x10
EOT = 0x04


class PrinterModel:
    """The simulated printer: a paper roll and the ``DLE EOT`` answers (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._printed = threading.Condition(self._lock)
        self._output = bytearray()
        self._received = bytearray()
        self._pending = b""
        self._budget: int | None = None
        self._held = bytearray()
        self._paper = True
        self._cover_open = False
        self.lost = 0
        self.queries: list[int] = []
        self._release = threading.Event()
        self._release.set()
        self._holding = threading.Condition(threading.Lock())
        self._held_count = 0
        #: Test side: seconds each status answer waits before it is sent (0: at once).
        self.answer_delay_s = 0.0

    # -- printer side ------------------------------------------------------------------

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return the status answers they ask for."""
        with self._lock:
            self._received += data
            stream, self._pending = self._pending + data, b""
            answers = bytearray()
            start = at = 0
            while (at := stream.find(DLE, at)) >= 0:
                ahead = stream[at:]
                if ahead.startswith(DLE_EOT) and len(ahead) >= 3:
                    self._print(stream[start:at])
                    self._answer(ahead[2], answers)
                    start = at = at + 3
                elif ahead.startswith(CLEAR_BUFFERS):
                    self._print(stream[start:at])
                    self.lost += len(self._held)
                    self._held.clear()
                    start = at = at + len(CLEAR_BUFFERS)
                elif CLEAR_BUFFERS.startswith(ahead) or DLE_EOT.startswith(ahead):
                    self._pending = ahead  # a real-time command cut by the read
                    break
                else:
                    at += 1  # a DLE in the data
            self._print(stream[start:len(stream) - len(self._pending)])
            self._printed.notify_all()
            return bytes(answers)

    def _answer(self, n: int, answers: bytearray) -> None:
        if n in QUERIES:
            self.queries.append(n)
            answers.append(encode_status(self._status())[n])

    def _print(self, data: bytes) -> None:
        if not data:
            return
        if not self._paper or self._cover_open:
            self._held += data
            return
        if self._budget is not None:
            printed = data[: self._budget]
            self._output += printed
            self._budget -= len(printed)
            if len(printed) < len(data):  # the roll ended under the next byte
                self._held += data[len(printed):]
                self._paper, self._budget = False, None
            return
        self._output += data

    def _status(self) -> PrinterStatus:
        return PrinterStatus(paper_out=not self._paper, cover_open=self._cover_open)

    # -- test side -----------------------------------------------------------------------

    def paper_out(self, after_bytes: int = 0) -> None:
        """The paper ends now, or under the byte after ``after_bytes`` more printed bytes."""
        with self._lock:
            if after_bytes <= 0:
                self._paper, self._budget = False, None
            else:
                self._budget = after_bytes

    def reload(self) -> None:
        """A new roll: the printer prints again, first what it holds in its buffer."""
        with self._lock:
            self._paper, self._budget = True, None
            self._resume()

    def _resume(self) -> None:
        if self._paper and not self._cover_open and self._held:
            self._output += self._held
            self._held.clear()

    def open_cover(self, is_open: bool = True) -> None:
        """Open (or close) the cover: nothing prints while it is open."""
        with self._lock:
            self._cover_open = is_open
            self._resume()

    @property
    def paper_ok(self) -> bool:
        """The printer has paper now."""
        with self._lock:
            return self._paper

    @property
    def output(self) -> bytes:
        """Every byte that reached paper (status queries are not printed)."""
        with self._lock:
            return bytes(self._output)

    @property
    def held(self) -> bytes:
        """Bytes received but not printed (no paper, cover open): printed on recovery
        unless the host clears the buffers (``DLE DC4 8``, :data:`CLEAR_BUFFERS`)."""
        with self._lock:
            return bytes(self._held)

    @property
    def received(self) -> bytes:
        """Every byte the host sent, status queries included."""
        with self._lock:
            return bytes(self._received)

    def wait_output(self, size: int, timeout: float = 10.0) -> bytes:
        """Wait until ``size`` bytes are on paper (a job sent with ``status=0`` is not
        acknowledged); returns :attr:`output` then, or as it is after ``timeout``."""
        with self._printed:
            self._printed.wait_for(lambda: len(self._output) >= size, timeout)
            return bytes(self._output)

    def hold_answers(self) -> None:
        """Keep every status answer from now on until :meth:`release_answers`."""
        self._release.clear()

    def release_answers(self) -> None:
        """Send the held answers (and answer at once again)."""
        self._release.set()

    def wait_held(self, timeout: float = 10.0) -> bool:
        """Wait until a status answer is being held; True if one is (False on timeout)."""
        with self._holding:
            return self._holding.wait_for(lambda: self._held_count > 0, timeout)

    @property
    def held_answers(self) -> int:
        """How many status answers are being held now."""
        with self._holding:
            return self._held_count

    def answer_gate(self) -> None:
        """The printer side, before it sends status answers: delay or hold them."""
        if self.answer_delay_s > 0:
            time.sleep(self.answer_delay_s)
        if self._release.is_set():
            return
        with self._holding:
            self._held_count += 1
            self._holding.notify_all()
        try:
            self._release.wait()
        finally:
            with self._holding:
                self._held_count -= 1

    def text(self) -> str:
        """What is on paper, decoded (:func:`~xpos.receipts.decode.decode_escpos`)."""
        return decode_escpos(self.output)

    def clear(self) -> None:
        """Tear off what was printed; forget what was received."""
        with self._lock:
            self._output.clear()
            self._received.clear()
            self.queries.clear()
            self._held.clear()
            self.lost = 0


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        conn: socket.socket = self.request
        self.server.connections.add(conn)
        try:
            while data := conn.recv(4096):
                answer = self.server.model.feed(data)
                if answer:
                    self.server.model.answer_gate()
                    conn.sendall(answer)
        except OSError:
            pass
        finally:
            self.server.connections.discard(conn)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, model: PrinterModel, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.model = model
        self.connections: set[socket.socket] = set()


class PrinterSim(PrinterModel):
    """A network printer on ``127.0.0.1``; use as a context manager (or start/stop).

    Args:
        port: The port to listen on (default: a free one), e.g. a printer switched on
            at the address a terminal was configured with.
    """

    def __init__(self, port: int = 0) -> None:
        super().__init__()
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> PrinterSim:
        """Listen on a free port."""
        self._server = _Server(self, self._port)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="printer-sim", daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        """The port listened on."""
        assert self._server is not None, "PrinterSim not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The device URL of this printer."""
        return f"escpos+tcp://127.0.0.1:{self.port}?timeout=5"

    def drop_connections(self) -> None:
        """Test side: the printer resets (every open connection is closed)."""
        assert self._server is not None
        for conn in list(self._server.connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        """Stop listening and close the connections (held answers are let go)."""
        self.release_answers()
        if self._server is not None:
            self.drop_connections()
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> PrinterSim:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class SerialPrinterSim(PrinterModel):
    """A serial printer on a pty; use as a context manager."""

    def __init__(self) -> None:
        super().__init__()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="serial-printer-sim",
                                        daemon=True)

    @property
    def url(self) -> str:
        """The device URL of this printer."""
        return f"escpos+serial://{self.path}?baud=115200&timeout=5"

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            answer = self.feed(data)
            if answer:
                self.answer_gate()
                os.write(self._master, answer)

    def __enter__(self) -> SerialPrinterSim:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release_answers()
        self._stop.set()
        self._thread.join(timeout=10)
        os.close(self._master)
        os.close(self._slave)
