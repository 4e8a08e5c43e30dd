"""Public pages of the body's signatures: the signed PDF and JSON of a published text,
the body's keys and certificates, and a page that verifies an uploaded file."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agenda.uploads import max_upload_bytes
from consult.errors import ApplicationError
from minutes.forms import VerifyUploadForm
from minutes.selectors import signing as signing_selectors
from minutes.services import signing as signing_services


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def communique_signed_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    signature = signing_selectors.communique_signature_get(
        request.user, public_id=public_id, with_pdf=True
    )
    return _attachment(
        HttpResponse(bytes(signature.pdf), content_type="application/pdf"),
        f"communique-{public_id}-v{signature.version.number}.pdf",
    )


def communique_signed_json(request: HttpRequest, public_id: str) -> HttpResponse:
    signature = signing_selectors.communique_signature_get(request.user, public_id=public_id)
    body = json.dumps(signing_services.signature_envelope(signature), ensure_ascii=False, indent=2)
    return _attachment(
        HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8"),
        f"communique-{public_id}-v{signature.version.number}.json",
    )


def signing_key_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "minutes/signing_keys.html",
        {"certificates": signing_selectors.signing_certificate_list()},
    )


def signing_key_pem(request: HttpRequest, key_id: str) -> HttpResponse:
    certificate = signing_selectors.signing_certificate_get(key_id)
    return _attachment(
        HttpResponse(certificate.pem, content_type="application/x-pem-file"),
        f"consult-{certificate.purpose}-{key_id}.pem",
    )


@require_http_methods(["GET", "POST"])
def communique_verify(request: HttpRequest) -> HttpResponse:
    """Verify an uploaded file; the checks are the service's, this page only carries them."""
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    verdict = None
    status = 200
    limit = max_upload_bytes()
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > limit:
                    raise ApplicationError(
                        _("The file is larger than the %(size)s allowed.")
                        % {"size": filesizeformat(limit)},
                        fields={"file": [_("The file is too large.")]},
                    )
                verdict = signing_services.communique_verify(data=upload.read())
            except ApplicationError as error:
                form.add_error("file", error.message)
        if not form.is_valid():
            status = 400
        elif verdict is not None and not verdict.genuine:
            status = 422
    return render(
        request,
        "minutes/communique_verify.html",
        {"form": form, "verdict": verdict, "limit": limit},
        status=status,
    )
