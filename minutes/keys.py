"""The body's signing keys and certificates, read from settings, never from the database.

Each setting names a file or holds the PEM text itself (an environment variable).
Two key pairs sign a published communiqué: an Ed25519 key its canonical JSON
(``COMMUNIQUE_TEXT_KEY`` with ``COMMUNIQUE_TEXT_CERT``), and a key with a
certificate the PAdES signature of its PDF (``COMMUNIQUE_PDF_KEY`` and
``COMMUNIQUE_PDF_CERT``). ``COMMUNIQUE_RETIRED_CERTS`` lists the certificates of
keys no longer used: their signatures still verify. A key is named by its id,
the first 16 hex digits of the SHA-256 of its public key (SubjectPublicKeyInfo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from consult.errors import ApplicationError

PEM_MARK = "-----BEGIN"


@dataclass(frozen=True, slots=True)
class BodyCertificate:
    """A public certificate of the body: what the keys page and the API list."""

    key_id: str
    purpose: str  # "text" (Ed25519, canonical JSON) or "pdf" (PAdES)
    current: bool
    subject: str
    algorithm: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint_sha256: str
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def status(self) -> str:
        return "current" if self.current else "retired"


def _pem(value: str) -> bytes | None:
    """The PEM text a setting names (a path) or holds; None when the file is absent."""
    value = (value or "").strip()
    if not value:
        return None
    if value.startswith(PEM_MARK):
        return value.encode("ascii")
    path = Path(value)
    if not path.is_file():
        return None
    return path.read_bytes()


def key_id_of(certificate: x509.Certificate) -> str:
    public_key = certificate.public_key()
    assert isinstance(
        public_key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
    )
    return key_id_of_public(public_key)


def _describe(certificate: x509.Certificate, *, current: bool) -> BodyCertificate:
    key = certificate.public_key()
    if isinstance(key, ed25519.Ed25519PublicKey):
        purpose, algorithm = "text", "Ed25519"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        purpose, algorithm = "pdf", f"ECDSA {key.curve.name}"
    else:
        purpose, algorithm = "pdf", f"{type(key).__name__.removesuffix('PublicKey')}"
    return BodyCertificate(
        key_id=key_id_of(certificate),
        purpose=purpose,
        current=current,
        subject=certificate.subject.rfc4514_string(),
        algorithm=algorithm,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(":").upper(),
        certificate=certificate,
    )


def _certificates(value: str) -> list[x509.Certificate]:
    data = _pem(value)
    return x509.load_pem_x509_certificates(data) if data else []


def body_certificates() -> list[BodyCertificate]:
    """Current certificates first (text, then PDF), then the retired ones, each key once."""
    seen: set[str] = set()
    listed: list[BodyCertificate] = []
    sources = [(settings.COMMUNIQUE_TEXT_CERT, True), (settings.COMMUNIQUE_PDF_CERT, True)]
    sources += [(value, False) for value in settings.COMMUNIQUE_RETIRED_CERTS]
    for value, current in sources:
        for certificate in _certificates(value)[:1] if current else _certificates(value):
            described = _describe(certificate, current=current)
            if described.key_id not in seen:
                seen.add(described.key_id)
                listed.append(described)
    return listed


def body_certificate(key_id: str) -> BodyCertificate | None:
    return next((cert for cert in body_certificates() if cert.key_id == key_id), None)


@dataclass(frozen=True, slots=True)
class SigningKeys:
    text_key: ed25519.Ed25519PrivateKey
    text_cert: x509.Certificate
    pdf_key_pem: bytes
    pdf_cert_pem: bytes

    @property
    def text_key_id(self) -> str:
        return key_id_of(self.text_cert)


def signing_keys() -> SigningKeys:
    """The current private keys; ApplicationError when they are not configured."""
    text_key = _pem(settings.COMMUNIQUE_TEXT_KEY)
    text_cert = _certificates(settings.COMMUNIQUE_TEXT_CERT)
    pdf_key = _pem(settings.COMMUNIQUE_PDF_KEY)
    pdf_cert = _pem(settings.COMMUNIQUE_PDF_CERT)
    if not (text_key and text_cert and pdf_key and pdf_cert):
        raise ApplicationError(
            "The body's signing keys are not configured (COMMUNIQUE_TEXT_KEY, "
            "COMMUNIQUE_TEXT_CERT, COMMUNIQUE_PDF_KEY, COMMUNIQUE_PDF_CERT)."
        )
    key = serialization.load_pem_private_key(text_key, password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ApplicationError("COMMUNIQUE_TEXT_KEY must be an Ed25519 private key.")
    if key_id_of(text_cert[0]) != key_id_of_public(key.public_key()):
        raise ApplicationError("COMMUNIQUE_TEXT_CERT does not certify COMMUNIQUE_TEXT_KEY.")
    return SigningKeys(
        text_key=key, text_cert=text_cert[0], pdf_key_pem=pdf_key, pdf_cert_pem=pdf_cert
    )


def key_id_of_public(
    public_key: ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
) -> str:
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()[:16]


# --- Making keys: the demo's and the tests' (a real body brings its own) ---------------


def _self_signed(
    key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey,
    *,
    common_name: str,
    not_before: dt.datetime,
    days: int,
) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Crisis Consultation Body"),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm)


def _private_pem(key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def key_files_write(
    directory: Path, *, label: str = "", not_before: dt.datetime | None = None, days: int = 730
) -> dict[str, Path]:
    """A fresh Ed25519 key and a P-256 key, each with a self-signed certificate, as PEM files."""
    directory.mkdir(parents=True, exist_ok=True)
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    text_key = ed25519.Ed25519PrivateKey.generate()
    pdf_key = ec.generate_private_key(ec.SECP256R1())
    suffix = f" {label}".rstrip()
    files = {
        "text_key": directory / "text-key.pem",
        "text_cert": directory / "text-cert.pem",
        "pdf_key": directory / "pdf-key.pem",
        "pdf_cert": directory / "pdf-cert.pem",
    }
    text_cert = _self_signed(
        text_key, common_name=f"Communiqué text signing{suffix}", not_before=start, days=days
    )
    pdf_cert = _self_signed(
        pdf_key, common_name=f"Communiqué PDF signing{suffix}", not_before=start, days=days
    )
    files["text_key"].write_bytes(_private_pem(text_key))
    files["pdf_key"].write_bytes(_private_pem(pdf_key))
    files["text_cert"].write_bytes(text_cert.public_bytes(serialization.Encoding.PEM))
    files["pdf_cert"].write_bytes(pdf_cert.public_bytes(serialization.Encoding.PEM))
    for private in ("text_key", "pdf_key"):
        files[private].chmod(0o600)
    return files


def demo_keys_ensure() -> bool:
    """Write the demo keys under var/ when the settings are the embedded default and no
    key is there yet; True when written. A deployment's own keys are never touched."""
    directory = Path(settings.COMMUNIQUE_DEMO_KEYS_DIR)
    defaults = {
        settings.COMMUNIQUE_TEXT_KEY: directory / "text-key.pem",
        settings.COMMUNIQUE_TEXT_CERT: directory / "text-cert.pem",
        settings.COMMUNIQUE_PDF_KEY: directory / "pdf-key.pem",
        settings.COMMUNIQUE_PDF_CERT: directory / "pdf-cert.pem",
    }
    if any(Path(value) != path for value, path in defaults.items()):
        return False
    if any(path.exists() for path in defaults.values()):
        return False
    key_files_write(directory, label="(demo)")
    return True
