"""ESC/POS printers through python-escpos: network, serial, USB and file backends.

Theory of operation
-------------------
:class:`EscposPrinter` keeps the :class:`~xpos.drivers.base.Printer` contract on top of a
python-escpos connection (anything with ``_raw(bytes)``, ``_read() -> bytes`` and
``close()``: ``escpos.printer.Network``, ``Serial``, ``Usb``, ``File``). With
``status`` on (the default where the printer can answer), one job is:

1. **Ask before**: ``DLE EOT 1`` and ``DLE EOT 4`` (and ``2``, ``3`` when offline), decoded
   by :mod:`xpos.drivers.printer_status`. Not ready (paper out, cover open, error,
   offline) -> :class:`PrinterNotReadyError` (a :class:`~xpos.errors.PaperOutError`) and
   **nothing is sent**.
2. **Send** the job's bytes.
3. **Ask after**: the printer answers real-time queries in order with the data, so an
   answer saying paper out means the job was cut short: the printer's buffers are
   cleared (``DLE DC4 8``, so the tail it holds is not printed after the reload; a
   ``DLE EOT 4`` after it confirms) and :class:`PaperOutError` is raised. The
   terminal's flow then asks for paper and sends the *whole* job again after the
   reload (it was journaled before it was sent).

A connection that cannot be made, breaks, or gives no status answer within ``timeout``
is also a :class:`PrinterNotReadyError`: the terminal keeps running and the operator
retries. The connection is dropped and made again on the next job. Printers that
cannot answer (``escpos+file:``, a write-only cable) run with ``status=0``: jobs are
sent blind and ``paper_ok`` is always True.

``print_bytes`` blocks for at most about ``timeout`` seconds per step; slips are a
few kilobytes, so on a LAN or at 9600 baud and up a job takes well under a second.
A printer that is off or slow can hold a job for several timeouts, so the class says
``blocking = True``: the terminal calls ``print_bytes`` on its printer thread
(:mod:`xpos.terminal.printwork`), never on the event loop.
Caveat: a printer that answers ``DLE EOT`` before it has *printed* the data it
buffered (some do) reports a paper-out in the middle of a slip only on the next job.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from typing import Any, Protocol

from xpos.drivers.escpos_import import escpos_printer_classes
from xpos.drivers.printer_status import (
    CLEAR_BUFFERS,
    PrinterStatus,
    StatusByteError,
    decode_status,
    is_status_byte,
    status_query,
)
from xpos.drivers.url import DeviceUrl
from xpos.errors import ConfigError, DeviceError, PaperOutError, PrinterOfflineError

log = logging.getLogger(__name__)

DEFAULT_PROFILE = "POS-5890"
DEFAULT_TIMEOUT_S = 3
CHINESE_MODES = ("fs", "image")


class PrinterNotReadyError(PaperOutError):
    """The printer cannot print now (paper, cover, error, offline, unreachable).

    A :class:`~xpos.errors.PaperOutError`, so the terminal asks the operator to fix the
    printer and retries the whole job.
    """


class PrinterUnreachableError(PrinterNotReadyError, PrinterOfflineError):
    """No connection or no status answer: the printer is off or unplugged."""


class EscposConnection(Protocol):
    """The part of a python-escpos printer object this backend uses."""

    def _raw(self, msg: bytes) -> None: ...

    def _read(self) -> bytes: ...

    def close(self) -> None: ...


class EscposPrinter:
    """A receipt printer on a python-escpos connection.

    Args:
        connection: The python-escpos printer object (or a stand-in).
        name: Names the printer in messages (``"printer 10.0.0.5:9100"``).
        status: Ask ``DLE EOT`` before and after every job.
        profile: The python-escpos profile the receipts are rendered for (the
            terminal reads :attr:`profile` when it renders a slip).
        chinese: ``"fs"`` (``FS &`` + GB18030) or ``"image"`` (Chinese lines drawn as
            pictures with a CJK font; the terminal reads :attr:`chinese`).

    Attributes:
        profile: As given.
        chinese: As given.
        last_status: The last status the printer reported (None before any).
        blocking: True: ``print_bytes`` waits on the printer (network, serial, USB,
            file), so the terminal calls it off the event loop.
    """

    blocking = True

    def __init__(self, connection: EscposConnection, *, name: str, status: bool = True,
                 profile: str = DEFAULT_PROFILE, chinese: str = "fs") -> None:
        self._connection = connection
        self.name = name
        self.status = status
        self.profile = profile
        self.chinese = chinese
        self.last_status: PrinterStatus | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"EscposPrinter({self.name!r}, status={self.status})"

    @property
    def paper_ok(self) -> bool:
        """True when the printer says it is ready (always True with ``status`` off)."""
        if not self.status:
            return not self._closed
        try:
            return self.query_status().ready
        except DeviceError:
            return False

    def query_status(self) -> PrinterStatus:
        """Ask the printer (``DLE EOT 1``, ``4``, and ``2``, ``3`` when it is offline).

        Raises:
            PrinterNotReadyError: no connection or no valid answer within the timeout.
        """
        answers = {n: self._ask(n) for n in (1, 4)}
        if answers[1] & 0x08:
            answers.update({n: self._ask(n) for n in (2, 3)})
        try:
            self.last_status = decode_status(answers)
        except StatusByteError as exc:  # _ask only keeps status bytes; kept for safety
            raise self._failed(str(exc)) from exc
        return self.last_status

    def print_bytes(self, data: bytes) -> None:
        """Print one job (see the module's theory of operation).

        Raises:
            PrinterNotReadyError: not ready before the job; nothing was sent.
            PaperOutError: the paper ran out during the job; send it again whole.
            DeviceError: the printer was closed.
        """
        if self._closed:
            raise DeviceError(f"{self.name} is closed")
        if self.status:
            try:
                before = self.query_status()
            except PrinterNotReadyError:  # nothing sent yet: reconnect once (printers
                before = self.query_status()  # close idle port-9100 connections)
            if not before.ready:
                raise PrinterNotReadyError(f"{self.name}: {before.describe()}")
        self._io(lambda: self._connection._raw(bytes(data)))
        if self.status:
            after = self.query_status()
            if not after.ready:
                self._io(lambda: self._connection._raw(CLEAR_BUFFERS))
                self._ask(4)  # answered after the clear: the printer has done it
                raise PaperOutError(f"{self.name}: {after.describe()} during the job; "
                                    "it is printed whole again after the reload")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if not self._closed:
            self._closed = True
            self._drop()

    def _ask(self, n: int) -> int:
        self._io(lambda: self._connection._raw(status_query(n)))
        data = self._io(self._connection._read)
        answers = [b for b in bytes(data or b"") if is_status_byte(b)]
        if not answers:
            raise self._failed(f"no status answer to DLE EOT {n}")
        return answers[-1]

    def _io(self, action: Any) -> Any:
        try:
            return action()
        except Exception as exc:  # python-escpos raises its own classes too
            raise self._failed(str(exc) or type(exc).__name__) from exc

    def _failed(self, why: str) -> PrinterNotReadyError:
        why = " ".join(why.split())  # python-escpos messages span lines
        self._drop()
        log.info("%s: %s", self.name, why)  # the caller reports it (one line)
        return PrinterUnreachableError(f"{self.name} 打印机未就绪 not ready: {why}")

    def _drop(self) -> None:
        try:
            self._connection.close()
        except Exception as exc:  # closing a broken link may fail too
            log.debug("%s: close: %s", self.name, exc)
        if getattr(self._connection, "_device", False) is None:
            # python-escpos leaves None after a failed open, which never opens again;
            # False makes its ``device`` property open on the next use.
            self._connection._device = False  # type: ignore[attr-defined]


def _common(url: DeviceUrl, extra: tuple[str, ...], *, status: bool) -> dict[str, Any]:
    url.check_params(("profile", "status", "timeout", "chinese", *extra))
    flag = url.params.get("status", "1" if status else "0")
    if flag not in ("0", "1"):
        raise ConfigError(f"{url.scheme}: status must be 0 or 1, got {flag!r}")
    chinese = url.params.get("chinese", "fs")
    if chinese not in CHINESE_MODES:
        raise ConfigError(f"{url.scheme}: chinese must be fs or image, got {chinese!r}")
    return {"status": flag == "1", "profile": url.params.get("profile", DEFAULT_PROFILE),
            "chinese": chinese}


def _check_profile(profile: str) -> None:
    escpos_printer_classes()  # imports python-escpos the careful way first
    from escpos.capabilities import CAPABILITIES

    if profile not in CAPABILITIES["profiles"]:
        raise ConfigError(f"unknown printer profile {profile!r} (python-escpos profiles, "
                          "e.g. POS-5890, TM-T88V)")


def open_tcp_printer(url: DeviceUrl) -> EscposPrinter:
    """Registry factory: ``escpos+tcp://host:9100?profile=POS-5890&status=1&timeout=3``.

    Connects on the first job, so a printer that is off does not stop the terminal.

    Raises:
        ConfigError: no host, a bad port or parameter.
    """
    options = _common(url, (), status=True)
    host, _, port_text = url.netloc.rpartition(":") if ":" in url.netloc else (
        url.netloc, "", "9100")
    if not host or url.path not in ("", "/"):
        raise ConfigError(f"{url.raw!r}: use escpos+tcp://HOST:PORT")
    if not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise ConfigError(f"{url.raw!r}: bad TCP port {port_text!r}")
    timeout = url.int_param("timeout", DEFAULT_TIMEOUT_S, high=120)
    classes = escpos_printer_classes()
    _check_profile(options["profile"])
    connection = classes["Network"](host=host, port=int(port_text), timeout=timeout,
                                    profile=options["profile"])
    return EscposPrinter(connection, name=f"printer {host}:{port_text}", **options)


def open_serial_printer(url: DeviceUrl) -> EscposPrinter:
    """Registry factory: ``escpos+serial:///dev/ttyUSB0?baud=9600&status=1&timeout=3``.

    8N1, no hardware flow control (``flow=dsrdtr`` turns DSR/DTR on).

    Raises:
        ConfigError: no device path, a bad parameter.
        DeviceError: the port cannot be opened.
    """
    options = _common(url, ("baud", "flow"), status=True)
    if not url.path or url.netloc:
        raise ConfigError(f"{url.raw!r}: use escpos+serial:///dev/ttyUSB0")
    baud = url.int_param("baud", 9600, low=50, high=4_000_000)
    flow = url.params.get("flow", "none")
    if flow not in ("none", "dsrdtr"):
        raise ConfigError(f"{url.scheme}: flow must be none or dsrdtr, got {flow!r}")
    timeout = url.int_param("timeout", DEFAULT_TIMEOUT_S, high=120)
    _check_profile(options["profile"])
    connection = _quick_serial(escpos_printer_classes()["Serial"])(
        devfile=url.path, baudrate=baud, timeout=timeout, dsrdtr=flow == "dsrdtr",
        profile=options["profile"])
    printer = EscposPrinter(connection, name=f"printer {url.path}", **options)
    try:
        connection.open()
    except Exception as exc:  # python-escpos DeviceNotFoundError
        raise DeviceError(f"cannot open serial printer {url.path}: {exc}") from exc
    return printer


@functools.cache
def _quick_serial(base: Any) -> Any:
    """python-escpos's ``Serial`` whose ``_read`` returns as soon as a byte is there.

    Its own ``_read`` asks pyserial for 16 bytes, which waits the whole timeout for a
    one-byte status answer.
    """

    class QuickSerial(base):  # type: ignore[misc]
        def _read(self) -> bytes:
            return bytes(self.device.read(max(1, self.device.in_waiting)))

    return QuickSerial


def open_usb_printer(url: DeviceUrl) -> EscposPrinter:
    """Registry factory: ``escpos+usb://04b8:0202?in_ep=0x82&out_ep=0x01`` (VID:PID in hex).

    Needs pyusb (``pip install 'python-escpos[usb]'``); the device is found on the
    first job.

    Raises:
        ConfigError: bad ids or parameters, pyusb missing.
    """
    options = _common(url, ("in_ep", "out_ep"), status=True)
    vendor, _, product = url.netloc.partition(":")
    try:
        ids = (int(vendor, 16), int(product, 16))
        endpoints = {k: int(url.params[k], 16) for k in ("in_ep", "out_ep") if k in url.params}
    except ValueError:
        raise ConfigError(f"{url.raw!r}: use escpos+usb://VID:PID (hex), "
                          "in_ep/out_ep in hex") from None
    if importlib.util.find_spec("usb") is None:  # pyusb, the python-escpos[usb] extra
        raise ConfigError("escpos+usb needs pyusb: pip install 'python-escpos[usb]'")
    _check_profile(options["profile"])
    connection = escpos_printer_classes()["Usb"](
        idVendor=ids[0], idProduct=ids[1], profile=options["profile"], **endpoints)
    return EscposPrinter(connection, name=f"printer usb {url.netloc}", **options)


def open_file_printer(url: DeviceUrl) -> EscposPrinter:
    """Registry factory: ``escpos+file:///dev/usb/lp0`` (a device file; no status).

    Raises:
        ConfigError: no path, a bad parameter.
        DeviceError: the file cannot be opened for writing.
    """
    options = _common(url, (), status=False)
    if options["status"]:
        raise ConfigError(f"{url.raw!r}: a file printer cannot answer status (status=0)")
    if not url.path or url.netloc:
        raise ConfigError(f"{url.raw!r}: use escpos+file:///dev/usb/lp0")
    _check_profile(options["profile"])
    connection = escpos_printer_classes()["File"](devfile=url.path, profile=options["profile"])
    try:
        connection.open()
    except Exception as exc:  # python-escpos DeviceNotFoundError
        raise DeviceError(f"cannot open printer file {url.path}: {exc}") from exc
    return EscposPrinter(connection, name=f"printer {url.path}", **options)
