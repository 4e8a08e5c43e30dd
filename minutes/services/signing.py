"""Signed communiqués: every published version is issued twice over, verifiably.

- Its canonical JSON (``canonical_json``, documented in docs/architecture.md)
  signed with the body's Ed25519 key: a detached signature, base64.
- A PDF of the text signed with a PAdES signature (pyHanko) under the body's
  PDF certificate, time-stamped when ``COMMUNIQUE_TSA_URL`` is set. The
  signature's /Reason names the communiqué and the version, so the file
  says what it is without the database.

Verification (``communique_verify``) accepts either a PDF or a JSON envelope
``{"canonical": ..., "signature": ..., "key_id": ...}`` and trusts only the
body's certificates in settings (current and retired); it never changes a row.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC
from io import BytesIO
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

from agenda.uploads import max_upload_bytes
from consult import parallel
from consult.errors import ApplicationError
from consult.pdf import PdfError, render_pdf
from minutes.keys import body_certificate, body_certificates, key_id_of, signing_keys
from minutes.models import Communique, CommuniqueSignature, CommuniqueVersion
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.communiques import communique_footnotes

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
REASON = re.compile(
    r"^Communiqué (?P<id>[0-9a-f-]{36}), version (?P<version>\d+), "
    r"published by the Crisis Consultation Body$"
)


def _published_at(communique: Communique) -> str:
    assert communique.published_at is not None
    return communique.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pdf_context(communique: Communique, version: CommuniqueVersion) -> dict[str, Any]:
    """What the signed PDF shows: the text as its page shows it, in its authoritative
    language only (translations are never signed)."""
    return {
        "communique": communique,
        "version": parallel.version_for(communique, COMMUNIQUE_PARALLEL, communique.language),
        "signed_version": version,
        "footnotes": communique_footnotes(communique),
    }


def canonical_json(communique: Communique, version: CommuniqueVersion) -> str:
    """The canonical JSON of a published version: sorted keys, no insignificant
    whitespace, non-ASCII characters as themselves (encoded UTF-8 when signed)."""
    document: dict[str, Any] = {
        "id": str(communique.public_id),
        "version": version.number,
        # The authoritative text's language: translations are never signed.
        "language": communique.language,
        "title": communique.published_title,
        "preamble": communique.published_preamble,
        "text": version.text,
        "footnotes": [
            {"number": note.number, "party": note.party_code, "text": note.text}
            for note in communique_footnotes(communique)
        ],
        "published_at": _published_at(communique),
    }
    return canonical_dumps(document)


def canonical_dumps(document: Any) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _reason(communique: Communique, version: CommuniqueVersion) -> str:
    return (
        f"Communiqué {communique.public_id}, version {version.number}, "
        "published by the Crisis Consultation Body"
    )


def _sign_pdf(pdf: bytes, *, reason: str, key_pem: bytes, cert_pem: bytes) -> tuple[bytes, bool]:
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificate = next(iter(load_certs_from_pemder_data(cert_pem)))
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),  # type: ignore[no-untyped-call]
    )
    tsa_url = settings.COMMUNIQUE_TSA_URL
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    meta = signers.PdfSignatureMetadata(
        field_name="BodySignature",
        reason=reason,
        name="Crisis Consultation Body",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    out = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer)
    return out.getvalue(), timestamper is not None


@transaction.atomic
def communique_sign(*, version_id: int) -> CommuniqueSignature | None:
    """Sign a published version (idempotent); None when it is not the published one.

    A new published version gets its own signature; earlier ones stay as they are.
    """
    # Locked: two tasks for one version sign it once.
    version = (
        CommuniqueVersion.objects.select_for_update(of=("self",))
        .select_related("communique__session__chair")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        return None
    communique = version.communique
    if (
        communique.status != Communique.Status.PUBLISHED
        or communique.published_version_id != version.pk
    ):
        return None
    existing = CommuniqueSignature.objects.filter(version=version).first()
    if existing is not None:
        return existing
    keys = signing_keys()
    canonical = canonical_json(communique, version)
    signature = keys.text_key.sign(canonical.encode("utf-8"))
    try:
        # One signed copy for every reader: its wording is the platform's default language,
        # whoever published the text.
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_pdf("minutes/communique_pdf.html", pdf_context(communique, version))
    except PdfError as exc:
        raise ApplicationError(
            gettext("The PDF of “%(communique)s” could not be made: %(error)s")
            % {"communique": communique, "error": exc}
        ) from exc
    signed_pdf, timestamped = _sign_pdf(
        pdf,
        reason=_reason(communique, version),
        key_pem=keys.pdf_key_pem,
        cert_pem=keys.pdf_cert_pem,
    )
    pdf_cert = x509.load_pem_x509_certificate(keys.pdf_cert_pem)
    return CommuniqueSignature.objects.create(
        version=version,
        communique=communique,
        canonical=canonical,
        signature=base64.b64encode(signature).decode("ascii"),
        key_id=keys.text_key_id,
        pdf=signed_pdf,
        pdf_sha256=hashlib.sha256(signed_pdf).hexdigest(),
        pdf_key_id=key_id_of(pdf_cert),
        timestamped=timestamped,
    )


def signature_envelope(signature: CommuniqueSignature) -> dict[str, str]:
    """What the API and the JSON download give, and what verification takes back."""
    return {
        "canonical": signature.canonical,
        "signature": signature.signature,
        "key_id": signature.key_id,
        "algorithm": "Ed25519",
    }


# --- Verification -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    genuine: bool
    message: str
    kind: str = ""  # "pdf" or "json"
    communique_id: str = ""
    version: int | None = None
    title: str = ""
    key_id: str = ""
    key_status: str = ""  # "current" or "retired"
    timestamped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "genuine": self.genuine,
            "message": self.message,
            "kind": self.kind,
            "communique": self.communique_id or None,
            "version": self.version,
            "title": self.title,
            "key_id": self.key_id or None,
            "key_status": self.key_status or None,
            "timestamped": self.timestamped,
        }


def _refused(message: str, *, kind: str) -> Verdict:
    return Verdict(genuine=False, message=message, kind=kind)


def _verify_json(data: bytes) -> Verdict:
    try:
        envelope = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refused(gettext("Not a PDF and not a JSON signature envelope."), kind="")
    if not isinstance(envelope, dict) or not all(
        isinstance(envelope.get(key), str) for key in ("canonical", "signature", "key_id")
    ):
        return _refused(
            gettext(
                "A JSON file must be the signature envelope "
                '{"canonical": ..., "signature": ..., "key_id": ...}.'
            ),
            kind="json",
        )
    certificate = body_certificate(envelope["key_id"])
    if certificate is None or certificate.purpose != "text":
        return _refused(
            gettext("Key %(key)s is not one of the body's text-signing keys.")
            % {"key": repr(envelope["key_id"][:40])},
            kind="json",
        )
    public_key = certificate.certificate.public_key()
    assert isinstance(public_key, ed25519.Ed25519PublicKey)
    try:
        signature = base64.b64decode(envelope["signature"], validate=True)
        public_key.verify(signature, envelope["canonical"].encode("utf-8"))
    except (binascii.Error, ValueError, InvalidSignature):
        return _refused(
            gettext(
                "The signature does not match the text: it was altered or not signed by the body."
            ),
            kind="json",
        )
    document = json.loads(envelope["canonical"])
    return Verdict(
        genuine=True,
        message=gettext("An unaltered text published by the Crisis Consultation Body."),
        kind="json",
        communique_id=str(document.get("id", "")),
        version=document.get("version"),
        title=str(document.get("title", "")),
        key_id=certificate.key_id,
        key_status=certificate.status,
    )


def _verify_pdf(data: bytes) -> Verdict:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfError as HankoPdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    certificates = {cert.key_id: cert for cert in body_certificates() if cert.purpose == "pdf"}
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (HankoPdfError, ValueError, KeyError, TypeError) as exc:
        return _refused(gettext("The PDF cannot be read: %(error)s") % {"error": exc}, kind="pdf")
    if len(signatures) != 1:
        return _refused(
            gettext("The PDF carries no signature of the body.")
            if not signatures
            else gettext("The PDF carries more than one signature; the body signs its texts once."),
            kind="pdf",
        )
    embedded = signatures[0]
    signer = embedded.signer_cert
    signer_cert = x509.load_der_x509_certificate(signer.dump())
    key = certificates.get(key_id_of(signer_cert))
    if key is None:
        return _refused(
            gettext("The PDF is signed, but not with one of the body's keys."), kind="pdf"
        )
    roots = [
        asn1_x509.Certificate.load(cert.certificate.public_bytes(serialization.Encoding.DER))
        for cert in certificates.values()
    ]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except (SignatureValidationError, PathBuildingError, PathValidationError, ValueError) as exc:
        return _refused(
            gettext("The PDF's signature is not valid: %(error)s") % {"error": exc}, kind="pdf"
        )
    from pyhanko.sign.validation import SignatureCoverageLevel

    if not (status.intact and status.valid):
        return _refused(
            gettext("The PDF was altered after it was signed: its signature no longer matches."),
            kind="pdf",
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _refused(
            gettext(
                "The PDF was changed after it was signed (content was added after the signature)."
            ),
            kind="pdf",
        )
    if not status.trusted:
        return _refused(gettext("The PDF's signing certificate is not trusted."), kind="pdf")
    match = REASON.match(str(embedded.sig_object.get("/Reason", "")))
    if match is None:
        return _refused(
            gettext("The PDF is signed by the body but names no communiqué."), kind="pdf"
        )
    return Verdict(
        genuine=True,
        message=gettext("An unaltered PDF published by the Crisis Consultation Body."),
        kind="pdf",
        communique_id=match["id"],
        version=int(match["version"]),
        key_id=key.key_id,
        key_status=key.status,
        timestamped=status.timestamp_validity is not None,
    )


def communique_verify(*, data: bytes) -> Verdict:
    """Whether ``data`` (a PDF or a JSON envelope) is a genuine, unaltered text of the body."""
    if not data:
        raise ApplicationError(
            gettext("The file is empty."), fields={"file": [gettext("The file is empty.")]}
        )
    limit = max_upload_bytes()
    if len(data) > limit:
        raise ApplicationError(
            gettext("The file is larger than the %(size)s allowed.")
            % {"size": filesizeformat(limit)},
            fields={"file": [gettext("The file is too large.")]},
        )
    if data.lstrip()[:1] == b"{":
        verdict = _verify_json(data)
    elif PDF_MAGIC in data[:1024]:
        verdict = _verify_pdf(data)
    else:
        raise ApplicationError(
            gettext("Upload a PDF or a JSON signature envelope; this file is neither."),
            fields={"file": [gettext("Not a PDF or a JSON signature envelope.")]},
        )
    if not verdict.genuine:
        return verdict
    published = (
        Communique.objects.filter(
            public_id=verdict.communique_id, status=Communique.Status.PUBLISHED
        )
        .values_list("published_title", flat=True)
        .first()
    )
    return replace(verdict, title=published or verdict.title)


def communiques_sign_pending() -> int:
    """Sign every published version a lost task left unsigned (Redis down at publication,
    a worker killed mid-way); returns how many were signed. Beat runs it; without keys it
    signs nothing and says so once."""
    pending = list(
        CommuniqueVersion.objects.filter(
            communique__status=Communique.Status.PUBLISHED,
            communique__published_version=F("pk"),
            signature__isnull=True,
        ).values_list("pk", flat=True)
    )
    signed = 0
    for version_id in pending:
        try:
            if communique_sign(version_id=version_id) is not None:
                signed += 1
        except ApplicationError as error:
            logger.warning("%s published text(s) left unsigned: %s", len(pending), error)
            break
    return signed
