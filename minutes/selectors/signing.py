"""Reads of the body's signatures: public for published texts, absent otherwise."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from consult.actors import Actor
from minutes.keys import BodyCertificate, body_certificate, body_certificates
from minutes.models import Communique, CommuniqueSignature
from minutes.selectors.communiques import communique_get


def communique_signature_of(communique: Communique) -> CommuniqueSignature | None:
    """The signature of a published text's published version; None while it is being made
    or for any text that is not published."""
    if communique.status != Communique.Status.PUBLISHED or communique.published_version_id is None:
        return None
    return (
        CommuniqueSignature.objects.filter(
            communique=communique, version_id=communique.published_version_id
        )
        .defer("pdf")
        .first()
    )


def communique_signature_get(
    user: Actor, *, public_id: UUID | str, with_pdf: bool = False
) -> CommuniqueSignature:
    """The public signature of a published communiqué, or 404 (drafts have none)."""
    communique = communique_get(user, public_id=public_id)
    signature = None
    if communique.status == Communique.Status.PUBLISHED:
        rows = CommuniqueSignature.objects.filter(
            communique=communique, version_id=communique.published_version_id
        ).select_related("version", "communique")
        signature = (rows if with_pdf else rows.defer("pdf")).first()
    if signature is None:
        raise Http404("Not found.")
    return signature


def signing_certificate_list() -> list[BodyCertificate]:
    """The body's certificates (current and retired) from settings; the same for everyone."""
    return body_certificates()


def signing_certificate_get(key_id: str) -> BodyCertificate:
    certificate = body_certificate(key_id)
    if certificate is None:
        raise Http404("Not found.")
    return certificate
