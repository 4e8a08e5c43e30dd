"""The secretariat's leak tracer page (briefings:pack_trace): upload, result (in the reader's
language), refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from audit.models import AuditEntry
from members.services.profiles import profile_language_set
from tests.briefings.packs import Table, build_packs, copy_of
from tests.briefings.trace_leaks import copy_bytes, leaked_jpeg
from tests.factories import analyst_user

pytestmark = pytest.mark.django_db
URL = reverse("briefings:pack_trace")


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_secretariat_uploads_a_cropped_jpeg_and_sees_whose_copy_it_was(
    table: Table, tmp_path: Path, django_assert_max_num_queries
) -> None:
    build_packs(table.session, only=[table.user("USA")])
    pack = copy_of(table.user("USA"), table.session)
    client = signed_in(table.secretary)
    assert client.get(URL).status_code == 200

    upload = SimpleUploadedFile("photo.jpg", leaked_jpeg(copy_bytes(pack), tmp_path))
    # A fixed number of queries: the session, the user, the copy, the audit entry.
    with django_assert_max_num_queries(20):
        response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert str(pack.public_id) in page
    assert "Alice Anderson (delegate-usa)" in page
    assert "Found in</dt><dd>the dot mark" in page
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.TRACE, user=table.secretary).exists()


@pytest.mark.parametrize(
    ("language", "found_in"),
    [
        ("ru", "Найден в</dt><dd>текстовом слое страницы 1"),
        ("fr", "Trouvé dans</dt><dd>la couche de texte de la page 1"),
    ],
)
def test_the_secretariat_reads_where_the_id_was_found_in_its_language(
    table: Table, language: str, found_in: str
) -> None:
    """A copy's pages alone in a new PDF (no metadata): the text layer of its first page."""
    build_packs(table.session, only=[table.user("USA")])
    pack = copy_of(table.user("USA"), table.session)
    pages_only = PdfWriter()
    pages_only.add_page(PdfReader(io.BytesIO(copy_bytes(pack))).pages[0])
    bare = io.BytesIO()
    pages_only.write(bare)
    profile_language_set(user=table.secretary, language=language)
    response = signed_in(table.secretary).post(
        URL, {"file": SimpleUploadedFile("pages.pdf", bare.getvalue())}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert found_in in page
    assert "the text layer" not in page
    # The audit trail is written in English whoever traces.
    summary = AuditEntry.objects.get(kind=AuditEntry.Kind.TRACE).summary
    assert summary.endswith("by the text layer of page 1")


def test_a_page_without_a_mark_says_nothing_was_found(table: Table) -> None:
    picture = Image.new("RGB", (1240, 1400), "white")
    ImageDraw.Draw(picture).rectangle((100, 100, 1100, 300), fill="black")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    png = buffer.getvalue()
    response = signed_in(table.secretary).post(URL, {"file": SimpleUploadedFile("logo.png", png)})
    assert response.status_code == 200
    assert "mark was found: the file is not from a delegate" in response.content.decode()


def test_bad_input_is_refused_on_the_form(table: Table, settings) -> None:
    client = signed_in(table.secretary)
    response = client.post(URL, {"file": SimpleUploadedFile("leak.jpg", b"<html>hello</html>")})
    assert response.status_code == 400
    assert "is not a PDF, PNG or JPEG file" in response.content.decode()
    assert client.post(URL, {}).status_code == 400
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10
    response = client.post(URL, {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 20)})
    assert response.status_code == 400
    assert "Upload at most" in response.content.decode()
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.TRACE).exists()


def test_nobody_but_the_secretariat_finds_the_page(table: Table) -> None:
    for user in (table.user("USA"), analyst_user(), table.outsider):
        client = signed_in(user)
        assert client.get(URL).status_code == 404
        upload = SimpleUploadedFile("x.pdf", b"%PDF-1.7")
        assert client.post(URL, {"file": upload}).status_code == 404
    response = Client().get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.TRACE).exists()
