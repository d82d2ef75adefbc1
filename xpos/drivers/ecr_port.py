"""Byte transports for the cash-register (ECR) port: a serial line or a TCP listener.

The ``ecr`` key of ``xpos.toml`` chooses one by URL:

* ``serial:///dev/ttyS1?baud=9600`` — the till on a serial line (pyserial; 8N1).
* ``tcp://0.0.0.0:7000`` — the terminal listens; one till connection at a time (a new
  connection replaces the old one, whose bytes are then no longer read).

A port only moves bytes; the frames and the link rules are :mod:`xpos.proto.ecr_link`
(the shell joins the two in :mod:`xpos.terminal.ecr`). ``read`` waits for at least one
byte; a port that fails for good (a serial line unplugged) raises
:class:`~xpos.errors.DeviceError`, and the shell opens it again later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Protocol, cast

from xpos.drivers.serial_port import SerialPort, open_serial_port
from xpos.drivers.url import DeviceUrl, parse_device_url
from xpos.errors import ConfigError, DeviceError

log = logging.getLogger(__name__)

SCHEMES = ("serial", "tcp")
_TCP_READ = 4096


class EcrPort(Protocol):
    """A byte stream to the till."""

    @property
    def name(self) -> str:
        """What the port is, for log lines (``serial /dev/ttyS1``, ``tcp 0.0.0.0:7000``)."""
        ...

    async def read(self) -> bytes:
        """Wait for bytes from the till (at least one).

        Raises:
            DeviceError: the port failed for good.
        """
        ...

    async def write(self, data: bytes) -> None:
        """Send bytes to the till (dropped when no till is connected).

        Raises:
            DeviceError: the port failed for good.
        """
        ...

    def close(self) -> None:
        """Close the port."""
        ...


def check_ecr_url(text: str) -> DeviceUrl:
    """Parse and check an ``ecr`` URL without opening anything.

    Raises:
        ConfigError: not ``serial://PATH[?baud=N]`` or ``tcp://HOST:PORT``.
    """
    url = parse_device_url(text)
    if url.scheme == "serial":
        url.check_params(("baud",))
        url.int_param("baud", 9600, low=50, high=4_000_000)
        if not url.path:
            raise ConfigError(f"ECR URL {text!r} has no device path")
        return url
    if url.scheme == "tcp":
        url.check_params(())
        _host_port(url)
        return url
    raise ConfigError(f"ECR URL {text!r}: the scheme must be one of {', '.join(SCHEMES)}")


def _host_port(url: DeviceUrl) -> tuple[str, int]:
    host, sep, port = url.netloc.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError(f"ECR URL {url.raw!r} must be tcp://HOST:PORT")
    return host, int(port)


async def open_ecr_port(text: str) -> EcrPort:
    """Open the ECR port of a URL (see the module docstring).

    Raises:
        ConfigError: a bad URL.
        DeviceError: the serial line cannot be opened or the TCP port cannot be bound.
    """
    url = check_ecr_url(text)
    if url.scheme == "serial":
        line = cast(WritablePort, open_serial_port(url))  # a serial.Serial: it writes
        return SerialEcrPort(line, name=f"serial {url.path}")
    host, number = _host_port(url)
    listener = TcpEcrPort()
    await listener.start(host, number)
    return listener


class WritablePort(SerialPort, Protocol):
    """The part of ``serial.Serial`` the ECR port uses (reading and writing)."""

    def write(self, data: bytes) -> int | None:
        """Write bytes."""
        ...


class SerialEcrPort:
    """The till on a serial line; reads (bounded by the port timeout) run in a thread."""

    def __init__(self, port: WritablePort, *, name: str) -> None:
        """Wrap an open port whose ``read`` has a timeout."""
        self._port = port
        self._name = name
        self._lock = threading.Lock()
        self._closed = False

    @property
    def name(self) -> str:
        """``serial <path>``."""
        return self._name

    async def read(self) -> bytes:
        """Wait for bytes from the till."""
        while True:
            data = await asyncio.to_thread(self._read)
            if data:
                return data

    def _read(self) -> bytes:
        with self._lock:
            if self._closed:
                raise DeviceError(f"ECR port {self._name} is closed")
            try:
                return self._port.read(max(1, self._port.in_waiting))
            except OSError as exc:  # pyserial's SerialException is an OSError
                raise DeviceError(f"ECR port {self._name} failed: {exc}") from exc

    async def write(self, data: bytes) -> None:
        """Send bytes to the till."""
        await asyncio.to_thread(self._write, data)

    def _write(self, data: bytes) -> None:
        if self._closed:
            raise DeviceError(f"ECR port {self._name} is closed")
        try:
            self._port.write(data)
        except OSError as exc:
            raise DeviceError(f"ECR port {self._name} failed: {exc}") from exc

    def close(self) -> None:
        """Close the line."""
        self._closed = True
        with self._lock:
            self._port.close()


class TcpEcrPort:
    """The terminal listens for its till on TCP; the newest connection is the till."""

    def __init__(self) -> None:
        """A port not yet listening (:meth:`start`)."""
        self._server: asyncio.Server | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._incoming: asyncio.Queue[bytes] = asyncio.Queue()
        self._address = ("", 0)

    @property
    def name(self) -> str:
        """``tcp <host>:<port>`` (the port actually bound)."""
        return f"tcp {self._address[0]}:{self._address[1]}"

    @property
    def port(self) -> int:
        """The bound TCP port (useful with port 0)."""
        return self._address[1]

    async def start(self, host: str, port: int) -> None:
        """Listen on ``host:port``.

        Raises:
            DeviceError: the address cannot be bound.
        """
        try:
            self._server = await asyncio.start_server(self._accept, host, port)
        except OSError as exc:
            raise DeviceError(f"ECR port cannot listen on {host}:{port}: {exc}") from exc
        self._address = self._server.sockets[0].getsockname()[:2]

    async def _accept(self, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        if self._writer is not None:
            log.warning("ECR: a new till connection replaces the old one")
            self._writer.close()
        self._writer = writer
        try:
            while data := await reader.read(_TCP_READ):
                if self._writer is writer:
                    self._incoming.put_nowait(data)
        except ConnectionError:
            pass
        finally:
            if self._writer is writer:
                self._writer = None
            writer.close()

    async def read(self) -> bytes:
        """Wait for bytes from the connected till."""
        return await self._incoming.get()

    async def write(self, data: bytes) -> None:
        """Send bytes to the connected till (dropped when none is connected)."""
        writer = self._writer
        if writer is None:
            log.warning("ECR: no till connected; %d bytes dropped", len(data))
            return
        with contextlib.suppress(ConnectionError):
            writer.write(data)
            await writer.drain()

    def close(self) -> None:
        """Stop listening and drop the till connection."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._server is not None:
            self._server.close()
            self._server = None
