"""The host-link settings and the TLS files of the terminal, from its working parameters.

:func:`link_config` turns a :class:`~xpos.terminal.config.TerminalConfig` into the
:class:`~xpos.terminal.hostlink.LinkConfig` the host link runs on (addresses with their
TPDUs, the platform's TPDU for X-class messages, TLS, header, timeouts); the terminal's
PKI is only ever read, never made (:func:`missing_pki` says what is missing).
"""

from __future__ import annotations

from pathlib import Path

from xpos.errors import ConfigError
from xpos.proto.codec import make_header
from xpos.proto.routing import platform_tpdu
from xpos.security.pki import TlsFiles, client_context, pki_files
from xpos.terminal.config import TerminalConfig, parse_address
from xpos.terminal.hostlink import HostAddress, LinkConfig


def link_config(config: TerminalConfig) -> LinkConfig:
    """Build the host-link settings from the working parameters."""
    backup = (_address(config.backup_host, "backup_host", config.backup_tpdu or config.tpdu,
                       config.platform_tpdu_destination) if config.backup_host else None)
    tls = client_context(tls_files(config)) if config.tls else None
    header = make_header(app_type=config.header_app_type,
                         spec_version=config.header_spec_version, test=config.header_test,
                         app_version=config.header_app_version)
    return LinkConfig(primary=_address(config.host, "host", config.tpdu,
                                       config.platform_tpdu_destination), backup=backup,
                      tls=tls, server_hostname=config.tls_server_name,
                      connect_timeout_s=config.connect_timeout_s,
                      response_timeout_s=config.response_timeout_s, header=header)


def _address(text: str, key: str, tpdu: str, platform: str) -> HostAddress:
    host, port = parse_address(text, key=key)
    return HostAddress(host=host, port=port, tpdu=tpdu,
                       platform_tpdu=platform_tpdu(tpdu, platform))  # X-class messages


def tls_files(config: TerminalConfig) -> TlsFiles:
    """The terminal's PKI files: in ``pki_dir``, or ``<data_dir>/pki`` when that is empty.

    The terminal never makes them (see :func:`missing_pki`).

    Raises:
        ConfigError: a file is missing; the message names them and how to provision them.
    """
    problem = missing_pki(config)
    if problem:
        raise ConfigError(problem)
    return pki_files(_pki_dir(config))


def missing_pki(config: TerminalConfig) -> str:
    """Why the terminal cannot make a TLS connection with its PKI, or ``""`` if it can.

    Only the terminal's side is looked at: ``ca.pem`` (the host CA it pins),
    ``terminal.pem`` and ``terminal.key`` (its client certificate and key).
    """
    directory = _pki_dir(config)
    files = pki_files(directory)
    missing = [p.name for p in (files.ca_cert, files.terminal_cert, files.terminal_key)
               if not p.is_file()]
    if not missing:
        return ""
    return (f"TLS is on but the terminal's PKI is not provisioned: {', '.join(missing)} "
            f"missing in {directory} (key 'pki_dir'); put the pinned host CA in ca.pem and "
            "this terminal's certificate and key in terminal.pem and terminal.key there "
            "(for a demo, `xpos host --data-dir DIR` makes a demo PKI in DIR/pki)")


def _pki_dir(config: TerminalConfig) -> Path:
    return Path(config.pki_dir) if config.pki_dir else config.data_dir / "pki"
