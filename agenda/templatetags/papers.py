"""A paper's title in the reader's language (consult/parallel.py).

``document|paper_version`` is the version of the title served in the active
language: its current translation when there is one, else the authoritative
title with a note. ``{% paper_title document href %}`` shows it in a list: the
title in its own ``lang``, marked "unofficial translation" when one is served,
or followed by the short note (the full one in its ``title``) when the
authoritative title stands in for the reader's language. No query: the
translations are columns of the paper's own row. The paper's text is never
translated: it keeps the paper's own language.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agenda.models import Document
from agenda.models.documents import DOCUMENT_PARALLEL
from consult import parallel

register = template.Library()


@register.filter
def paper_version(document: Document) -> parallel.Version:
    return parallel.version_for(document, DOCUMENT_PARALLEL, translation.get_language())


def _mark(version: parallel.Version) -> SafeString:
    """After a title: "(unofficial translation)", or why the authoritative title stands in
    for the reader's language; nothing for a confirmed translation or for a reader of the
    authoritative language."""
    if version.state == parallel.TranslationState.UNOFFICIAL:
        return format_html(
            ' <small class="parallel-mark">({})</small>', _("unofficial translation")
        )
    if version.note:
        return format_html(
            ' <small class="parallel-note" title="{}">({})</small>',
            version.note,
            version.short_note,
        )
    return SafeString("")


@register.simple_tag
def paper_title(document: Document, href: str = "") -> SafeString:
    """The title served to the reader, in its language, linked to ``href`` when given,
    with its mark or note."""
    version = paper_version(document)
    if href:
        title = format_html(
            '<a href="{}" lang="{}">{}</a>', href, version.language, version["title"]
        )
    else:
        title = format_html('<span lang="{}">{}</span>', version.language, version["title"])
    return format_html("{}{}", title, _mark(version))
