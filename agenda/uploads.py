"""What an uploaded paper really is, judged by its bytes and never by its name.

Papers are PDF, DOCX or ODT. A PDF starts with ``%PDF-``; DOCX and ODT are
ZIP packages, told apart by their parts (``[Content_Types].xml`` and
``word/`` for Word, a first ``mimetype`` entry reading
``application/vnd.oasis.opendocument.text`` for OpenDocument). Anything
else, an HTML page renamed ``.pdf`` included, is refused with a message that
says what the file turned out to be.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

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
FORMAT_NAMES = "a PDF, DOCX or ODT document"


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
        raise ApplicationError(f"“{filename}” is empty.", fields={"file": ["The file is empty."]})

    upload.seek(0)
    detected = _detect(head, upload)
    upload.seek(0)
    if detected is None:
        looks_like = _describe(head)
        raise ApplicationError(
            f"“{filename}” is not {FORMAT_NAMES}: its content is {looks_like}. "
            "Renaming a file does not change its type.",
            fields={"file": [f"Upload {FORMAT_NAMES}; this file's content is {looks_like}."]},
        )
    claimed = PurePath(filename).suffix.lower().lstrip(".")
    if claimed and claimed != EXTENSIONS[detected]:
        raise ApplicationError(
            f"“{filename}” is named .{claimed} but its content is {Format(detected).label}; "
            f"rename it .{EXTENSIONS[detected]} or upload the right file.",
            fields={"file": ["The file's name and content disagree."]},
        )
    return CheckedUpload(
        format=detected,
        size=size,
        sha256=digest.hexdigest(),
        original_filename=safe_filename(filename, detected),
    )


def _too_large(filename: str, limit: int) -> ApplicationError:
    return ApplicationError(
        f"“{filename}” is larger than the limit of {filesizeformat(limit)}.",
        fields={"file": [f"The limit is {filesizeformat(limit)}."]},
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
                    "Macro-enabled Word documents are not accepted; save it as a plain .docx.",
                    fields={"file": ["The document contains macros."]},
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
        return "XML or SVG"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive that is neither DOCX nor ODT"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "a legacy Microsoft Office file (.doc); save it as .docx"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "a program"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "an unrecognised binary file"
    return "plain text"
