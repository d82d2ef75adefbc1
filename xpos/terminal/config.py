"""Working parameters of a terminal (M7): identity, host addresses, security, devices.

One frozen dataclass, :class:`TerminalConfig`, read from ``<data_dir>/xpos.toml`` when
that file exists; every field has a sensible default so the emulator and the demo need
no file at all. Unknown keys and wrong types are errors that name the key.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack, cast

from xpos.drivers.base import KINDS, OPTIONAL_KINDS
from xpos.drivers.ecr_port import check_ecr_url
from xpos.drivers.url import parse_device_url
from xpos.errors import ConfigError
from xpos.terminal.confighints import WANTED, did_you_mean

CONFIG_NAME = "xpos.toml"
JOURNAL_NAME = "journal.db"
KEYSTORE_NAME = "keys.json"
DATA_DIR_MODE = 0o700
_ANS = re.compile(r"[\x20-\x7e]+")
log = logging.getLogger(__name__)
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, kw_only=True)
class TerminalConfig:
    """Everything a terminal needs to run.

    Attributes:
        data_dir: Where the journal, key store, PKI and config live.
        tid: Terminal ID (F41, 8 characters).
        mid: Merchant ID (F42, 15 characters).
        merchant_name: Printed on receipts.
        operator: Operator number (F63.1).
        host: Primary host ``host:port``.
        backup_host: Backup host ``host:port`` or empty.
        tpdu: TPDU of the primary host, assigned by the acquirer: 10 digits, ``60`` +
            destination (4) + source (4) (reference §1.1).
        backup_tpdu: TPDU of the backup host; empty: the same as ``tpdu``.
        header_app_type: Message header digits 1-2, application type (2 digits).
        header_spec_version: Header digits 3-4, software/spec version (2 digits).
        header_test: Header digit 5: ``1`` (test terminal) when true, else ``0``.
        header_app_version: Header digits 7-12, application software version (6 digits).
        tls: TLS 1.3 with mutual authentication (plain TCP only when set false).
        tls_server_name: Name the host certificate must carry.
        pki_dir: Directory with ``ca.pem`` (the pinned host CA), ``terminal.pem`` and
            ``terminal.key``. Empty: ``<data_dir>/pki``. The terminal never makes them:
            a missing file stops it (the demo, emulator and QA runner provision a demo
            PKI through :mod:`xpos.testing`).
        mac_algorithm: ``"cup-ecb"`` or ``"x9.19"``.
        mak_kcv: ``"full"`` or ``"first8"`` (see docs/security.md).
        key_mode: Sign-on key mode, F60.3 (``"004"`` = PIK+MAK+TDK double length).
        encrypt_track: Encrypt track 2 with the TDK when one is loaded.
        connect_timeout_s: Per-address connect timeout.
        response_timeout_s: Response timeout before a reversal is due.
        reversal_retries: Extra attempts for a reversal before it is given up.
        pin_timeout_s: How long a PIN entry may take before the sale ends
            (输入密码超时, nothing sent).
        lang: UI language, ``"zh"`` (default) or ``"en"``.
        supervisor_password: The supervisor (主管) password that void and settlement ask
            for (digits, 1-12; default ``"123456"``: change it on a real terminal).
        menus_dir: Directory of menu TOML files; ``None``: the menus shipped in the
            package (``xpos/menus/``, read with :mod:`importlib.resources`).
        devices: Device URLs by kind (``keypad``, ``display``, ``magstripe``, ``rfid``,
            ``scanner``, ``pinpad``, ``printer``); ``fake:`` by default. The optional
            ``customer_display`` and ``beeper`` are absent (``none:``) by default.
        platform_tpdu_destination: TPDU destination address (4 digits) of the X3
            platform; X3 session messages go over the acquirer link with it (default
            ``0008``; the acquirer's is in ``tpdu``).
        platform_retry_s: After the platform did not answer (or answered that it does
            not know X3 messages), sessions are refused at once with 平台不可用 for this
            long (default 300 s).
        refund_pin: Whether 退货 (refund) asks for the PIN (default no, as CUP
            terminals do).
        ecr: The cash-register (ECR) port: ``serial:///dev/ttyS1?baud=9600`` or
            ``tcp://0.0.0.0:7000``; empty (the default): no till.
    """

    data_dir: Path
    tid: str = "10000001"
    mid: str = "898100012340001"
    merchant_name: str = "X-POS演示商户"
    operator: str = "01"
    host: str = "127.0.0.1:8583"
    backup_host: str = ""
    tpdu: str = "6000030000"
    backup_tpdu: str = ""
    header_app_type: str = "60"
    header_spec_version: str = "31"
    header_test: bool = False
    header_app_version: str = "310000"
    tls: bool = True
    tls_server_name: str = "localhost"
    pki_dir: str = ""
    mac_algorithm: str = "cup-ecb"
    mak_kcv: str = "full"
    key_mode: str = "004"
    encrypt_track: bool = True
    connect_timeout_s: float = 5.0
    response_timeout_s: float = 30.0
    reversal_retries: int = 2
    pin_timeout_s: float = 60.0
    lang: str = "zh"
    supervisor_password: str = field(default="123456", repr=False)
    menus_dir: Path | None = None
    devices: dict[str, str] = field(default_factory=dict)
    platform_tpdu_destination: str = "0008"
    platform_retry_s: float = 300.0
    refund_pin: bool = False
    ecr: str = ""

    def replace(self, **changes: Unpack[ConfigOverrides]) -> TerminalConfig:
        """A copy with some fields changed, checked like the file.

        Raises:
            ConfigError: an unknown key, a wrong type or a value out of range.
        """
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                  if f.name != "data_dir"}
        values.update(changes)
        return _build(values, self.data_dir, "override")


class ConfigOverrides(TypedDict, total=False):
    """Working parameters given in code (tests, rig, QA ``terminal:``), checked like the file.

    Every key of :class:`TerminalConfig` but ``data_dir``; keep the two in step (a test
    compares them).
    """

    tid: str
    mid: str
    merchant_name: str
    operator: str
    host: str
    backup_host: str
    tls: bool
    tls_server_name: str
    pki_dir: str
    mac_algorithm: str
    mak_kcv: str
    key_mode: str
    encrypt_track: bool
    connect_timeout_s: float
    response_timeout_s: float
    pin_timeout_s: float
    reversal_retries: int
    tpdu: str
    backup_tpdu: str
    header_app_type: str
    header_spec_version: str
    header_test: bool
    header_app_version: str
    lang: str
    supervisor_password: str
    menus_dir: Path | str | None
    devices: dict[str, str]
    platform_tpdu_destination: str
    platform_retry_s: float
    refund_pin: bool
    ecr: str


def default_data_dir() -> Path:
    """``$XPOS_DATA`` or ``~/.local/share/xpos``."""
    env = os.environ.get("XPOS_DATA")
    return Path(env) if env else Path.home() / ".local" / "share" / "xpos"


class DataDirError(ConfigError):
    """A data directory cannot be used (a file, not writable, cannot be created)."""


def prepare_data_dir(path: Path, *, create: bool = True) -> Path:
    """Make sure ``path`` is a usable data directory; create it private (0700) if missing.

    An existing directory that group or others may read is kept as it is, with a
    warning (docs/security.md: the data directory is 0700).

    Args:
        path: The data directory.
        create: Create it (and its parents) when missing; when false a missing
            directory is an error.

    Returns:
        ``path``.

    Raises:
        DataDirError: one line naming the path, what is wrong and what to do.
    """
    hint = "choose another with --data-dir DIR (or $XPOS_DATA)"
    if path.exists() and not path.is_dir():
        raise DataDirError(f"data directory {path} is a file, not a directory: "
                           f"remove or rename it, or {hint}")
    if not path.exists():
        if not create:
            why = "a part of the path is a file" if _file_above(path) else "it does not exist"
            raise DataDirError(f"data directory {path} cannot be used: {why}: {hint}")
        _make_private(path, hint)
    elif not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise DataDirError(f"data directory {path} is not writable by this user: "
                           f"fix its owner or mode (chmod 700 {path}), or {hint}")
    else:
        _warn_if_shared(path)
    return path


def _file_above(path: Path) -> bool:
    return any(parent.exists() and not parent.is_dir() for parent in path.parents)


def _make_private(path: Path, hint: str) -> None:
    try:
        path.mkdir(parents=True, mode=DATA_DIR_MODE)
        os.chmod(path, DATA_DIR_MODE)  # whatever the umask
    except FileExistsError:
        if not path.is_dir():  # a broken symbolic link, or a file made meanwhile
            raise DataDirError(f"data directory {path} exists but is not a directory: "
                               f"{hint}") from None
        prepare_data_dir(path)  # made meanwhile by another process: check it like any other
    except OSError as exc:
        why = ("a part of the path is a file, not a directory" if exc.errno == errno.ENOTDIR
               else (exc.strerror or str(exc)).lower())
        raise DataDirError(f"data directory {path} cannot be created: {why}: {hint}") from None


def _warn_if_shared(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("data directory %s is open to group/others (mode %04o); it holds the "
                    "journal and keys: chmod 700 %s", path, mode, path)


def load_config(data_dir: Path, *, file: Path | None = None,
                **overrides: Unpack[ConfigOverrides]) -> TerminalConfig:
    """Read the config file and apply ``overrides`` on top; both are checked.

    Args:
        data_dir: The data directory.
        file: The config file (default ``<data_dir>/xpos.toml``, used only if present;
            a ``file`` given here must exist).
        **overrides: Working parameters that win over the file's.

    Raises:
        ConfigError: the file is missing (when given), not valid TOML, or has an unknown
            key, a wrong type or a value out of range; or an override is bad.
    """
    values: dict[str, Any] = {}
    path = file if file is not None else data_dir / CONFIG_NAME
    if file is not None and not path.is_file():
        why = "is a directory, not a file" if path.is_dir() else "does not exist"
        raise ConfigError(f"config file {path} {why}")
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        except RecursionError:
            raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    config = _build(values, data_dir, str(path))
    return config.replace(**overrides) if overrides else config


def check_overrides(values: Mapping[str, object], *, source: str) -> ConfigOverrides:
    """Check working-parameter overrides (keys, types, ranges) without reading any file.

    Returns:
        The same values, typed.

    Raises:
        ConfigError: an unknown key, a wrong type or a value out of range.
    """
    _build(dict(values), Path("."), source)
    return cast(ConfigOverrides, dict(values))


def _build(values: dict[str, Any], data_dir: Path, source: str) -> TerminalConfig:
    fields = {f.name: f for f in dataclasses.fields(TerminalConfig)}
    kwargs: dict[str, Any] = {"data_dir": data_dir}
    for key, value in values.items():
        if key not in fields or key == "data_dir":
            raise ConfigError(f"{source}: unknown key {key!r}{did_you_mean(key, fields)}")
        kwargs[key] = _coerce(key, value, source)
    config = TerminalConfig(**kwargs)
    _validate(config, source)
    return config


_TYPES: dict[str, type | tuple[type, ...]] = {
    "tls": bool, "header_test": bool, "encrypt_track": bool, "reversal_retries": int,
    "connect_timeout_s": (int, float), "response_timeout_s": (int, float),
    "pin_timeout_s": (int, float), "platform_retry_s": (int, float),
    "devices": dict, "menus_dir": (str, Path, type(None)),
    "refund_pin": bool,
}


def _coerce(key: str, value: Any, source: str) -> Any:
    expected = _TYPES.get(key, str)
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ConfigError(f"{source}: key {key!r} has the wrong type ({type(value).__name__}): "
                          f"it must be {WANTED.get(key, 'a string in quotes')}")
    if isinstance(value, str | Path) and key == "menus_dir":
        return Path(value)
    if isinstance(value, int | float) and key in ("connect_timeout_s", "response_timeout_s",
                                                  "pin_timeout_s", "platform_retry_s"):
        return float(value)
    if key == "devices" and isinstance(value, dict):
        return _devices(value, source)
    return value


def _devices(value: Mapping[object, object], source: str) -> dict[str, str]:
    for kind, url in value.items():
        if kind not in KINDS and kind not in OPTIONAL_KINDS:
            raise ConfigError(f"{source}: key 'devices' has an unknown device kind {kind!r}; "
                              f"known: {', '.join((*KINDS, *OPTIONAL_KINDS))}")
        if not isinstance(url, str):
            raise ConfigError(f"{source}: key 'devices' has a {kind} URL that is not a "
                              f"string ({type(url).__name__})")
        try:
            parse_device_url(url)
        except ConfigError as exc:
            raise ConfigError(f"{source}: key 'devices' has a bad {kind} URL: {exc}") from None
    return {str(kind): str(url) for kind, url in value.items()}


def _validate(config: TerminalConfig, source: str) -> None:
    checks = [
        (len(config.tid) == 8, "tid", "must be 8 characters"),
        (len(config.mid) == 15, "mid", "must be 15 characters"),
        (config.mac_algorithm in ("cup-ecb", "x9.19"), "mac_algorithm",
         "must be 'cup-ecb' or 'x9.19'"),
        (config.mak_kcv in ("full", "first8"), "mak_kcv", "must be 'full' or 'first8'"),
        (config.key_mode in ("001", "003", "004"), "key_mode", "must be 001, 003 or 004"),
        (config.lang in ("zh", "en"), "lang", "must be 'zh' or 'en'"),
        (_seconds(config.connect_timeout_s), "connect_timeout_s",
         "must be a finite number of seconds above 0, at most 86400"),
        (_seconds(config.response_timeout_s), "response_timeout_s",
         "must be a finite number of seconds above 0, at most 86400"),
        (0 <= config.reversal_retries <= MAX_REVERSAL_RETRIES, "reversal_retries",
         f"must be 0 to {MAX_REVERSAL_RETRIES}"),
        (config.merchant_name.strip() != "", "merchant_name",
         "must not be empty (it heads every slip)"),
        (_seconds(config.pin_timeout_s), "pin_timeout_s",
         "must be a finite number of seconds above 0, at most 86400"),
        (_seconds(config.platform_retry_s), "platform_retry_s",
         "must be a finite number of seconds above 0, at most 86400"),
        (bool(_DIGITS.fullmatch(config.platform_tpdu_destination))
         and len(config.platform_tpdu_destination) == 4, "platform_tpdu_destination",
         "must be 4 digits"),
        (config.supervisor_password.isdigit() and len(config.supervisor_password) <= 12
         and config.supervisor_password.isascii(), "supervisor_password",
         "must be 1 to 12 digits"),
        (config.tls_server_name != "", "tls_server_name",
         "must name the host certificate (empty would turn off the host-name check)"),
        (not (config.key_mode == "001" and config.mac_algorithm == "x9.19"), "mac_algorithm",
         "'x9.19' needs a double-length MAK, but key_mode '001' loads a single-length one "
         "(use key_mode '003' or '004', or mac_algorithm 'cup-ecb')"),
    ]
    for ok, key, message in checks:
        if not ok:
            raise ConfigError(f"{source}: key {key!r} {message}")
    for key, width, chars in (("tid", 8, _ANS), ("mid", 15, _ANS), ("operator", 3, _DIGITS)):
        value = getattr(config, key)
        if not value or len(value) > width or not chars.fullmatch(value):
            raise ConfigError(f"{source}: key {key!r} has characters or a length the host "
                              f"link cannot carry: {value!r}")
    for key in ("host", "backup_host"):
        value = getattr(config, key)
        if value:
            parse_address(value, key=key, source=source)
    _validate_link_header(config, source)
    if config.ecr:
        _validate_ecr(config.ecr, source)


def _validate_ecr(url: str, source: str) -> None:
    try:
        check_ecr_url(url)
    except ConfigError as exc:
        raise ConfigError(f"{source}: key 'ecr' {exc}") from None


def _validate_link_header(config: TerminalConfig, source: str) -> None:
    """TPDUs and header parts: digits of their exact length (reference §1.1)."""
    for key in ("tpdu", "backup_tpdu"):
        value = getattr(config, key)
        if (value or key == "tpdu") and not (_DIGITS.fullmatch(value) and len(value) == 10
                                             and value.startswith("60")):
            raise ConfigError(f"{source}: key {key!r} must be 10 digits, 60 + destination "
                              f"(4) + source (4), got {value!r}")
    for key, width in (("header_app_type", 2), ("header_spec_version", 2),
                       ("header_app_version", 6)):
        value = getattr(config, key)
        if not (_DIGITS.fullmatch(value) and len(value) == width):
            raise ConfigError(f"{source}: key {key!r} must be {width} digits, got {value!r}")


MAX_SECONDS = 86_400.0
"""The longest timeout or retry period a config may set (a day: beyond is a typo)."""
MAX_REVERSAL_RETRIES = 99
"""The most extra attempts a reversal may get before it is given up."""


def _seconds(value: float) -> bool:
    return math.isfinite(value) and 0 < value <= MAX_SECONDS


def parse_address(text: str, *, key: str = "host", source: str = "config") -> tuple[str, int]:
    """Split ``host:port``.

    Raises:
        ConfigError: not of that form.
    """
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"{source}: key {key!r} must be host:port, got {text!r}")
    return host, int(port)
