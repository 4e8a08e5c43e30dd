"""Tracing a leaked copy (briefings/services/trace.py), tried as a leaker would leak one:
a page rasterised by pdftoppm at 150 dpi, its header and footer cropped away, saved as
JPEG at quality 70, traced back to the right copy among 40; a re-saved PDF; a scan
wrapped in a PDF. Plain WeasyPrint output traces to nothing."""

from __future__ import annotations

import io
import random
import uuid
from datetime import UTC
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from audit.models import AuditEntry
from briefings.models import PackRender
from briefings.services import pdf_mark
from briefings.services.trace import Finding, pack_trace
from consult.errors import ApplicationError
from consult.pdf import html_to_pdf
from tests.briefings.packs import Table, build_packs, copy_of, read
from tests.briefings.trace_leaks import build_forty_copies, copy_bytes, leaked_jpeg
from tests.factories import analyst_user

pytestmark = pytest.mark.django_db


def test_a_cropped_jpeg_of_a_page_names_its_copy_among_forty(table: Table, tmp_path: Path) -> None:
    copies = build_forty_copies(table)
    us_render = copy_of(table.user("USA"), table.session).render
    assert sum(1 for pack in copies if pack.render_id == us_render.pk) == 39  # one render
    assert us_render.page_count >= 3
    leaked = next(pack for pack in copies if pack.user.username == "delegate-usa-17")

    jpeg = leaked_jpeg(copy_bytes(leaked), tmp_path)
    assert Image.open(io.BytesIO(jpeg)).size == (1240, 1450)
    result = pack_trace(user=table.secretary, data=jpeg, filename="leak.jpg")

    assert result.pack == leaked
    assert result.where == "the dot mark"
    assert result.pack.user.get_full_name() == "Adviser 17"
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.TRACE)
    assert entry.outcome == AuditEntry.Outcome.SUCCESS
    assert str(leaked.public_id) in entry.summary

    # A page of another delegation's copy (another render) names that copy.
    russian = copy_of(table.user("RUS"), table.session)
    assert russian.render_id != us_render.pk
    jpeg = leaked_jpeg(copy_bytes(russian), tmp_path, page=2)
    assert pack_trace(user=table.secretary, data=jpeg, filename="ru.jpg").pack == russian

    # manage.py trace_leak says the same, over the same service.
    (tmp_path / "leak.jpg").write_bytes(leaked_jpeg(copy_bytes(leaked), tmp_path))
    out = io.StringIO()
    call_command("trace_leak", str(tmp_path / "leak.jpg"), stdout=out)
    assert f"Copy {leaked.public_id}" in out.getvalue()
    assert "Adviser 17 (delegate-usa-17), Delegation of" in out.getvalue()
    assert "found in:   the dot mark" in out.getvalue()
    assert leaked.stamped_at is not None
    assert f"issued:     {leaked.stamped_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC\n" in out.getvalue()


def test_untouched_weasyprint_output_traces_to_nothing(table: Table, tmp_path: Path) -> None:
    build_packs(table.session, only=[table.user("USA")])
    render = PackRender.objects.filter(session=table.session, status="ready").first()
    assert render is not None
    plain = html_to_pdf(
        "<h1>Briefing</h1>" + "<p>ceasefire corridor verification dialogue</p>" * 200
    )
    for pdf in (plain, read(render.file)):  # the render: WeasyPrint with empty stamp slots
        for data, name in ((pdf, "plain.pdf"), (leaked_jpeg(pdf, tmp_path, page=2), "p.jpg")):
            result = pack_trace(user=table.secretary, data=data, filename=name)
            assert result.pack is None, name
            assert result.findings == [], name
    assert (
        AuditEntry.objects.filter(
            kind=AuditEntry.Kind.TRACE, outcome=AuditEntry.Outcome.FAILURE
        ).count()
        == 4
    )

    (tmp_path / "plain.pdf").write_bytes(plain)
    with pytest.raises(CommandError, match=r"No copy's mark was found in plain\.pdf"):
        call_command("trace_leak", str(tmp_path / "plain.pdf"))


def test_a_resaved_or_scanned_pdf_still_names_its_copy(table: Table, tmp_path: Path) -> None:
    build_packs(table.session, only=[table.user("USA")])
    pack = copy_of(table.user("USA"), table.session)
    original = copy_bytes(pack)

    # The copy's XMP keeps WeasyPrint's PDF/UA identification beside the copy's id.
    metadata = PdfReader(io.BytesIO(original)).root_object["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    xmp = metadata.get_data()
    assert b'pdfuaid:part="1"' in xmp
    assert f"<consult:copy>{pack.public_id}</consult:copy>".encode() in xmp

    # Re-saved by pypdf: the XMP metadata survives.
    resaved = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(original))).write(resaved)
    result = pack_trace(user=table.secretary, data=resaved.getvalue(), filename="r.pdf")
    assert (result.pack, result.where) == (pack, "the document's XMP metadata")

    # Its pages alone in a new file (no metadata): the invisible text layer names it.
    pages_only = PdfWriter()
    for page in PdfReader(io.BytesIO(original)).pages[2:3]:
        pages_only.add_page(page)
    bare = io.BytesIO()
    pages_only.write(bare)
    result = pack_trace(user=table.secretary, data=bare.getvalue(), filename="b.pdf")
    assert (result.pack, result.where) == (pack, "the text layer of page 1")

    # A printed and scanned page, filed as a PDF of one image: the dots name it.
    scan = Image.open(io.BytesIO(leaked_jpeg(original, tmp_path)))
    scanned = io.BytesIO()
    scan.save(scanned, "PDF", resolution=150)
    result = pack_trace(user=table.secretary, data=scanned.getvalue(), filename="s.pdf")
    assert (result.pack, result.where) == (pack, "the dot mark on page 1")


@pytest.mark.parametrize(
    ("place", "page", "ru", "fr"),
    [
        ("xmp", None, "метаданных XMP документа", "les métadonnées XMP du document"),
        ("information", None, "сведениях о документе", "les informations du document"),  # noqa: RUF001
        ("text", 2, "текстовом слое страницы 2", "la couche de texte de la page 2"),
        ("mark", None, "сетке точек", "la trame de points"),
        ("page_mark", 3, "сетке точек на странице 3", "la trame de points de la page 3"),
    ],
)
def test_where_an_id_was_read_is_worded_in_the_active_language(
    place: str, page: int | None, ru: str, fr: str
) -> None:
    """A finding keeps the place and the page; its words are the reader's, when shown."""
    finding = Finding(uuid.uuid4(), place, page)
    with translation.override("ru"):
        assert finding.where == ru
    with translation.override("fr"):
        assert finding.where == fr


def test_an_id_that_names_no_copy_is_reported_as_such(table: Table) -> None:
    build_packs(table.session, only=[table.user("USA")])
    forged = io.BytesIO()
    original = copy_bytes(copy_of(table.user("USA"), table.session))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    writer.add_metadata({"/ConsultPackId": str(uuid.UUID(int=7))})
    writer.root_object.pop("/Metadata")
    for page in writer.pages:  # the text layer goes too: only the forged id is left
        page.pop("/Contents")
    writer.write(forged)
    result = pack_trace(user=table.secretary, data=forged.getvalue(), filename="f.pdf")
    assert result.pack is None
    assert [finding.copy_id for finding in result.findings] == [uuid.UUID(int=7)]


def test_only_the_secretariat_traces(table: Table) -> None:
    for user in (table.user("USA"), analyst_user(), table.outsider):
        with pytest.raises(PermissionDenied):
            pack_trace(user=user, data=b"%PDF-1.7", filename="x.pdf")
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.TRACE).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"<html><body>a page</body></html>", "is not a PDF, PNG or JPEG file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not be read as a picture"),
        (b"\xff\xd8\xff\xe0broken", "could not be read as a picture"),
        (b"%PDF-1.7\nnot really a PDF", "could not be read as a PDF"),
    ],
)
def test_bad_input_is_refused_clearly(table: Table, data: bytes, message: str) -> None:
    with pytest.raises(ApplicationError, match=message):
        pack_trace(user=table.secretary, data=data, filename="leak.jpg")
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.TRACE).exists()


def test_a_file_over_the_upload_limit_is_refused(table: Table, settings) -> None:
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ApplicationError, match="is larger than"):
        pack_trace(user=table.secretary, data=b"%PDF-" + b"0" * 1000, filename="big.pdf")


def test_the_mark_corrects_errors_and_rejects_noise() -> None:
    copy_id = uuid.uuid4()
    bits = pdf_mark.bits_from_id(copy_id)
    assert len(bits) == pdf_mark.ROWS * pdf_mark.COLUMNS
    assert 0.3 < sum(bits) / len(bits) < 0.7  # whitened: both dot places are used
    rng = random.Random(1)
    damaged = list(bits)
    for byte in rng.sample(range(32), 8):  # 8 of 32 bytes wrong: the most it corrects
        damaged[8 * byte] ^= 1
    assert pdf_mark.id_from_bits(damaged) == copy_id
    noise = [[rng.getrandbits(1) for _ in bits] for _ in range(200)]
    assert [pdf_mark.id_from_bits(sample) for sample in noise] == [None] * 200
