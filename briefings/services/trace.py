"""Tracing a leaked page back to the copy it came from (docs/architecture.md).

Given a PDF, a PNG or a JPEG, ``pack_trace`` looks for a copy's id where
``pdf_stamp`` put it, in this order: the XMP metadata and the document
information (a re-saved PDF keeps them), the invisible text layer, and the
dot mark of ``pdf_mark`` on the page's picture (``trace_image``): a scan or
photograph, a PNG or JPEG, the images of a scanned PDF, or a PDF's pages
rasterised at 150 dpi. The first id that names a copy on the platform wins;
an id that names none (a forged or foreign file) is reported as such.
Only the secretariat may trace; every trace is audited.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from agenda.uploads import max_upload_bytes
from audit.models import AuditEntry
from audit.services import audit_record
from briefings.models import Pack
from briefings.services.pdf_stamp import COPY_TEXT_PREFIX, PACK_ID_KEY
from briefings.services.trace_image import read_mark
from consult.access import require_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError

UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
XMP_COPY = re.compile(rf"<consult:copy>({UUID_PATTERN})</consult:copy>".encode())
TEXT_COPY = re.compile(rf"(?:{COPY_TEXT_PREFIX}|Pack )({UUID_PATTERN})")
MAX_PIXELS = 60_000_000  # a page at 600 dpi is 35 million
MIN_PICTURE_PIXELS = 400 * 400  # a smaller image in a PDF is a logo, not a scanned page
PDF_PAGES_TRACED = 4  # every page has the mark: a few suffice (metadata and text: all)
RASTER_DPI = 150
RASTER_SECONDS = 60


# The places a copy's id is read from, worded when shown (``Finding.where``).
PLACES = {
    "xmp": gettext_lazy("the document's XMP metadata"),
    "information": gettext_lazy("the document information"),
    "text": gettext_lazy("the text layer of page %(page)s"),
    "mark": gettext_lazy("the dot mark"),
    "page_mark": gettext_lazy("the dot mark on page %(page)s"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    copy_id: uuid.UUID
    place: str
    """One of ``PLACES``."""
    page: int | None = None

    @property
    def where(self) -> str:
        """Where the id was read, in the active language ("the dot mark on page 3")."""
        return PLACES[self.place] % {"page": self.page}


@dataclass(frozen=True, slots=True)
class TraceResult:
    pack: Pack | None
    findings: list[Finding]
    """Every id found, in the order tried (a wrong or forged one included); the last names
    the copy when one was found."""

    @property
    def found(self) -> bool:
        return self.pack is not None

    @property
    def where(self) -> str:
        """Where the copy's id was read, in the active language; empty when none was."""
        return self.findings[-1].where if self.pack is not None else ""


# Reading the file (no database)


def file_kind(data: bytes, *, filename: str) -> str:
    """``pdf``, ``png`` or ``jpeg`` from the bytes; ApplicationError for anything else."""
    limit = max_upload_bytes()
    if len(data) > limit:
        size = filesizeformat(limit)
        raise ApplicationError(
            _("“%(filename)s” is larger than %(size)s.") % {"filename": filename, "size": size},
            fields={"file": [_("Upload at most %(size)s.") % {"size": size}]},
        )
    if not data:
        raise ApplicationError(
            _("“%(filename)s” is empty.") % {"filename": filename},
            fields={"file": [_("The file is empty.")]},
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    raise ApplicationError(
        _("“%(filename)s” is not a PDF, PNG or JPEG file (judged by its content, not its name).")
        % {"filename": filename},
        fields={"file": [_("Upload a PDF of the pack, or a PNG or JPEG picture of a page.")]},
    )


def _image(data: bytes, *, filename: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ApplicationError(
                _(
                    "“%(filename)s” is %(width)s by %(height)s pixels, more than a page "
                    "scanned at 600 dpi; scale it down first."
                )
                % {"filename": filename, "width": image.width, "height": image.height},
                fields={"file": [_("The picture is too large.")]},
            )
        image.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        raise ApplicationError(
            _("“%(filename)s” could not be read as a picture (%(error)s).")
            % {"filename": filename, "error": type(exc).__name__},
            fields={"file": [_("The picture is damaged or not a picture.")]},
        ) from exc
    return ImageOps.exif_transpose(image)  # a photograph taken upright reads upright


def _pdf(data: bytes, *, filename: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ApplicationError(
                _("“%(filename)s” is password-protected; remove the password first.")
                % {"filename": filename},
                fields={"file": [_("The PDF is password-protected.")]},
            )
        len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ApplicationError(
            _("“%(filename)s” could not be read as a PDF (%(error)s).")
            % {"filename": filename, "error": type(exc).__name__},
            fields={"file": [_("The PDF is damaged.")]},
        ) from exc
    return reader


def _metadata_ids(reader: PdfReader) -> Iterator[Finding]:
    try:
        metadata = reader.root_object.get("/Metadata")
        xmp = metadata.get_object().get_data() if metadata is not None else b""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        xmp = b""
    if isinstance(xmp, bytes):
        for match in XMP_COPY.finditer(xmp):
            yield Finding(uuid.UUID(match.group(1).decode()), "xmp")
    info: Any = reader.metadata or {}
    value = str(info.get(PACK_ID_KEY, ""))
    if re.fullmatch(UUID_PATTERN, value):
        yield Finding(uuid.UUID(value), "information")


def _text_ids(reader: PdfReader) -> Iterator[Finding]:
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text()
        except (PyPdfError, ValueError, KeyError, TypeError):
            continue
        for match in TEXT_COPY.finditer(text):
            yield Finding(uuid.UUID(match.group(1)), "text", number)


def _page_pictures(reader: PdfReader, data: bytes) -> Iterator[tuple[int, Image.Image]]:
    """Each page's pictures: a scanned page's own image, then the page rasterised."""
    pages = min(len(reader.pages), PDF_PAGES_TRACED)
    for number in range(1, pages + 1):
        try:
            images = list(reader.pages[number - 1].images)
        except (PyPdfError, OSError, ValueError, KeyError, TypeError):
            images = []
        for embedded in images:
            try:
                picture = embedded.image
            except (OSError, ValueError, UnidentifiedImageError):
                continue
            pixels = picture.width * picture.height if picture is not None else 0
            if picture is not None and MIN_PICTURE_PIXELS <= pixels <= MAX_PIXELS:
                yield number, picture
        rasterised = _rasterise(data, number)
        if rasterised is not None:
            yield number, rasterised


def _rasterise(data: bytes, page: int) -> Image.Image | None:
    """Page ``page`` at 150 dpi by poppler's ``pdftoppm`` (None where it is not installed)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        command = [tool, "-r", str(RASTER_DPI), "-f", str(page), "-l", str(page), "-gray"]
        command += ["-png", "-singlefile", str(source), str(Path(folder) / "page")]
        try:
            # The file is passed by path to a fixed tool, never through a shell.
            subprocess.run(command, check=True, capture_output=True, timeout=RASTER_SECONDS)  # noqa: S603 - fixed tool
            with Image.open(Path(folder) / "page.png") as picture:
                picture.load()
                return picture.copy()
        except (subprocess.SubprocessError, OSError):
            return None


def trace_findings(data: bytes, *, filename: str) -> Iterator[Finding]:
    """Every copy id in the file, cheapest place first; ApplicationError for bad input."""
    kind = file_kind(data, filename=filename)
    if kind != "pdf":
        copy_id = read_mark(_image(data, filename=filename)).copy_id
        if copy_id is not None:
            yield Finding(copy_id, "mark")
        return
    reader = _pdf(data, filename=filename)
    yield from _metadata_ids(reader)
    yield from _text_ids(reader)
    for number, picture in _page_pictures(reader, data):
        copy_id = read_mark(picture).copy_id
        if copy_id is not None:
            yield Finding(copy_id, "page_mark", number)


# The service


@transaction.atomic
def pack_trace(*, user: Actor | None, data: bytes, filename: str) -> TraceResult:
    """The copy a leaked file or picture came from, if it carries one; audited.

    ``user`` None is the platform's operator (``manage.py trace_leak``).
    """
    require_secretariat(user, _("trace a leaked briefing pack"))
    findings: list[Finding] = []
    pack: Pack | None = None
    for finding in trace_findings(data, filename=filename):
        findings.append(finding)
        pack = (
            Pack.objects.select_related("user", "party", "session")
            .filter(public_id=finding.copy_id)
            .first()
        )
        if pack is not None:
            break
    result = TraceResult(pack=pack, findings=findings)
    if pack is not None:
        with translation.override("en"):  # the audit trail is written in English
            where = result.where
        summary = f"Traced “{filename[:80]}” to copy {pack.public_id} by {where}"
    elif findings:
        summary = f"“{filename[:80]}” carries copy id {findings[0].copy_id}, no copy's here"
    else:
        summary = f"No copy's mark found in “{filename[:80]}”"
    audit_record(
        kind=AuditEntry.Kind.TRACE,
        user=user,
        obj=pack,
        summary=summary,
        outcome=AuditEntry.Outcome.SUCCESS if pack else AuditEntry.Outcome.FAILURE,
    )
    return result
