"""Demo PKI for the host link: a CA, a host certificate and terminal certificates.

X-POS talks to its host over TLS 1.3 with mutual authentication: the terminal pins the
host CA and presents its own client certificate; the host requires that certificate and
binds it to one terminal. For the emulator, the demo and the tests,
:func:`ensure_demo_pki` makes a private CA and both end-entity certificates (ECDSA
P-256) in the data directory on first use and reuses them afterwards. Private keys
(the CA's included, ``ca.key``) are written with mode 0600 in a directory created 0700.

**Terminal identity.** A terminal certificate names the terminal it was issued to: the
subject is ``O=X-POS, OU=<MID>, CN=<TID>`` (TID = field 41, 8 characters; MID = field
42, 15 characters; the ``OU`` may be left out, then only the TID is bound).
:func:`certificate_identity` and :func:`peer_identity` read it back as a
:class:`TerminalIdentity`; the reference host refuses every message whose field 41 (or
42) is not the identity of the certificate the connection was made with
(``docs/security.md``, "Terminal binding").

Production terminals get their certificate (with the same subject layout) at
provisioning from the acquirer's CA; the same contexts apply.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from xpos.errors import ConfigError

log = logging.getLogger(__name__)

_VALID_DAYS = 3650
DEMO_TID = "10000001"
"""The terminal the demo PKI's certificate is issued to unless told otherwise."""
DEMO_MID = "898100012340001"
"""That terminal's merchant (the demo merchant of the reference host)."""
TID_LENGTH, MID_LENGTH = 8, 15


@dataclass(frozen=True, kw_only=True)
class TlsFiles:
    """Paths of the PEM files of one PKI (CA certificate plus host and terminal pairs)."""

    ca_cert: Path
    host_cert: Path
    host_key: Path
    terminal_cert: Path
    terminal_key: Path


@dataclass(frozen=True, kw_only=True)
class TerminalIdentity:
    """The terminal a client certificate was issued to.

    Attributes:
        tid: Terminal ID (field 41), 8 printable ASCII characters.
        mid: Merchant ID (field 42), 15 printable ASCII characters, or ``None`` when
            the certificate binds the TID only.
    """

    tid: str
    mid: str | None = None

    def covers(self, wanted: TerminalIdentity) -> bool:
        """True if this identity is ``wanted`` (a ``wanted.mid`` of ``None`` matches any)."""
        return self.tid == wanted.tid and wanted.mid in (None, self.mid)

    def __str__(self) -> str:
        """``terminal 10000001 / merchant 898100012340001``."""
        merchant = "" if self.mid is None else f" / merchant {self.mid}"
        return f"terminal {self.tid}{merchant}"


def pki_files(directory: Path) -> TlsFiles:
    """The file layout of a PKI directory (the files may not exist yet)."""
    return TlsFiles(
        ca_cert=directory / "ca.pem",
        host_cert=directory / "host.pem",
        host_key=directory / "host.key",
        terminal_cert=directory / "terminal.pem",
        terminal_key=directory / "terminal.key",
    )


def ca_key_path(files: TlsFiles) -> Path:
    """Where a demo PKI keeps its CA's private key (``ca.key`` beside ``ca.pem``)."""
    return files.ca_cert.with_name("ca.key")


def ensure_demo_pki(data_dir: Path, *, terminal_id: str | None = None,
                    merchant_id: str | None = None) -> TlsFiles:
    """Create the demo CA, host and terminal certificates under ``data_dir/pki`` if missing.

    With ``terminal_id``, the terminal certificate must name that terminal (and
    ``merchant_id``, if given): an existing one issued to another terminal is replaced by
    one issued by the same CA (the CA and host files stay as they are).

    Args:
        data_dir: The X-POS data directory.
        terminal_id: The TID the terminal certificate must carry; ``None`` accepts any
            existing one and issues a new PKI's to :data:`DEMO_TID` / :data:`DEMO_MID`.
        merchant_id: The MID the terminal certificate must carry (``None``: any).

    Returns:
        The paths of the PEM files.

    Raises:
        ConfigError: the terminal certificate must be replaced but the CA key is not
            there (a PKI made before terminal binding, or not a demo PKI), or a TID/MID
            is malformed.
    """
    wanted = None if terminal_id is None else _checked(
        TerminalIdentity(tid=terminal_id, mid=merchant_id))
    files = pki_files(data_dir / "pki")
    paths = (files.ca_cert, files.host_cert, files.host_key, files.terminal_cert,
             files.terminal_key)
    if not all(p.exists() for p in paths):
        _make_demo_pki(files, wanted or TerminalIdentity(tid=DEMO_TID, mid=DEMO_MID))
        return files
    if wanted is not None:
        current = certificate_identity(_read_cert(files.terminal_cert))
        if current is None or not current.covers(wanted):
            issue_terminal_certificate(files, wanted, files.terminal_cert, files.terminal_key)
            log.info("demo PKI: %s now holds a certificate for %s", files.terminal_cert,
                     wanted)
    return files


def issue_terminal_certificate(files: TlsFiles, identity: TerminalIdentity, cert_path: Path,
                               key_path: Path) -> None:
    """Issue a client certificate for ``identity`` from the demo CA of ``files``.

    The key is written with mode 0600. Tests use this to make a second terminal (or a
    certificate for the wrong one); :func:`ensure_demo_pki` uses it when the configured
    TID changes.

    Raises:
        ConfigError: the CA key (``ca.key``) or certificate is missing or unreadable, or
            the identity is malformed.
    """
    _checked(identity)
    ca_key_file = ca_key_path(files)
    try:
        ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
        ca_cert = _read_cert(files.ca_cert)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot issue a terminal certificate for {identity}: the demo CA key "
            f"{ca_key_file} is missing or unreadable ({type(exc).__name__}); a PKI made "
            f"before terminal binding has none: delete {files.ca_cert.parent} to make a "
            "new demo PKI, or provision a certificate from your CA") from exc
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise ConfigError(f"{ca_key_file} is not an EC private key")
    _issue(cert_path, key_path, ca_cert, ca_key, _terminal_name(identity),
           ExtendedKeyUsageOID.CLIENT_AUTH, server=False)


def certificate_identity(cert: x509.Certificate) -> TerminalIdentity | None:
    """The terminal a certificate names, or ``None`` if it names none (or is ambiguous)."""
    return _identity(
        [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)],
        [a.value for a in cert.subject.get_attributes_for_oid(
            NameOID.ORGANIZATIONAL_UNIT_NAME)])


def peer_identity(peercert: Mapping[str, Any] | None) -> TerminalIdentity | None:
    """The terminal named by ``ssl.SSLSocket.getpeercert()``'s dictionary, or ``None``.

    ``None`` also for no certificate, an empty dictionary, more than one common name or
    organizational unit, or a value that is not a well-formed TID / MID.
    """
    if not peercert:
        return None
    pairs = [pair for rdn in peercert.get("subject", ()) for pair in rdn
             if isinstance(pair, tuple) and len(pair) == 2]
    return _identity([v for k, v in pairs if k == "commonName"],
                     [v for k, v in pairs if k == "organizationalUnitName"])


def _identity(cns: Iterable[object], ous: Iterable[object]) -> TerminalIdentity | None:
    cn, ou = list(cns), list(ous)
    if len(cn) != 1 or len(ou) > 1 or not _well_formed(cn[0], TID_LENGTH):
        return None
    if ou and not _well_formed(ou[0], MID_LENGTH):
        return None
    return TerminalIdentity(tid=str(cn[0]), mid=str(ou[0]) if ou else None)


def _well_formed(value: object, length: int) -> bool:
    return (isinstance(value, str) and len(value) == length and value.isascii()
            and value.isprintable() and value.strip() == value)


def _checked(identity: TerminalIdentity) -> TerminalIdentity:
    if not _well_formed(identity.tid, TID_LENGTH):
        raise ConfigError(f"a terminal certificate needs a TID of {TID_LENGTH} printable "
                          f"characters, got {identity.tid!r}")
    if identity.mid is not None and not _well_formed(identity.mid, MID_LENGTH):
        raise ConfigError(f"a terminal certificate needs a MID of {MID_LENGTH} printable "
                          f"characters, got {identity.mid!r}")
    return identity


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """A TLS 1.3-only server context that requires a client certificate from the CA."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.verify_mode = ssl.CERT_REQUIRED
    _load(ctx, files, files.host_cert, files.host_key)
    return ctx


def client_context(files: TlsFiles) -> ssl.SSLContext:
    """A TLS 1.3-only client context pinned to the CA, presenting the terminal certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    _load(ctx, files, files.terminal_cert, files.terminal_key)
    return ctx


def _load(ctx: ssl.SSLContext, files: TlsFiles, cert: Path, key: Path) -> None:
    try:
        ctx.load_verify_locations(cafile=str(files.ca_cert))
        ctx.load_cert_chain(certfile=str(cert), keyfile=str(key))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load TLS files ({cert}, {key}): {exc}") from exc


def _make_demo_pki(files: TlsFiles, terminal: TerminalIdentity) -> None:
    directory = files.ca_cert.parent
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("X-POS Demo CA")
    ca_cert = _sign(_builder(ca_name, ca_name, ca_key.public_key())
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True),
                    ca_key)
    _write_key(ca_key_path(files), ca_key)
    _write_cert(files.ca_cert, ca_cert)
    _issue(files.host_cert, files.host_key, ca_cert, ca_key, _name("X-POS Reference Host"),
           ExtendedKeyUsageOID.SERVER_AUTH, server=True)
    _issue(files.terminal_cert, files.terminal_key, ca_cert, ca_key, _terminal_name(terminal),
           ExtendedKeyUsageOID.CLIENT_AUTH, server=False)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "X-POS"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _terminal_name(identity: TerminalIdentity) -> x509.Name:
    merchant = [] if identity.mid is None else [
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, identity.mid)]
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "X-POS"), *merchant,
                      x509.NameAttribute(NameOID.COMMON_NAME, identity.tid)])


def _read_cert(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the certificate {path}: {exc}") from exc


def _builder(subject: x509.Name, issuer: x509.Name,
             public_key: ec.EllipticCurvePublicKey) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=_VALID_DAYS)))


def _sign(builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(key, hashes.SHA256())


def _issue(cert_path: Path, key_path: Path, ca_cert: x509.Certificate,
           ca_key: ec.EllipticCurvePrivateKey, subject: x509.Name,
           usage: x509.ObjectIdentifier, *, server: bool) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (_builder(subject, ca_cert.subject, key.public_key())
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]), critical=False))
    if server:
        builder = builder.add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]), critical=False)
    _write_key(key_path, key)
    _write_cert(cert_path, _sign(builder, ca_key))


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)
