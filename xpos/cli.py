"""The ``xpos`` command line.

``xpos run``             run the terminal from its config (devices, host, PKI) until stopped
``xpos demo``            the spine end to end (reference host + headless terminal)
``xpos host``            run the reference host (TLS 1.3, mutual auth) in the foreground
``xpos emulator``        the Textual emulator: a terminal on emulated devices + a host
``xpos keys load``       put a TMK into the terminal's key store from components + KCV
``xpos journal``         list the journal (masked)
``xpos journal recover`` keep a lost/damaged journal aside, start a new one
``xpos qa run PATH…``    run QA scenario files headless (docs/qa.md)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from xpos.errors import (
    ConfigError,
    DeviceError,
    HostError,
    JournalLostError,
    KeyCheckError,
    KeysLostError,
    MenuError,
    SecurityError,
    XposError,
)
from xpos.terminal.config import JOURNAL_NAME, KEYSTORE_NAME, default_data_dir, parse_address


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
    try:
        code: int = args.func(args)
    except XposError as exc:
        prefix = "<3>" if journald else ""  # syslog "error" for journald
        print(f"{prefix}xpos: 错误 error: {_headline(exc)}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


_HEADLINES: tuple[tuple[type[XposError], str], ...] = (
    (JournalLostError, "交易记录丢失 journal lost"),
    (KeysLostError, "密钥丢失 keys lost"),
    (KeyCheckError, "密钥校验值不符 key check value mismatch"),
    (MenuError, "菜单文件错误 menu file error"),
    (ConfigError, "配置错误 configuration error"),
    (HostError, "主机连接失败 host link failed"),
    (SecurityError, "安全校验失败 security check failed"),
    (DeviceError, "设备故障 device failure"),
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

    run = sub.add_parser("run", help="run the terminal (devices and host from xpos.toml)")
    _data_dir(run)
    run.add_argument("--config", type=Path, metavar="FILE",
                     help="config file (default: DIR/xpos.toml, if present)")
    run.set_defaults(func=_run, journald=True)

    demo = sub.add_parser("demo", help="run the end-to-end demo")
    demo.add_argument("--data-dir", type=Path, help="keep the run's files here")
    demo.set_defaults(func=_demo)

    host = sub.add_parser("host", help="run the reference host")
    _data_dir(host, "host (database in DIR/host/, PKI in DIR/pki/)")
    host.add_argument("--bind", default="127.0.0.1", help="address (default 127.0.0.1)")
    host.add_argument("--port", type=int, default=8583, help="port (default 8583)")
    host.add_argument("--mac", choices=["cup-ecb", "x9.19"], default="cup-ecb",
                      help="MAC algorithm of the terminals (default cup-ecb)")
    host.add_argument("--mak-kcv", choices=["full", "first8"], default="full",
                      help="MAK check-value scope (default full)")
    host.add_argument("--plain", action="store_true",
                      help="plain TCP instead of TLS 1.3 (legacy private lines only)")
    host.set_defaults(func=_host)

    emulator = sub.add_parser("emulator", help="run the terminal emulator (Textual)")
    _data_dir(emulator)
    emulator.add_argument("--host", type=_host_address, metavar="HOST:PORT",
                          help="use this host instead of the embedded reference host")
    emulator.add_argument("--lang", choices=["zh", "en"],
                          help="language (default: lang of xpos.toml, else zh)")
    emulator.set_defaults(func=_emulator)

    keys = sub.add_parser("keys", help="key management").add_subparsers(title="keys")
    load = keys.add_parser("load", help="load the TMK from components and a check value")
    _data_dir(load)
    load.add_argument("--component", action="append", required=True, metavar="HEX",
                      help="a TMK component (give 2 or 3)")
    load.add_argument("--kcv", required=True, metavar="HEX", help="check value of the TMK")
    load.set_defaults(func=_keys_load)

    journal = sub.add_parser("journal", help="list the journal (masked)")
    _data_dir(journal)
    journal.set_defaults(func=_journal)
    _journal_recover_parser(journal)

    from xpos.qa.cli import add_qa_parser

    add_qa_parser(sub)
    return parser


def _data_dir(parser: argparse.ArgumentParser, what: str = "terminal") -> None:
    parser.add_argument("--data-dir", type=Path, default=default_data_dir(),
                        help=f"{what} data directory (default $XPOS_DATA or "
                             "~/.local/share/xpos)")


def _run(args: argparse.Namespace) -> int:
    from xpos.terminal.config import load_config
    from xpos.terminal.daemon import serve

    config = load_config(args.data_dir, file=args.config)
    try:
        asyncio.run(serve(config))
    except XposError:
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

    asyncio.run(serve_forever(args.data_dir, args.bind, args.port, plain=args.plain,
                              mac_algorithm=MacAlgorithm(args.mac), mak_kcv=args.mak_kcv))
    return 0


def _host_address(text: str) -> str:
    """Check ``--host HOST:PORT`` (argparse turns the error into a usage error, exit 2)."""
    try:
        parse_address(text, key="--host", source="command line")
    except ConfigError:
        raise argparse.ArgumentTypeError(
            f"must be host:port with a port 1-65535, got {text!r}") from None
    return text


def _emulator(args: argparse.Namespace) -> int:
    from xpos.emulator.app.launch import EmulatorOptions, run_emulator

    return run_emulator(EmulatorOptions(data_dir=args.data_dir, host=args.host,
                                        lang=args.lang))


def _keys_load(args: argparse.Namespace) -> int:
    from xpos.security.keystore import KeyStore

    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / KEYSTORE_NAME
    KeyStore(path).load_tmk(args.component, args.kcv)
    print(f"TMK loaded into {path} (KCV {args.kcv.upper()})")
    return 0


def _journal(args: argparse.Namespace) -> int:
    from xpos.journal import Journal
    from xpos.journal.marker import marker_path

    path = args.data_dir / JOURNAL_NAME
    if not path.exists() and not marker_path(path).exists():  # else Journal says "lost"
        print(f"xpos: error: no journal at {path}", file=sys.stderr)
        return 1
    journal = Journal(path)
    try:
        for r in journal.transactions():
            print(f"{r.created_at}  {r.kind:<8} {r.domain:<4} batch {r.batch:06d} "
                  f"STAN {r.stan:06d}  {r.amount:>10} fen  {r.masked_pan or '-':<19} "
                  f"{r.status.value:<9} rc={r.rc or '--'}")
    finally:
        journal.close()
    return 0


def _journal_recover_parser(journal: argparse.ArgumentParser) -> None:
    sub = journal.add_subparsers(title="journal")
    recover = sub.add_parser("recover", help="keep a lost or damaged journal aside and start "
                                             "a new one (docs/operations.md)")
    _data_dir(recover)
    recover.set_defaults(func=_journal_recover)


def _journal_recover(args: argparse.Namespace) -> int:
    """``xpos journal recover``: see :mod:`xpos.journal.recovery`; the terminal is left
    not signed on (working keys dropped) and takes a new batch at its next sign-on."""
    from xpos.journal.recovery import recover
    from xpos.security.keystore import KeyStore

    result = recover(args.data_dir / JOURNAL_NAME)
    keys = args.data_dir / KEYSTORE_NAME
    if keys.exists():
        KeyStore(keys).clear_working_keys()
    print(result.describe())
    print(f"incident report: {result.incident}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
