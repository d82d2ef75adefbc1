"""The composition root: a :class:`Terminal` from its working parameters.

:func:`open_terminal` is the one place where a terminal is put together from a
:class:`~xpos.terminal.config.TerminalConfig`: the devices from its device URLs
(:func:`~xpos.drivers.registry.open_devices`), the host link (addresses, TLS files,
timeouts), the journal and the key store in the data directory. The terminal owns the
devices it was given here and closes them in :meth:`Terminal.close`. ``xpos run``, the
test rig (and through it the demo, the emulator and the QA runner) all start terminals
this way.

:func:`check_provisioned` says what a terminal still lacks before it can serve (PKI
files, TMK), so ``xpos run`` can refuse to start with one clear line.
"""

from __future__ import annotations

from xpos.core.i18n import t
from xpos.drivers.registry import DriverRegistry, open_devices
from xpos.errors import JournalLostError, XposError
from xpos.journal.marker import marker_path, read_marker
from xpos.security.keystore import KeyStore
from xpos.terminal.clock import Clock
from xpos.terminal.config import JOURNAL_NAME, KEYSTORE_NAME, TerminalConfig
from xpos.terminal.hostlink import HostLink, TrafficHook
from xpos.terminal.linkconf import missing_pki
from xpos.terminal.runtime import Terminal


def open_terminal(config: TerminalConfig, *, clock: Clock | None = None,
                  on_traffic: TrafficHook | None = None, link: HostLink | None = None,
                  registry: DriverRegistry | None = None,
                  readers_optional: bool = False) -> Terminal:
    """Open the configured devices and build a terminal that owns them.

    Args:
        config: The working parameters (device URLs in ``config.devices``).
        clock: What step and host timeouts run on (default: the loop's real clock).
        on_traffic: Sees every message to and from the host.
        link: A host link to use instead of one built from ``config``.
        registry: Where device drivers are looked up (default: built-ins + entry points).
        readers_optional: Start without a card reader or scanner that cannot be opened
            (``xpos run``: :mod:`xpos.terminal.missing`; the terminal's ``replug`` must
            then be set before it runs).

    Returns:
        The terminal; ``await terminal.close()`` closes its devices too.

    Raises:
        ConfigError: a bad device URL, missing PKI files (with ``tls``), bad settings.
        DeviceError: a device could not be opened.
        MenuError: a menu file is malformed.
        JournalLostError: the journal is lost or damaged; the terminal will not
            transact until ``xpos journal recover`` (docs/operations.md).
        KeysLostError: the key store is gone though a TMK was loaded (``xpos keys load``).
    """
    if readers_optional:
        from xpos.terminal.missing import open_devices_or_missing
        devices, _ = open_devices_or_missing(config.devices, registry=registry)
    else:
        devices = open_devices(config.devices, registry=registry)
    try:
        return Terminal(config, devices, link=link, on_traffic=on_traffic, clock=clock,
                        owns_devices=True)
    except BaseException:
        devices.close()
        raise


def check_provisioned(config: TerminalConfig) -> list[str]:
    """What the terminal lacks to serve transactions; empty when nothing.

    Looks at the PKI files (when ``tls`` is on) and the TMK in the key store; opens no
    device and changes nothing.

    Raises:
        KeysLostError: the journal marker says a TMK was loaded but the key store is
            missing or has none (never reported as a mere "no TMK").
        JournalLostError: the journal marker cannot be read.
    """
    problems = []
    if config.tls:
        pki = missing_pki(config)
        if pki:
            problems.append(pki)
    keystore = config.data_dir / KEYSTORE_NAME
    marker = read_marker(marker_path(config.data_dir / JOURNAL_NAME))
    if not KeyStore(keystore, expect_tmk=marker.tmk_kcv if marker else None).has_tmk:
        problems.append(f"no TMK in {keystore}: load it with `xpos keys load --data-dir "
                        f"{config.data_dir} --kcv HEX`, which asks for the components")
    return problems


def show_refusal(config: TerminalConfig, exc: XposError, *,
                 registry: DriverRegistry | None = None) -> None:
    """Put why the terminal refuses to transact on its display (journal or keys lost).

    Chinese first: 交易记录丢失 请联系维护 / 密钥丢失 请联系维护 (``config.lang``).

    Raises:
        ConfigError: a bad device URL.
        DeviceError: a device could not be opened.
    """
    key = "fault.journal_lost" if isinstance(exc, JournalLostError) else "fault.keys_lost"
    devices = open_devices(config.devices, registry=registry)
    try:
        devices.display.show(t(key, config.lang).split("\n"))
    finally:
        devices.close()
