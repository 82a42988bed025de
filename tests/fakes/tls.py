"""A self-signed certificate for serving HTTPS on loopback in tests and benchmarks.

    tls = make_self_signed(tmp_path)
    with FakeSlackAPI(tls=tls) as fake:          # fake.url starts with https://127.0.0.1
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.cert))   # the client trusts it

The certificate names 127.0.0.1, ::1 and localhost and is its own issuer, so its PEM file is also
the CA bundle a client trusts (alone, or after the system's bundle: :func:`trust_bundle`).
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["TlsFiles", "make_self_signed", "trust_bundle"]

_NAME = "interview-bot test server"


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    """PEM certificate; being self-signed, it is also the CA bundle to trust."""
    key: Path
    """PEM private key (unencrypted)."""

    def server_context(self) -> ssl.SSLContext:
        """A server-side context serving this certificate."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_self_signed(folder: Path, *, days: int = 2) -> TlsFiles:
    """Write ``server.pem`` and ``server-key.pem`` into ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(key, days)
    cert_path, key_path = folder / "server.pem", folder / "server-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TlsFiles(cert=cert_path, key=key_path)


def trust_bundle(tls: TlsFiles, path: Path, base: Path | str | None = None) -> Path:
    """Write at ``path`` a CA bundle: ``base`` (default: the system's bundle, else certifi's)
    followed by the self-signed certificate; point SSL_CERT_FILE at it."""
    base_path = Path(base) if base is not None else _system_bundle()
    path.write_bytes(base_path.read_bytes().rstrip(b"\n") + b"\n" + tls.cert.read_bytes())
    return path


def _system_bundle() -> Path:
    cafile = ssl.get_default_verify_paths().openssl_cafile
    for candidate in (cafile, "/etc/ssl/certs/ca-certificates.crt"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    import certifi

    return Path(certifi.where())


def _certificate(key: ec.EllipticCurvePrivateKey, days: int) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, _NAME)])
    now = datetime.now(UTC)
    public = key.public_key()
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
