"""One audience's PDF, built inside the limited render child (no database here).

The HTML reserves, after each annex's cover page, as many blank pages as the
uploaded PDF has; those are then replaced by the annex's own pages. So the
table of contents and "page N of M" (computed by WeasyPrint) stay right for
the whole pack, annexes included, without a second render.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from briefings.selectors.content import PackContent, PaperView, annex_label
from briefings.services import pdf_disarm, pdf_stamp
from consult.pdf import PdfRenderFailed, html_to_pdf

PDF_TEMPLATE = "briefings/pack_pdf.html"
# A longer upload is listed, not appended: one paper must not make the pack unreadable.
ANNEX_MAX_PAGES = 300


def pack_html(content: PackContent) -> str:
    """The HTML WeasyPrint renders for ``content`` (annex page counts already set), worded in
    the active language (``renders`` activates the render's)."""
    return render_to_string(PDF_TEMPLATE, {"pack": content, "pdf": True})


def _open_annex(paper: PaperView) -> PdfReader | None:
    try:
        with default_storage.open(paper.storage_name, "rb") as handle:
            reader = PdfReader(BytesIO(handle.read()))
        if reader.is_encrypted and not reader.decrypt(""):
            paper.annex_problem = _("It is password-protected; open it on the platform.")
            return None
        pages = len(reader.pages)
    except (OSError, PdfReadError, ValueError, KeyError, TypeError) as exc:
        paper.annex_problem = _("It could not be read as a PDF (%(error)s).") % {
            "error": type(exc).__name__
        }
        return None
    if pages > ANNEX_MAX_PAGES:
        paper.annex_problem = ngettext(
            "It has %(pages)d page, too many to append; open it on the platform.",
            "It has %(pages)d pages, too many to append; open it on the platform.",
            pages,
        ) % {"pages": pages}
        return None
    if pages == 0:
        paper.annex_problem = _("It has no pages.")
        return None
    paper.annex_pages = pages
    return reader


def _load_annexes(content: PackContent) -> dict[str, PdfReader]:
    readers: dict[str, PdfReader] = {}
    number = 0
    for paper in content.annexes:
        reader = _open_annex(paper)
        if reader is None:
            paper.annex_label = ""
            continue
        paper.annex_label = annex_label(number)
        readers[paper.annex_label] = reader
        number += 1
    return readers


def _insert_annexes(reader: PdfReader, writer: PdfWriter, annexes: dict[str, PdfReader]) -> None:
    destinations = reader.named_destinations
    starts: list[tuple[int, PdfReader]] = []
    for label, annex in annexes.items():
        destination = destinations.get(f"annex-{label}")
        cover = reader.get_destination_page_number(destination) if destination else None
        if cover is None:
            raise PdfRenderFailed(f"Annex {label} has no cover page in the render.")
        starts.append((cover + 1, annex))
    # From the last annex back, so earlier page numbers do not move.
    for start, annex in sorted(starts, key=lambda pair: pair[0], reverse=True):
        for _page in annex.pages:
            del writer.pages[start]  # type: ignore[attr-defined]
        pdf_disarm.annex_insert(writer, annex, start=start)


def pack_pdf_compose(content: PackContent) -> tuple[bytes, dict[str, Any]]:
    """Render, append the annexes and prepare the stamp slots; returns bytes and slot facts."""
    annexes = _load_annexes(content)
    rendered = html_to_pdf(pack_html(content))
    reader = PdfReader(BytesIO(rendered))
    writer = PdfWriter(clone_from=reader)
    _insert_annexes(reader, writer, annexes)
    pdf_disarm.catalog_disarm(writer)
    prepared = pdf_stamp.prepare_writer(writer, anchor=pdf_stamp.recipient_anchor(reader))
    return prepared.data, {"slots": prepared.slots, "page_count": prepared.page_count}
