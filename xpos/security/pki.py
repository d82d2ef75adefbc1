"""Demo PKI for the host link: a CA, a host certificate and a terminal certificate.

X-POS talks to its host over TLS 1.3 with mutual authentication: the terminal pins the
host CA and presents its own client certificate; the host requires that certificate.
For the emulator, the demo and the tests, :func:`ensure_demo_pki` makes a private CA and
both end-entity certificates (ECDSA P-256) in the data directory on first use and reuses
them afterwards. Private keys are written with mode 0600.

Production terminals get their certificate at provisioning; the same contexts apply.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from xpos.errors import ConfigError

_VALID_DAYS = 3650


@dataclass(frozen=True, kw_only=True)
class TlsFiles:
    """Paths of the PEM files of one PKI (CA certificate plus host and terminal pairs)."""

    ca_cert: Path
    host_cert: Path
    host_key: Path
    terminal_cert: Path
    terminal_key: Path


def pki_files(directory: Path) -> TlsFiles:
    """The file layout of a PKI directory (the files may not exist yet)."""
    return TlsFiles(
        ca_cert=directory / "ca.pem",
        host_cert=directory / "host.pem",
        host_key=directory / "host.key",
        terminal_cert=directory / "terminal.pem",
        terminal_key=directory / "terminal.key",
    )


def ensure_demo_pki(data_dir: Path, *, terminal_id: str = "10000001") -> TlsFiles:
    """Create the demo CA, host and terminal certificates under ``data_dir/pki`` if missing.

    Args:
        data_dir: The X-POS data directory.
        terminal_id: Put into the terminal certificate's common name.

    Returns:
        The paths of the PEM files.
    """
    files = pki_files(data_dir / "pki")
    paths = (files.ca_cert, files.host_cert, files.host_key, files.terminal_cert,
             files.terminal_key)
    if all(p.exists() for p in paths):
        return files
    files.ca_cert.parent.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("X-POS Demo CA")
    ca_cert = _sign(_builder(ca_name, ca_name, ca_key.public_key())
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True),
                    ca_key)
    _write_cert(files.ca_cert, ca_cert)
    _issue(files.host_cert, files.host_key, ca_cert, ca_key, "X-POS Reference Host",
           ExtendedKeyUsageOID.SERVER_AUTH, server=True)
    _issue(files.terminal_cert, files.terminal_key, ca_cert, ca_key,
           f"X-POS Terminal {terminal_id}", ExtendedKeyUsageOID.CLIENT_AUTH, server=False)
    return files


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


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "X-POS"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


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
           ca_key: ec.EllipticCurvePrivateKey, common_name: str,
           usage: x509.ObjectIdentifier, *, server: bool) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (_builder(_name(common_name), ca_cert.subject, key.public_key())
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
