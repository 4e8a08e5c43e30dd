"""The rich-text editor: django-prose-editor (ProseMirror), served from static files.

The editor offers only what ``consult.sanitize`` keeps (headings from h2,
emphasis, lists, quotes, links, tables), so what the author sees is what is
stored. It enhances a plain textarea: without JavaScript the textarea stays,
and plain text typed there keeps its paragraphs when it is saved
(``consult.sanitize.sanitize_html``).

``{% load editor %}{{ form.media|with_csp_nonce:request }}`` renders the
editor's scripts (its import map is an inline script) with the request's
Content-Security-Policy nonce. Tiptap, inside the editor, would inject its base
styles as an inline ``<style>`` the policy refuses; they are served as
``css/prosemirror.css`` instead, and an empty, nonced ``<style data-tiptap-style>``
tells it they are there.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_prose_editor.widgets import ProseEditorWidget
from js_asset import Media

EXTENSIONS: dict[str, Any] = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
}

register = template.Library()


class RichTextWidget(ProseEditorWidget):  # type: ignore[misc, unused-ignore]  # untyped package
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, config={"extensions": EXTENSIONS}, preset="configurable")

    @property
    def media(self) -> forms.Media:
        # editor-label.js names the editable area after the textarea's label.
        ours = forms.Media(css={"all": ["css/prosemirror.css"]}, js=["js/editor-label.js"])
        theirs: forms.Media = super().media
        return theirs + ours


@register.filter
def with_csp_nonce(media: Any, request: HttpRequest | None) -> str:
    """``media`` with the request's CSP nonce on its script tags (none without CSP), and
    the marker that keeps Tiptap from injecting an inline stylesheet."""
    if not isinstance(media, forms.Media):
        return ""  # the form is not on this page
    nonce = get_nonce(request) if request is not None else None
    nonced = Media.from_media(media, nonce=nonce if nonce is not None else "")
    marker = (
        # Django's lazy nonce is falsy until read: compare with None.
        format_html('<style data-tiptap-style nonce="{}"></style>', str(nonce))
        if nonce is not None
        else mark_safe("<style data-tiptap-style></style>")
    )
    return format_html("{}\n{}", nonced.render(), marker)
