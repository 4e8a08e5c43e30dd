"""What an uploaded paper really is, judged by its bytes and never by its name.

Papers are PDF, DOCX or ODT. A PDF starts with ``%PDF-``; DOCX and ODT are
ZIP packages, told apart by their parts (``[Content_Types].xml`` and
``word/`` for Word, a first ``mimetype`` entry reading
``application/vnd.oasis.opendocument.text`` for OpenDocument). Anything
else, an HTML page renamed ``.pdf`` included, is refused with a message that
says what the file turned out to be.

Recognised files are then parsed, not only sniffed: a PDF must open in pypdf
and carry no HTML (a PDF/HTML polyglot would be a page in a browser that
sniffs); a DOCX or ODT is judged from its ZIP central directory, without
extracting anything, and refused when its entries would expand past
``DOCUMENT_MAX_EXPANDED_BYTES`` or one entry is compressed more than
``DOCUMENT_MAX_COMPRESSION_RATIO`` times (a 2 MB file that expands to 2 GiB),
or when the package lacks what makes it a word-processing document.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from agenda.models import DocumentVersion
from consult.errors import ApplicationError

Format = DocumentVersion.Format

CONTENT_TYPES: dict[str, str] = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.ODT: "application/vnd.oasis.opendocument.text",
    Format.RICH_TEXT: "text/html; charset=utf-8",
}
EXTENSIONS: dict[str, str] = {
    Format.PDF: "pdf",
    Format.DOCX: "docx",
    Format.ODT: "odt",
    Format.RICH_TEXT: "html",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN_PART = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Markup that makes a browser render a file as a page, wherever it sits in a PDF.
HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|script[\s>]|iframe[\s>])",
    re.IGNORECASE,
)
# Parts of a package read to tell what it is: small XML; a larger one is not a paper's.
PACKAGE_PART_MAX_BYTES = 1024 * 1024
# Entries this small are not worth judging by their compression ratio.
RATIO_MIN_BYTES = 1024 * 1024
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    format: str
    size: int
    sha256: str
    original_filename: str


def max_upload_bytes() -> int:
    return int(settings.DOCUMENT_MAX_UPLOAD_BYTES)


def upload_check(upload: IO[bytes], *, filename: str) -> CheckedUpload:
    """The upload's real format, size and digest; ApplicationError when it is not a paper."""
    limit = max_upload_bytes()
    if int(getattr(upload, "size", 0) or 0) > limit:
        raise _too_large(filename, limit)
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        size += len(chunk)
        if size > limit:
            raise _too_large(filename, limit)
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
    if size == 0:
        raise ApplicationError(
            gettext("“%(name)s” is empty.") % {"name": filename},
            fields={"file": [gettext("The file is empty.")]},
        )

    upload.seek(0)
    detected = _detect(head, upload)
    upload.seek(0)
    if detected is None:
        looks_like = _describe(head)
        raise ApplicationError(
            gettext(
                "“%(name)s” is not a PDF, DOCX or ODT document: its content is %(content)s. "
                "Renaming a file does not change its type."
            )
            % {"name": filename, "content": looks_like},
            fields={
                "file": [
                    gettext(
                        "Upload a PDF, DOCX or ODT document; this file's content is %(content)s."
                    )
                    % {"content": looks_like}
                ]
            },
        )
    if detected == Format.PDF:
        _pdf_check(upload, filename)
    else:
        _package_check(upload, filename, detected)
    upload.seek(0)
    claimed = PurePath(filename).suffix.lower().lstrip(".")
    if claimed and claimed != EXTENSIONS[detected]:
        raise ApplicationError(
            gettext(
                "“%(name)s” is named .%(claimed)s but its content is %(format)s; "
                "rename it .%(extension)s or upload the right file."
            )
            % {
                "name": filename,
                "claimed": claimed,
                "format": Format(detected).label,
                "extension": EXTENSIONS[detected],
            },
            fields={"file": [gettext("The file's name and content disagree.")]},
        )
    return CheckedUpload(
        format=detected,
        size=size,
        sha256=digest.hexdigest(),
        original_filename=safe_filename(filename, detected),
    )


def _refused(message: str, field_message: str) -> ApplicationError:
    return ApplicationError(message, fields={"file": [field_message]})


def _pdf_check(upload: IO[bytes], filename: str) -> None:
    """The PDF opens in pypdf, each page's box reads, and nothing in it is HTML."""
    upload.seek(0)
    tail = b""
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        if HTML_MARKERS.search(tail + chunk):
            raise _refused(
                gettext(
                    "“%(name)s” starts like a PDF but carries HTML, which a browser could run "
                    "as a page; export the PDF again from its source."
                )
                % {"name": filename},
                gettext("The PDF carries HTML."),
            )
        tail = chunk[-32:]
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        # A password-protected PDF is a paper too; it is listed, not appended, in packs.
        if not reader.is_encrypted or reader.decrypt(""):
            for page in reader.pages:
                page.mediabox  # noqa: B018  (reading the box parses the page)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError, NotImplementedError) as exc:  # fmt: skip
        logger.info("Unreadable PDF upload %r: %r", filename, exc)
        raise _refused(
            gettext(
                "“%(name)s” starts like a PDF but cannot be read as one (it is damaged or not "
                "a PDF); export it again from its source."
            )
            % {"name": filename},
            gettext("The PDF cannot be read."),
        ) from exc


def _package_check(upload: IO[bytes], filename: str, fmt: str) -> None:
    """A DOCX or ODT judged from its central directory, never by extracting it."""
    limit = int(settings.DOCUMENT_MAX_EXPANDED_BYTES)
    ratio = float(settings.DOCUMENT_MAX_COMPRESSION_RATIO)
    upload.seek(0)
    with zipfile.ZipFile(upload) as package:
        entries = package.infolist()
        expanded = sum(entry.file_size for entry in entries)
        if expanded > limit:
            raise _refused(
                gettext(
                    "“%(name)s” would expand to %(expanded)s, more than the %(limit)s a paper "
                    "may hold."
                )
                % {
                    "name": filename,
                    "expanded": filesizeformat(expanded),
                    "limit": filesizeformat(limit),
                },
                gettext("It expands past %(limit)s.") % {"limit": filesizeformat(limit)},
            )
        for entry in entries:
            times = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > RATIO_MIN_BYTES and times > ratio:
                raise _refused(
                    gettext(
                        "“%(name)s” holds a part (%(part)s) compressed %(times)s times, "
                        "as no document is; it looks like a compression bomb."
                    )
                    % {"name": filename, "part": entry.filename, "times": f"{times:,.0f}"},
                    gettext("A part of it is compressed beyond any document's."),
                )
        if not _is_word_processing(package, fmt):
            raise _refused(
                gettext("“%(name)s” is a ZIP package but not a valid %(format)s document.")
                % {"name": filename, "format": Format(fmt).label},
                gettext("Not a valid %(format)s document.") % {"format": Format(fmt).label},
            )


def _part(package: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        entry = package.getinfo(name)
    except KeyError:
        return None
    if entry.file_size > PACKAGE_PART_MAX_BYTES:
        return None
    with package.open(entry) as part:
        return part.read(PACKAGE_PART_MAX_BYTES + 1)


def _is_word_processing(package: zipfile.ZipFile, fmt: str) -> bool:
    try:
        if fmt == Format.DOCX:
            types = _part(package, "[Content_Types].xml")
            return types is not None and DOCX_MAIN_PART in types
        manifest = _part(package, "META-INF/manifest.xml")
        return (
            manifest is not None
            and ODT_MIMETYPE in manifest
            and "content.xml" in package.namelist()
        )
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError):
        return False


def _too_large(filename: str, limit: int) -> ApplicationError:
    return ApplicationError(
        gettext("“%(name)s” is larger than the limit of %(limit)s.")
        % {"name": filename, "limit": filesizeformat(limit)},
        fields={"file": [gettext("The limit is %(limit)s.") % {"limit": filesizeformat(limit)}]},
    )


def safe_filename(filename: str, fmt: str) -> str:
    """A name fit for a Content-Disposition header, always with the extension of ``fmt``."""
    stem = PurePath(filename.replace("\\", "_")).stem.strip().replace(" ", "_")
    stem = re.sub(r"[^-\w.]", "", stem)[:120].strip(".") or "document"
    return f"{stem}.{EXTENSIONS[fmt]}"


def _detect(head: bytes, upload: IO[bytes]) -> str | None:
    if head.startswith(b"%PDF-"):
        return Format.PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        package = zipfile.ZipFile(upload)
        names = package.namelist()
        # ODF requires ``mimetype`` as the first, uncompressed entry.
        if names and names[0] == "mimetype":
            with package.open("mimetype") as part:
                if part.read(len(ODT_MIMETYPE) + 1).strip() == ODT_MIMETYPE:
                    return Format.ODT
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            if "word/vbaProject.bin" in names:
                raise ApplicationError(
                    gettext(
                        "Macro-enabled Word documents are not accepted; save it as a plain .docx."
                    ),
                    fields={"file": [gettext("The document contains macros.")]},
                )
            return Format.DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return None


def _describe(head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or (
        b"<html" in sample[:1024]
    ):
        return "HTML"
    if sample.startswith(b"<?xml") or sample.startswith(b"<svg"):
        return gettext("XML or SVG")
    if head.startswith(b"PK\x03\x04"):
        return gettext("a ZIP archive that is neither DOCX nor ODT")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return gettext("a legacy Microsoft Office file (.doc); save it as .docx")
    if head.startswith((b"MZ", b"\x7fELF")):
        return gettext("a program")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return gettext("an image")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return gettext("an unrecognised binary file")
    return gettext("plain text")
