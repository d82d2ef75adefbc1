"""The ``xpos`` command line.

``xpos run``             run the terminal from its config (devices, host, PKI) until stopped
``xpos demo``            the spine end to end (reference host + headless terminal)
``xpos host``            run the reference host (TLS 1.3, mutual auth) in the foreground
``xpos emulator``        the Textual emulator: a terminal on emulated devices + a host
``xpos keys load``       put a TMK into the terminal's key store from components + KCV
``xpos journal``         list the journal (masked)
``xpos journal recover`` keep a lost/damaged journal aside, start a new one
``xpos devices check URL`` read once from a real device, show the masked result
``xpos qa run PATH…``    run QA scenario files headless (docs/qa.md)

Ordinary errors (bad input, an unusable data directory, a port in use …) end in one
line ``xpos: 错误 error: <headline>: <what is wrong and what to do>`` and exit 1; usage
errors are argparse's (usage + one error line, exit 2). Never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import socket
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from xpos.cli.hostopts import add_host_options
from xpos.cli.journal import journal_list, journal_recover
from xpos.cli.keys import KeyEntryError, keys_load
from xpos.errors import (
    ConfigError,
    DeviceError,
    HostError,
    JournalError,
    JournalLostError,
    KeyCheckError,
    KeysLostError,
    MenuError,
    NoTerminalError,
    SecurityError,
    XposError,
)
from xpos.terminal.config import (
    DataDirError,
    default_data_dir,
    parse_address,
    prepare_data_dir,
)


class ListenError(XposError):
    """``xpos host`` could not listen on the address and port it was given."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``xpos`` console script; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    journald = getattr(args, "journald", False)
    if journald:
        from xpos.terminal.daemon import log_to_journald

        log_to_journald(sys.stderr, logging.DEBUG if args.verbose else logging.INFO)
    else:
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    prefix = "<3>" if journald else ""  # syslog "error" for journald
    try:
        code: int = args.func(args)
    except XposError as exc:
        _fail(prefix, _headline(exc), str(exc))
        return 1
    except OSError as exc:  # a file-system problem no check above foresaw
        _fail(prefix, "文件系统错误 file system error", _os_error(exc))
        return 1
    except sqlite3.Error as exc:
        _fail(prefix, "数据库错误 database error",
              f"{exc} (is the data directory or its database damaged or read-only?)")
        return 1
    except KeyboardInterrupt:
        return 130
    return code


def _fail(prefix: str, headline: str, message: str) -> None:
    text = " ".join(message.split())  # one line, whatever the message holds
    print(f"{prefix}xpos: 错误 error: {headline}: {text}", file=sys.stderr)


def _os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return (f"{where}a file is in the way where a directory is needed: remove or "
                "rename it, or choose another --data-dir")
    return (f"{where}{exc.strerror or exc} (check the path and its permissions, "
            "or choose another --data-dir)")


_HEADLINES: tuple[tuple[type[XposError], str], ...] = (
    (JournalLostError, "交易记录丢失 journal lost"),
    (KeysLostError, "密钥丢失 keys lost"),
    (KeyCheckError, "密钥校验值不符 key check value mismatch"),
    (KeyEntryError, "密钥输入错误 key entry error"),
    (MenuError, "菜单文件错误 menu file error"),
    (DataDirError, "数据目录不可用 data directory unusable"),
    (ConfigError, "配置错误 configuration error"),
    (ListenError, "无法监听 cannot listen"),
    (HostError, "主机连接失败 host link failed"),
    (SecurityError, "安全校验失败 security check failed"),
    (DeviceError, "设备故障 device failure"),
    (JournalError, "流水错误 journal error"),
    (NoTerminalError, "没有终端 no terminal"),
)


def _headline(exc: XposError) -> str:
    """A Chinese-first headline for an error shown to a person."""
    for kind, text in _HEADLINES:
        if isinstance(exc, kind):
            return text
    return "操作失败 failed"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xpos", description="X-POS terminal software")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(title="commands")
    _add_run(sub)
    _add_demo(sub)
    _add_host(sub)
    _add_emulator(sub)
    _add_keys(sub)
    _add_journal(sub)
    _add_devices(sub)

    from xpos.qa.cli import add_qa_parser

    add_qa_parser(sub)
    return parser


def _command(sub: Any, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    """A subcommand with a one-line ``summary`` (in ``xpos --help``) and a description."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary,
                                                     description=description)
    return parser


def _add_run(sub: Any) -> None:
    run = _command(sub, "run", "run the terminal (devices and host from xpos.toml)",
                   "Run the terminal on the devices and host of xpos.toml until SIGTERM or "
                   "SIGINT; logs to stderr in the form journald reads. Needs a loaded TMK "
                   "(xpos keys load) and, with TLS, the terminal's PKI files.")
    _data_dir(run)
    run.add_argument("--config", type=Path, metavar="FILE",
                     help="config file (default: DIR/xpos.toml, if present)")
    run.set_defaults(func=_run, journald=True)


def _add_demo(sub: Any) -> None:
    demo = _command(sub, "demo", "run the end-to-end demo",
                    "The whole stack headless: starts the reference host and a terminal on "
                    "fake devices, loads the TMK, signs on, sells 12.34 with a test card "
                    "and PIN, redeems a voucher, and prints every screen, the receipts and "
                    "the masked host transcript. Exit 0 (DEMO OK) when every stage worked.")
    demo.add_argument("--data-dir", type=Path, metavar="DIR",
                      help="keep the terminal's files here (default: a fresh temporary "
                           "directory, removed afterwards)")
    demo.set_defaults(func=_demo)


def _add_host(sub: Any) -> None:
    host = _command(sub, "host", "run the reference host",
                    "Run the reference host (acquirer + platform + demo provider) in the "
                    "foreground on fresh or kept demo data; TLS 1.3 with client "
                    "certificates from the demo PKI it makes in DIR/pki.")
    _data_dir(host, "host data directory: database in DIR/host/, PKI in DIR/pki/")
    host.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                      help="address of this machine to listen on (default 127.0.0.1)")
    host.add_argument("--port", type=_port, default=8583,
                      help="port 1-65535, or 0 for any free one (default 8583)")
    host.add_argument("--mac", choices=["cup-ecb", "x9.19"], default="cup-ecb",
                      help="MAC algorithm of the terminals (default cup-ecb)")
    host.add_argument("--mak-kcv", choices=["full", "first8"], default="full",
                      help="MAK check-value scope (default full)")
    host.add_argument("--plain", action="store_true",
                      help="plain TCP instead of TLS 1.3 (legacy private lines only)")
    add_host_options(host)
    host.set_defaults(func=_host)


def _add_emulator(sub: Any) -> None:
    emulator = _command(sub, "emulator", "run the terminal emulator (Textual)",
                        "The terminal on emulated devices in a text UI (display, keypad, "
                        "PIN pad, printer roll, wallet of test cards and codes, host "
                        "messages), joined to an embedded reference host unless --host. "
                        "Ctrl+Q quits.")
    _data_dir(emulator)
    emulator.add_argument("--host", type=_host_address, metavar="HOST:PORT",
                          help="use this host instead of the embedded reference host")
    emulator.add_argument("--lang", choices=["zh", "en"],
                          help="language (default: lang of xpos.toml, else zh)")
    emulator.set_defaults(func=_emulator)


def _add_keys(sub: Any) -> None:
    keys = _command(sub, "keys", "key management",
                    "Key management of the terminal's key store (the emulated PED).")
    commands = keys.add_subparsers(title="commands", metavar="COMMAND")
    keys.set_defaults(func=_needs_command(keys, "load"))
    load = commands.add_parser(
        "load", help="load the TMK from components and a check value",
        description="Combine 2 or 3 TMK components (32 or 48 hex digits each), check them "
                    "against the KCV and store the TMK. Without --component the components "
                    "are asked for at a prompt that does not echo; scripts pipe them, one "
                    "per line, with --components-from-stdin.")
    _data_dir(load)
    given = load.add_mutually_exclusive_group()
    given.add_argument("--component", action="append", metavar="HEX",
                       help="a TMK component (give 2 or 3); RISKY: visible in the process "
                            "list and kept in shell history; prefer the prompt")
    given.add_argument("--components-from-stdin", action="store_true",
                       help="read the components from stdin, one per line (for scripts)")
    load.add_argument("--kcv", required=True, metavar="HEX",
                      help="check value of the TMK (6 or 8 hex digits)")
    load.set_defaults(func=keys_load)


def _add_journal(sub: Any) -> None:
    journal = _command(sub, "journal", "list the journal (masked)",
                       "List the terminal's journal, oldest first, in local time: kind, "
                       "batch, trace number, amount, masked card or voucher code, item, "
                       "status and response code. Never a full card number or code.")
    _data_dir(journal)
    journal.set_defaults(func=journal_list)
    _journal_recover_parser(journal)


def _needs_command(parser: argparse.ArgumentParser,
                   choices: str) -> Callable[[argparse.Namespace], int]:
    """What a command group does when no subcommand is given: usage + error, exit 2."""
    def fail(_: argparse.Namespace) -> int:
        parser.error(f"choose a command: {choices}")  # exits 2

    return fail


def _data_dir(parser: argparse.ArgumentParser,
              what: str = "terminal data directory") -> None:
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(), metavar="DIR",
                        help=f"{what} (default $XPOS_DATA or ~/.local/share/xpos)")


def _port(text: str) -> int:
    """Check ``--port`` (argparse turns the error into a usage error, exit 2)."""
    if not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"must be a port number 1-65535 (or 0: any free port), got {text!r}")
    return int(text)


def _host_address(text: str) -> str:
    """Check ``--host HOST:PORT`` (argparse turns the error into a usage error, exit 2)."""
    try:
        parse_address(text, key="--host", source="command line")
    except ConfigError:
        raise argparse.ArgumentTypeError(
            f"must be host:port with a port 1-65535, got {text!r}") from None
    return text


def _run(args: argparse.Namespace) -> int:
    from xpos.terminal.config import load_config
    from xpos.terminal.daemon import serve

    prepare_data_dir(args.data_dir)
    config = load_config(args.data_dir, file=args.config)
    try:
        asyncio.run(serve(config))
    except (XposError, OSError, sqlite3.Error):
        raise  # main reports it in one line
    except Exception as exc:  # a fatal surprise: one journald record, traceback escaped
        logging.getLogger("xpos.run").critical("fatal: %s: %s", type(exc).__name__, exc,
                                               exc_info=exc)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    from xpos.testing.demo import run_demo

    return run_demo(args.data_dir)


def _host(args: argparse.Namespace) -> int:
    from xpos.refhost.server import serve_forever
    from xpos.security.mac import MacAlgorithm

    prepare_data_dir(args.data_dir)
    try:
        asyncio.run(serve_forever(args.data_dir, args.bind, args.port, plain=args.plain,
                                  mac_algorithm=MacAlgorithm(args.mac), mak_kcv=args.mak_kcv,
                                  x_void_window_s=args.x_void_window))
    except OSError as exc:
        listen = _listen_error(exc, args.bind, args.port)
        if listen is None:
            raise
        raise listen from None
    return 0


def _listen_error(exc: OSError, bind: str, port: int) -> ListenError | None:
    """The one-line error for a failed bind, or ``None`` if ``exc`` is something else."""
    if isinstance(exc, socket.gaierror):
        return ListenError(f"--bind {bind}: no such address or name ({exc.strerror}): give "
                           "an address of this machine, e.g. 127.0.0.1 or 0.0.0.0")
    if exc.filename is not None:
        return None
    if exc.errno == errno.EADDRINUSE:
        return ListenError(f"{bind}:{port} is already in use (another xpos host?): stop "
                           "it, or choose another --port")
    if exc.errno == errno.EADDRNOTAVAIL:
        return ListenError(f"--bind {bind} is not an address of this machine: give one of "
                           "its addresses, e.g. 127.0.0.1 or 0.0.0.0")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ListenError(f"port {port} on {bind} needs privileges this user lacks: "
                           "choose a --port above 1023")
    return None


def _emulator(args: argparse.Namespace) -> int:
    from xpos.emulator.app.launch import EmulatorOptions, run_emulator

    return run_emulator(EmulatorOptions(data_dir=args.data_dir, host=args.host,
                                        lang=args.lang))


def _journal_recover_parser(journal: argparse.ArgumentParser) -> None:
    sub = journal.add_subparsers(title="journal")
    recover = sub.add_parser("recover", help="keep a lost or damaged journal aside and start "
                                             "a new one (docs/operations.md)")
    _data_dir(recover)
    recover.set_defaults(func=journal_recover)


# --- xpos devices ------------------------------------------------------------------


def _add_devices(sub: Any) -> None:
    devices = _command(sub, "devices", "check real devices",
                       "Check real input devices (docs/drivers.md).")
    commands = devices.add_subparsers(title="commands", metavar="COMMAND")
    devices.set_defaults(func=_needs_command(devices, "check, list"))
    check = commands.add_parser(
        "check", help="read once from a device URL and show the masked result",
        description="Open the device of URL exactly as xpos.toml would (kind= parameter: "
                    "magstripe (default), rfid, scanner or keypad), ask for a swipe, tap, "
                    "scan or key, and print the result masked. Exit 0 after one good "
                    "read; one error line and exit 1 otherwise.")
    check.add_argument("url", metavar="URL",
                       help='device URL, e.g. "serial:///dev/ttyUSB0?kind=rfid"')
    check.add_argument("--timeout", type=_seconds, default=60.0, metavar="SECONDS",
                       help="give up after this long (default 60)")
    check.set_defaults(func=_devices_check)
    listing = commands.add_parser(
        "list", help="every configured device (and the ECR port) and whether it opens now",
        description="Open each device of xpos.toml (and the ECR port) and close it at once; "
                    "print kind, state (ok, missing, not_ready, bad_config, fake, none) and "
                    "URL; while xpos run runs, its own view (ready, missing, retrying, "
                    "not_ready). Exit 1 if a configured device is missing, not ready or "
                    "bad_config.")
    _data_dir(listing)
    listing.add_argument("--config", type=Path, metavar="FILE",
                         help="config file (default: DIR/xpos.toml, if present)")
    listing.set_defaults(func=_devices_list)


def _seconds(text: str) -> float:
    """Check ``--timeout`` (argparse turns the error into a usage error, exit 2)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds above 0, at most 3600, got {text!r}")
    return value


def _devices_list(args: argparse.Namespace) -> int:
    from xpos.terminal.config import load_config
    from xpos.terminal.devstate import FAILING, device_states, render_states, running_states

    prepare_data_dir(args.data_dir, create=False)  # a listing never makes one
    config = load_config(args.data_dir, file=args.config)
    running = running_states(config.data_dir)
    if running is not None:
        print(f"# xpos run (pid {running[0]}) holds the devices: its view of them")
    states = asyncio.run(device_states(config, running[1] if running else None))
    for line in render_states(states):
        print(line)
    return 1 if any(s.state in FAILING for s in states) else 0


def _devices_check(args: argparse.Namespace) -> int:
    from xpos.drivers.check import check_device
    from xpos.errors import CardReadError

    def say(text: str) -> None:
        print(text, flush=True)

    try:
        result = asyncio.run(check_device(args.url, say, timeout=args.timeout))
    except CardReadError as exc:
        _fail("", "读卡失败 card read failed", str(exc))
        return 1
    print(f"OK {result}")
    return 0
