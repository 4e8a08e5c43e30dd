"""API of the body's signatures: ``/api/v1/communiques/{id}/signature/`` (the canonical JSON,
its Ed25519 signature and key, the signed PDF's address) and ``/api/v1/signing-keys/``
(the body's certificates, current and retired). Both are public; keys come from settings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from minutes.keys import BodyCertificate
from minutes.selectors import signing as signing_selectors
from minutes.services.signing import signature_envelope


class CommuniqueSignatureSerializer(serializers.Serializer[Any]):
    communique = serializers.UUIDField()
    version = serializers.IntegerField()
    canonical = serializers.CharField(help_text="The canonical JSON, exactly as signed (UTF-8).")
    signature = serializers.CharField(help_text="Detached Ed25519 signature, base64.")
    key_id = serializers.CharField()
    algorithm = serializers.CharField()
    pdf = serializers.CharField(help_text="The PDF signed with a PAdES signature.")
    pdf_key_id = serializers.CharField()
    timestamped = serializers.BooleanField()
    signed_at = serializers.DateTimeField()


def signature_data(signature: Any, request: Request) -> dict[str, Any]:
    public_id = signature.communique.public_id
    return {
        "communique": public_id,
        "version": signature.version.number,
        **signature_envelope(signature),
        "pdf": request.build_absolute_uri(
            reverse("minutes:communique_signed_pdf", kwargs={"public_id": public_id})
        ),
        "pdf_key_id": signature.pdf_key_id,
        "timestamped": signature.timestamped,
        "signed_at": signature.created_at,
    }


class SigningKeySerializer(serializers.Serializer[Any]):
    key_id = serializers.CharField()
    purpose = serializers.ChoiceField(choices=["text", "pdf"])
    status = serializers.ChoiceField(choices=["current", "retired"])
    subject = serializers.CharField()
    algorithm = serializers.CharField()
    not_before = serializers.DateTimeField()
    not_after = serializers.DateTimeField()
    fingerprint_sha256 = serializers.CharField()
    pem = serializers.CharField()


def _key_data(certificate: BodyCertificate) -> dict[str, Any]:
    return {
        "key_id": certificate.key_id,
        "purpose": certificate.purpose,
        "status": certificate.status,
        "subject": certificate.subject,
        "algorithm": certificate.algorithm,
        "not_before": certificate.not_before,
        "not_after": certificate.not_after,
        "fingerprint_sha256": certificate.fingerprint_sha256,
        "pem": certificate.pem,
    }


class SigningKeyViewSet(viewsets.ViewSet):
    """The body's signing certificates, current and retired (from settings, never the database)."""

    permission_classes = [AllowAny]
    lookup_field = "key_id"
    lookup_value_regex = "[0-9a-f]{16}"

    @extend_schema(responses=SigningKeySerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response([_key_data(cert) for cert in signing_selectors.signing_certificate_list()])

    @extend_schema(responses=SigningKeySerializer)
    def retrieve(self, request: Request, key_id: str) -> Response:
        return Response(_key_data(signing_selectors.signing_certificate_get(key_id)))
